import time

import pytest
import time_machine

from tests.conftest import PASSWORD, totp_code
from tests.lab.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, staff_without_mfa):
    client.force_login(staff_without_mfa)
    response = client.get("/admin/lab/organisation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    assert "next=%2Fadmin%2Flab%2Forganisation%2F" in response["Location"]


def test_staff_with_a_second_factor_use_the_admin(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_staff_log_in_with_password_then_code(client, staff):
    response = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in yet
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(staff.totp_secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(("steps", "accepted"), [(1, True), (2, False)])
def test_a_code_read_at_the_end_of_its_window_is_still_taken_a_step_later(
    client, staff, steps, accepted
):
    """The code typed in the last second of its 30 s window arrives in the next one."""
    start = (time.time() // 30) * 30 + 29  # the last second of a window
    with time_machine.travel(start, tick=False) as clock:
        code = totp_code(staff.totp_secret)
        client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
        clock.shift(30 * steps)
        client.post("/accounts/2fa/authenticate/", {"code": code})
        assert (client.get("/admin/").status_code == 200) is accepted


def test_a_wrong_code_keeps_staff_out(client, staff):
    client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/admin/").status_code == 302


def test_the_admin_login_page_hands_over_to_the_site_login(client):
    response = client.get("/admin/login/?next=/admin/lab/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Flab%2Fuser%2F"


@pytest.mark.parametrize("name", ["agent", "partner"])
def test_non_staff_never_reach_the_admin(client, users, name):
    client.force_login(users[name])
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_site_login(client):
    response = client.get("/admin/lab/user/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2Flab%2Fuser%2F"
    assert response.status_code == 200


def test_admin_lists_stay_within_their_query_budget(client, staff, django_assert_max_num_queries):
    for n in range(30):
        membership = MembershipFactory(
            organisation=OrganisationFactory(name=f"Organisation {n}", slug=f"organisation-{n}")
        )
        UserFactory(organisation=membership.organisation)
    client.force_login(staff)
    for url in [
        "/admin/lab/organisation/",
        "/admin/lab/organisation/?adhesion=active",
        "/admin/lab/organisation/?adhesion=none&kind__exact=regional_council",
        "/admin/lab/user/",
        "/admin/lab/region/?generation__exact=pre2016",
        "/admin/lab/membership/",
    ]:
        with django_assert_max_num_queries(15):
            assert client.get(url).status_code == 200, url


def test_staff_attach_a_user_to_an_organisation_in_the_admin(client, staff, agent):
    organisation = OrganisationFactory(name="Ville de Paris", slug="ville-de-paris-test")
    client.force_login(staff)
    response = client.get(f"/admin/lab/user/{agent.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "email": agent.email,
            "first_name": agent.first_name,
            "last_name": agent.last_name,
            "organisation": organisation.pk,
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        }
    )
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(f"/admin/lab/user/{agent.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    agent.refresh_from_db()
    assert agent.organisation == organisation


def test_the_admin_names_every_app_and_model_in_french(client, staff):
    client.force_login(staff)
    page = client.get("/admin/").content.decode()
    for name in ["Communauté", "Programmes", "Superpublic", "Publications", "Double authentification",
                 "Facteurs d&#x27;authentification", "Comptes et adresses"]:  # fmt: skip
        assert name in page, name
    for english in [">Community<", ">MFA<", "Authenticators", "Email addresses", "Social accounts"]:
        assert english not in page, english


def test_deleting_a_selection_reads_right_in_french(client, staff):
    from tests.programmes.factories import ThemeFactory

    ThemeFactory()  # the actions' menu shows over a non-empty list
    client.force_login(staff)
    page = client.get("/admin/programmes/theme/").content.decode()
    assert "Supprimer la sélection" in page and "sélectionnés" not in page
