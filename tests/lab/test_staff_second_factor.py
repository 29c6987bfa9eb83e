"""Staff powers need the second factor, and setting one up needs the account's mail too."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from lab import access
from superpublic import services as booking_services
from superpublic.rules import MAX_FUTURE_BOOKINGS
from tests.conftest import PASSWORD, totp_code
from tests.publications.factories import PublicationFactory
from tests.superpublic.factories import SpaceFactory, next_weekday, slot

pytestmark = pytest.mark.django_db


def test_staff_without_a_second_factor_see_no_drafts(client, staff, staff_without_mfa):
    PublicationFactory(slug="brouillon", title="Brouillon", status="draft", published_at=None)
    client.force_login(staff_without_mfa)
    assert client.get("/publications/brouillon/").status_code == 404
    assert "Brouillon" not in client.get("/publications/").content.decode()
    client.force_login(staff)
    assert client.get("/publications/brouillon/").status_code == 200


def test_staff_without_a_second_factor_keep_to_the_quota(staff_without_mfa):
    space = SpaceFactory(capacity=10)
    day = next_weekday(2)
    for i in range(MAX_FUTURE_BOOKINGS):
        start, end = slot(
            day,
            f"{9 + i // 2:02d}:{30 * (i % 2):02d}",
            f"{9 + (i + 1) // 2:02d}:{30 * ((i + 1) % 2):02d}",
        )
        booking_services.booking_create(space=space, user=staff_without_mfa, start=start, end=end, title="x", attendees=2)  # fmt: skip
    errors = booking_services.booking_errors(
        space=space, user=staff_without_mfa, start=slot(day, "15:00", "15:30")[0],
        end=slot(day, "15:00", "15:30")[1], attendees=2, now=timezone.now(),
    )  # fmt: skip
    assert any("réservations à venir" in error for error in errors)


def test_their_bookings_wait_for_approval_like_anyone_elses(staff_without_mfa, staff):
    space = SpaceFactory()
    start, end = slot(next_weekday(3), "10:00", "11:00")
    booking = booking_services.booking_create(space=space, user=staff_without_mfa, start=start, end=end, title="x", attendees=2)  # fmt: skip
    assert booking.status == "pending"
    start, end = slot(next_weekday(3), "11:00", "12:00")
    assert booking_services.booking_create(space=space, user=staff, start=start, end=end, title="x", attendees=2).status == "confirmed"  # fmt: skip


def test_activating_the_second_factor_needs_a_code_sent_to_the_address(
    client, staff_without_mfa, django_capture_on_commit_callbacks
):
    client.force_login(staff_without_mfa)
    # From the admin to the activation page: the address is checked first, `next` kept.
    response = client.get("/admin/")
    activation = response["Location"]
    assert activation.startswith("/accounts/2fa/totp/activate/")
    response = client.get(activation)
    assert response["Location"] == "/compte/verification-equipe/?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert staff_without_mfa.email in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/verification-equipe/", {"action": "send", "next": "/admin/"})
    [message] = mail.outbox
    assert message.to == [staff_without_mfa.email]
    code = re.search(r"\b(\d{6})\b", message.body).group(1)

    wrong = client.post("/compte/verification-equipe/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 400 and "ne correspond pas" in wrong.content.decode()
    response = client.post("/compte/verification-equipe/", {"code": code, "next": "/admin/"})
    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2F"
    # The activation page itself now opens (allauth may still ask for the password again).
    after = client.get(response["Location"])
    assert after.status_code == 200 or "/reauthenticate/" in after["Location"]
    # Still no staff powers until the authenticator is there.
    assert not access.reader(staff_without_mfa).staff


def test_a_code_cannot_be_guessed(client, staff_without_mfa, django_capture_on_commit_callbacks):
    client.force_login(staff_without_mfa)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/verification-equipe/", {"action": "send"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    for _ in range(5):
        client.post(
            "/compte/verification-equipe/", {"code": "999999" if code != "999999" else "000000"}
        )
    late = client.post("/compte/verification-equipe/", {"code": code})
    assert late.status_code == 400 and "Trop d" in late.content.decode()


def test_people_without_a_staff_account_never_need_it(client, agent, staff):
    for user in (agent, staff):
        client.force_login(user)
        assert client.get("/compte/verification-equipe/")["Location"] == "/accounts/2fa/"


def _sign_in_and_prove_the_mailbox(client, user, capture, *, minutes_between: int) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
        clock.shift(datetime.timedelta(minutes=minutes_between))
        with capture(execute=True):
            client.post("/compte/verification-equipe/", {"action": "send", "next": "/admin/"})
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        client.post("/compte/verification-equipe/", {"code": code, "next": "/admin/"})


def test_a_fresh_sign_in_and_the_mailed_code_open_the_activation_without_the_password_again(
    client, staff_without_mfa, django_capture_on_commit_callbacks
):
    _sign_in_and_prove_the_mailbox(
        client, staff_without_mfa, django_capture_on_commit_callbacks, minutes_between=1
    )
    assert client.get("/accounts/2fa/totp/activate/?next=/admin/").status_code == 200


def test_an_old_sign_in_still_needs_the_password_before_the_activation(
    client, staff_without_mfa, django_capture_on_commit_callbacks
):
    _sign_in_and_prove_the_mailbox(
        client, staff_without_mfa, django_capture_on_commit_callbacks, minutes_between=20
    )
    response = client.get("/accounts/2fa/totp/activate/?next=/admin/")
    assert "/reauthenticate/" in response["Location"]


def test_after_the_set_up_the_recovery_codes_lead_back_to_the_admin(
    client, staff_without_mfa, django_capture_on_commit_callbacks
):
    client.post("/accounts/login/", {"login": staff_without_mfa.email, "password": PASSWORD})
    client.get("/admin/superpublic/booking/")  # sent to set up the second factor
    _sign_in_and_prove_the_mailbox(
        client, staff_without_mfa, django_capture_on_commit_callbacks, minutes_between=0
    )
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    page = client.get(response["Location"]).content.decode()
    assert 'href="/admin/superpublic/booking/"' in page
    assert "continuer vers l" in page and "administration</a>" in page
    assert client.get("/admin/superpublic/booking/").status_code == 200
    # Arrived: the way back is not offered again.
    assert "continuer vers l" not in client.get("/accounts/2fa/recovery-codes/").content.decode()
