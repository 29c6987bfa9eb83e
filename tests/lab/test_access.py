import datetime

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from lab import access
from lab.models import Membership, User
from tests.lab.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("anonymous", "anonymous"),
        ("agent", "verified"),
        ("partner", "privileged"),
        ("lapsed", "verified"),
        ("staff", "staff"),
    ],
)
def test_each_kind_of_user_gets_its_level(users, name, level):
    reader = access.reader(users[name] or AnonymousUser())
    assert reader.level == level
    assert reader.verified is (level != "anonymous")
    assert reader.privileged is (level in {"privileged", "staff"})
    assert reader.staff is (level == "staff")


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
    assert access.reader(user).privileged is privileged


def test_privilege_can_be_asked_for_another_day(today):
    user = _member_with(today - datetime.timedelta(days=10), today + datetime.timedelta(days=5))
    assert access.reader(user, on=today + datetime.timedelta(days=5)).privileged
    assert not access.reader(user, on=today + datetime.timedelta(days=6)).privileged
    assert not access.reader(user, on=today - datetime.timedelta(days=11)).privileged


def test_a_user_with_an_unverified_address_is_not_verified_nor_privileged():
    membership = MembershipFactory()
    user = UserFactory(organisation=membership.organisation, verified=False)
    assert not access.reader(user).verified
    assert not access.reader(user).privileged


def test_an_inactive_user_has_no_rights(partner):
    partner.is_active = False
    assert not access.reader(partner).verified
    assert not access.reader(partner).privileged


def test_a_user_without_organisation_is_not_privileged():
    assert not access.reader(UserFactory()).privileged


def test_staff_without_a_second_factor_have_no_staff_powers(staff, staff_without_mfa):
    assert access.reader(staff).staff
    assert not access.reader(staff).needs_second_factor
    without = access.reader(staff_without_mfa)
    assert without.needs_second_factor
    assert not without.staff
    assert not without.privileged  # an ordinary person until the second factor is set up
    assert without.level == "verified"


def test_the_reader_is_decided_in_one_query_per_user_object(partner, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(5):
            assert access.reader(partner).privileged
            assert access.reader(partner).level == "privileged"


def test_forget_decides_again(today):
    organisation = OrganisationFactory()
    user = UserFactory(organisation=organisation)
    assert not access.reader(user).privileged
    MembershipFactory(organisation=organisation, starts=today)
    assert not access.reader(user).privileged  # decided for this request
    access.forget(user)
    assert access.reader(user).privileged


def test_verification_of_a_second_address_is_enough(today):
    user = UserFactory(verified=False)
    EmailAddress.objects.create(user=user, email="autre@exemple.fr", verified=True)
    assert access.reader(user).verified


def _fresh(user):
    """Each request loads its own user object."""
    return User.objects.get(pk=user.pk)


def test_a_membership_ended_by_an_update_acts_on_the_next_request(partner):
    assert access.reader(_fresh(partner)).privileged
    Membership.objects.filter(organisation=partner.organisation).update(
        ends=datetime.date.today() - datetime.timedelta(days=1)
    )
    assert not access.reader(_fresh(partner)).privileged


def test_a_membership_ended_in_raw_sql_acts_on_the_next_request(client, partner):
    client.force_login(partner)
    assert client.get("/communaute/").context["privileged"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE lab_membership SET ends = CURRENT_DATE - 1 WHERE organisation_id = %s",
            [partner.organisation_id],
        )
    assert not client.get("/communaute/").context["privileged"]


def test_an_address_unverified_acts_on_the_next_request(partner):
    EmailAddress.objects.filter(user=partner).update(verified=False)
    assert not access.reader(_fresh(partner)).verified


def test_a_removed_second_factor_ends_staff_powers_on_the_next_request(staff):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=staff).delete()
    assert not access.reader(_fresh(staff)).staff


def test_a_new_password_signs_the_session_out(client, partner):
    client.force_login(partner)
    assert partner.first_name in client.get("/mentions-legales/").content.decode()
    partner.set_password("un-tout-autre-mot-de-passe")
    partner.save()
    assert "Se connecter" in client.get("/mentions-legales/").content.decode()


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, partner):
    client.force_login(partner)
    client.get("/mentions-legales/")
    User.objects.filter(pk=partner.pk).update(is_active=False)
    assert "Se connecter" in client.get("/mentions-legales/").content.decode()


def test_the_privileged_queryset_agrees_with_the_reader(users):
    people = [user for user in users.values() if user is not None]
    chosen = set(access.privileged_people().values_list("pk", flat=True))
    assert chosen == {user.pk for user in people if access.reader(user).privileged}
    assert users["partner"].pk in chosen and users["staff_without_mfa"].pk not in chosen
