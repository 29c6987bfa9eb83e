"""Renewal and lapse: reminders at 60 and 15 days, once each; the lapse on the day after."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from lab import access
from lab.models import Membership, OutgoingEmail
from members import services
from members.models import MembershipNotice
from tests.lab.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ENDS = datetime.date(2027, 3, 31)


def at(day: datetime.date):
    """Paris noon of a day, with the clock frozen there."""
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(12)).astimezone(), tick=False
    )


@pytest.fixture
def membership(referent):
    membership = referent.organisation.memberships.get()
    membership.starts, membership.ends = datetime.date(2026, 4, 1), ENDS
    membership.save()
    return membership


def notices():
    return list(MembershipNotice.objects.order_by("sent_at").values_list("kind", flat=True))


@pytest.mark.parametrize(
    "days_before, expected",
    [
        (61, []),
        (60, ["reminder_60"]),
        (15, ["reminder_15"]),
        (0, ["reminder_15"]),
        (-1, ["lapsed"]),
    ],
)
def test_each_notice_leaves_on_its_day(membership, days_before, expected):
    with at(ENDS - datetime.timedelta(days=days_before)):
        services.membership_notices_send()
    assert notices() == expected


def test_the_reminders_go_once_each_even_when_the_job_runs_twice(membership, referent):
    for days_before in [60, 60, 59, 15, 15, 14, 0, -1, -1, -2]:
        with at(ENDS - datetime.timedelta(days=days_before)):
            services.membership_notices_send()
            services.membership_notices_send()
    assert notices() == ["reminder_60", "reminder_15", "lapsed"]
    emails = OutgoingEmail.objects.filter(template__in=["members/reminder", "members/lapsed"])
    assert emails.count() == 3
    assert all(email.to == [referent.email] for email in emails)


def test_a_second_run_finding_the_notice_written_sends_nothing(membership):
    """The unique constraint decides: the second run's row fails, its email is rolled back
    with it (what two workers racing past the NOT EXISTS would meet)."""
    services._notice_send(membership=membership, kind="reminder_60", today=ENDS)
    assert services._notice_send(membership=membership, kind="reminder_60", today=ENDS) == 0
    assert MembershipNotice.objects.count() == 1
    assert OutgoingEmail.objects.filter(template="members/reminder").count() == 1


def test_a_renewed_membership_gets_no_reminder_and_never_lapses(membership):
    services.membership_renew(membership=membership)
    for days_before in [60, 15, -1]:
        with at(ENDS - datetime.timedelta(days=days_before)):
            services.membership_notices_send()
    assert notices() == []


def test_renewing_extends_from_the_old_end_without_a_gap(membership):
    renewed = services.membership_renew(membership=membership)
    assert renewed.starts == ENDS + datetime.timedelta(days=1)
    assert renewed.ends == datetime.date(2028, 3, 31)
    for day in [ENDS, ENDS + datetime.timedelta(days=1)]:
        assert (
            Membership.objects.active(day).filter(organisation=membership.organisation).count() == 1
        )


def test_renewing_twice_is_refused_with_a_message(membership):
    services.membership_renew(membership=membership)
    with pytest.raises(Exception, match="déjà une adhésion"):
        services.membership_renew(membership=membership)
    assert Membership.objects.filter(organisation=membership.organisation).count() == 2


def test_an_open_ended_membership_is_not_renewed(partner):
    with pytest.raises(Exception, match="sans date de fin"):
        services.membership_renew(membership=partner.organisation.memberships.get())


def test_privileges_stop_on_the_day_after_the_end(membership, partner, client):
    with at(ENDS):
        assert access.reader(partner).privileged
    partner.__dict__.pop("_reader", None)
    with at(ENDS + datetime.timedelta(days=1)):
        assert not access.reader(partner).privileged
        client.force_login(partner)
        body = client.get(reverse("members:space")).content.decode()
        assert "terminée" in body


def test_a_lapse_older_than_a_week_is_not_announced(membership):
    with at(ENDS + datetime.timedelta(days=30)):
        services.membership_notices_send()
    assert notices() == []


def test_without_referents_the_contact_of_the_application_or_staff_hear(settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["equipe@exemple.fr"]
    membership = MembershipFactory(
        organisation=OrganisationFactory(), starts=datetime.date(2026, 1, 1), ends=ENDS
    )
    with at(ENDS - datetime.timedelta(days=60)):
        services.membership_notices_send()
    assert OutgoingEmail.objects.get(template="members/reminder").to == ["equipe@exemple.fr"]
    assert membership.notices.count() == 1


def test_staff_renew_from_the_admin_and_filter_what_ends_this_quarter(client, staff, membership):
    url = reverse("admin:lab_membership_changelist")
    with at(datetime.date(2027, 2, 10)):
        client.force_login(staff)
        body = client.get(url, {"echeance": "quarter"}).content.decode()
        assert membership.organisation.name in body
        other = MembershipFactory(organisation=OrganisationFactory(name="Hors trimestre"), starts=datetime.date(2026, 1, 1),
                                  ends=datetime.date(2027, 9, 30))  # fmt: skip
        assert (
            other.organisation.name not in client.get(url, {"echeance": "quarter"}).content.decode()
        )
        response = client.post(
            url, {"action": "renew_one_year", "_selected_action": [membership.pk]}
        )
        assert response.status_code == 302
    assert Membership.objects.filter(organisation=membership.organisation, starts=ENDS + datetime.timedelta(days=1)).exists()  # fmt: skip


def test_the_beat_schedule_runs_the_notices_daily(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "members.tasks.send_membership_notices" in tasks
    from members.tasks import send_membership_notices

    assert send_membership_notices.delay().get() == 0
