import datetime

import pytest
from django.core.management import CommandError, call_command

from lab import access
from lab.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--accounts")
    counts = (Organisation.objects.count(), Membership.objects.count(), User.objects.count())
    call_command("seed_demo", "--accounts")
    assert (
        Organisation.objects.count(),
        Membership.objects.count(),
        User.objects.count(),
    ) == counts
    # The nine founding member councils are pre-2016 regions: their memberships end with the
    # reform; the Pays de la Loire council, which it left whole, is a member again from 2016.
    founding = Organisation.objects.with_active_membership(datetime.date(2015, 12, 31)).filter(
        kind="regional_council"
    )
    assert founding.count() == 9
    assert all(o.region.generation == "pre2016" for o in founding)
    after = Organisation.objects.with_active_membership(datetime.date(2016, 1, 1)).filter(
        kind="regional_council"
    )
    assert list(after.values_list("slug", flat=True)) == ["region-pays-de-la-loire"]
    assert not Membership.objects.filter(ends__isnull=True, organisation__in=founding).exists()


def test_demo_accounts_have_the_promised_rights(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--accounts")
    staff = User.objects.get(email="equipe@demo.test")
    partner = User.objects.get(email="partenaire@demo.test")
    agent = User.objects.get(email="agent@demo.test")
    # Staff powers wait for the second factor the admin asks for on the first visit.
    assert access.reader(staff).needs_second_factor and access.reader(staff).verified
    assert partner.organisation.name == "Région Pays de la Loire"
    assert access.reader(partner).privileged
    assert agent.organisation.name == "Conseil départemental du Val-de-Marne"
    assert access.reader(agent).verified and not access.reader(agent).privileged
    assert partner.check_password(settings.DEMO_PASSWORD)
    referent = User.objects.get(email="referente@demo.test")
    assert (
        referent.organisation == partner.organisation
        and referent.referent.organisation == partner.organisation
    )


def test_demo_accounts_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", "--accounts")
    assert not User.objects.exists()
    call_command("seed_demo")  # content alone is fine
    assert Organisation.objects.exists()
