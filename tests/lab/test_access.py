import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from lab import access
from tests.lab.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "authenticated", "privileged", "expected_staff"),
    [
        ("anonymous", False, False, False),
        ("agent", True, False, False),
        ("partner", True, True, False),
        ("lapsed", True, False, False),
        ("staff", True, True, True),
    ],
)
def test_each_kind_of_user_gets_its_level(users, name, authenticated, privileged, expected_staff):
    user = users[name] or AnonymousUser()
    assert access.is_authenticated(user) is authenticated
    assert access.is_privileged(user) is privileged
    assert access.is_staff(user) is expected_staff
    expected_level = (
        "staff"
        if expected_staff
        else "privileged"
        if privileged
        else "authenticated"
        if authenticated
        else "anonymous"
    )
    assert access.level(user) == expected_level


def _member_with(starts, ends):
    membership = MembershipFactory(starts=starts, ends=ends)
    return UserFactory(organisation=membership.organisation)


@pytest.mark.parametrize(
    ("starts", "ends", "privileged"),
    [
        (0, None, True),  # starts today, open-ended
        (-30, 0, True),  # ends today: still valid all day
        (-30, -1, False),  # ended yesterday
        (1, None, False),  # starts tomorrow
        (-3650, None, True),  # open-ended for years
    ],
)
def test_membership_dates_decide_privilege(today, starts, ends, privileged):
    user = _member_with(
        today + datetime.timedelta(days=starts),
        None if ends is None else today + datetime.timedelta(days=ends),
    )
    assert access.is_privileged(user) is privileged


def test_privilege_can_be_asked_for_another_day(today):
    user = _member_with(today - datetime.timedelta(days=10), today + datetime.timedelta(days=5))
    assert access.is_privileged(user, on=today + datetime.timedelta(days=5))
    assert not access.is_privileged(user, on=today + datetime.timedelta(days=6))
    assert not access.is_privileged(user, on=today - datetime.timedelta(days=11))


def test_a_user_with_an_unverified_address_is_not_authenticated():
    membership = MembershipFactory()
    user = UserFactory(organisation=membership.organisation, verified=False)
    assert not access.is_authenticated(user)
    assert not access.is_privileged(user)


def test_an_inactive_user_has_no_rights(partner):
    partner.is_active = False
    assert not access.is_authenticated(partner)
    assert not access.is_privileged(partner)


def test_a_user_without_organisation_is_not_privileged():
    assert not access.is_privileged(UserFactory())


def test_staff_without_a_second_factor_cannot_use_the_admin(staff, staff_without_mfa):
    assert access.can_use_admin(staff)
    assert access.staff_must_set_up_mfa(staff_without_mfa)
    assert not access.can_use_admin(staff_without_mfa)


def test_answers_cost_one_query_each_per_request(partner, django_assert_num_queries):
    with django_assert_num_queries(2):  # verified address, then membership
        for _ in range(5):
            assert access.is_privileged(partner)


def test_forget_drops_memoised_answers(today):
    organisation = OrganisationFactory()
    user = UserFactory(organisation=organisation)
    assert not access.is_privileged(user)
    MembershipFactory(organisation=organisation, starts=today)
    assert not access.is_privileged(user)  # memoised
    access.forget(user)
    assert access.is_privileged(user)


def test_verification_of_a_second_address_is_enough(today):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email="autre@exemple.fr", verified=True)
    assert access.is_authenticated(user)


def test_answers_are_kept_across_requests_until_what_decides_them_changes(
    partner, django_assert_num_queries
):
    from lab.models import Membership, User

    def fresh():  # each request loads its own user object
        return User.objects.get(pk=partner.pk)

    assert access.is_privileged(fresh())
    user = fresh()
    with django_assert_num_queries(0):
        assert access.is_privileged(user)
        assert access.level(user) == "privileged"
    # The membership ends: the next request knows at once.
    membership = Membership.objects.get(organisation=partner.organisation)
    membership.ends = datetime.date.today() - datetime.timedelta(days=1)
    membership.save()
    assert not access.is_privileged(fresh())
    # The address is no longer verified: no longer signed in for the policy.
    address = EmailAddress.objects.get(user=partner)
    address.verified = False
    address.save()
    assert not access.is_authenticated(fresh())


def test_the_signed_in_user_comes_from_the_cache_until_it_changes(client, partner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(partner)
    client.get("/mentions-legales/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/mentions-legales/").content.decode()
    assert partner.first_name in page
    # Neither the user nor what decides their access is read from the database again.
    tables = ('"lab_user"', '"account_emailaddress"', '"lab_membership"')
    assert not [q for q in queries if any(table in q["sql"] for table in tables)]
    # A new first name shows on the next request; a new password signs the session out.
    partner.first_name = "Dominique"
    partner.save()
    assert "Dominique" in client.get("/mentions-legales/").content.decode()
    partner.set_password("un-tout-autre-mot-de-passe")
    partner.save()
    assert "Se connecter" in client.get("/mentions-legales/").content.decode()


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, partner):
    client.force_login(partner)
    client.get("/mentions-legales/")
    partner.is_active = False
    partner.save()
    assert "Se connecter" in client.get("/mentions-legales/").content.decode()
