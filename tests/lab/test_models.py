import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from lab.models import EmailDomain, Membership, Region
from tests.lab.factories import EmailDomainFactory, MembershipFactory, OrganisationFactory, region

pytestmark = pytest.mark.django_db


def test_all_regions_of_the_reform_are_there():
    assert Region.objects.filter(generation="pre2016").count() == 22
    assert Region.objects.filter(generation="current").count() == 13
    assert Region.objects.filter(generation="overseas").count() == 5
    assert region("bourgogne").successor == region("bourgogne-franche-comte")
    assert region("bourgogne").code == "26"
    assert set(region("grand-est").predecessors.values_list("slug", flat=True)) == {
        "alsace",
        "lorraine",
        "champagne-ardenne",
    }
    assert region("bretagne-avant-2016").successor == region("bretagne")


def test_a_regions_lineage_spans_both_generations():
    bourgogne, bfc = region("bourgogne"), region("bourgogne-franche-comte")
    assert bourgogne.lineage_ids() == {bourgogne.pk, bfc.pk}
    assert bfc.lineage_ids() == {bfc.pk, bourgogne.pk, region("franche-comte").pk}


def test_only_pre2016_regions_have_a_successor():
    normandie = region("normandie")
    normandie.successor = region("bretagne")
    with pytest.raises(IntegrityError):
        normandie.save()


def test_membership_cannot_end_before_it_starts(today):
    with pytest.raises(IntegrityError):
        MembershipFactory(starts=today, ends=today - datetime.timedelta(days=1))


def test_membership_check_is_reported_by_full_clean(today):
    membership = Membership(
        organisation=OrganisationFactory(),
        tier="member",
        starts=today,
        ends=today - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="précéder"):
        membership.full_clean()


def test_an_organisation_never_holds_two_memberships_at_once(today):
    first = MembershipFactory(starts=today - datetime.timedelta(days=100), ends=None)
    overlapping = Membership(
        organisation=first.organisation, tier="partner", starts=today, ends=None
    )
    with pytest.raises(ValidationError):
        overlapping.full_clean()
    with pytest.raises(IntegrityError):
        overlapping.save()


def test_memberships_may_follow_each_other(today):
    first = MembershipFactory(
        starts=today - datetime.timedelta(days=100), ends=today - datetime.timedelta(days=1)
    )
    MembershipFactory(organisation=first.organisation, starts=today, tier="partner")
    assert first.organisation.memberships.count() == 2


def test_a_domain_belongs_to_one_organisation_whatever_its_case():
    EmailDomainFactory(domain="paysdelaloire.fr")
    with pytest.raises(IntegrityError):
        EmailDomainFactory(domain="PaysDeLaLoire.fr")


def test_a_domain_is_stored_without_at_sign():
    with pytest.raises(IntegrityError):
        EmailDomain.objects.create(organisation=OrganisationFactory(), domain="@exemple.fr")
