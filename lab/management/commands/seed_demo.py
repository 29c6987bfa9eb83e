"""Demo content written from what the lab says about itself (its site and brochures). Safe to run
again and again."""

from __future__ import annotations

import datetime
from importlib import import_module
from importlib.util import find_spec

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lab.models import EmailDomain, Membership, Organisation, Region, User

# (slug, name, kind, region slug, website, email domains)
MEMBER_REGIONS = [
    ("region-aquitaine", "Région Aquitaine", "aquitaine"),
    ("region-bourgogne", "Région Bourgogne", "bourgogne"),
    ("region-bretagne", "Région Bretagne", "bretagne-avant-2016"),
    ("region-centre", "Région Centre", "centre"),
    ("region-champagne-ardenne", "Région Champagne-Ardenne", "champagne-ardenne"),
    ("region-nord-pas-de-calais", "Région Nord-Pas-de-Calais", "nord-pas-de-calais"),
    ("region-pays-de-la-loire", "Région Pays de la Loire", "pays-de-la-loire-avant-2016"),
    (
        "region-provence-alpes-cote-d-azur",
        "Région Provence-Alpes-Côte d'Azur",
        "provence-alpes-cote-d-azur-avant-2016",
    ),
    ("region-rhone-alpes", "Région Rhône-Alpes", "rhone-alpes"),
]
MEMBERS_SINCE = datetime.date(2012, 1, 1)  # the lab became an independent association
# The nine member councils are pre-2016 regions: their memberships end with the reform, which
# merged most of them (in force on 1 January 2016).
MEMBERS_UNTIL = datetime.date(2015, 12, 31)
# The demo's active member (DESIGN: partenaire@demo.test): the Pays de la Loire council, which
# the reform left whole, holds a membership from the reform on, to the end of the current year
# (so that its renewal comes round, as it would).
CURRENT_MEMBERS = {"region-pays-de-la-loire": datetime.date(2016, 1, 1)}

PARTNERS = [
    # (slug, name, kind, region slug, since)
    (
        "association-des-regions-de-france",
        "Association des Régions de France (ARF)",
        "association",
        "ile-de-france",
        datetime.date(2008, 1, 1),
    ),
    (
        "caisse-des-depots",
        "Caisse des Dépôts",
        "public_body",
        "ile-de-france",
        datetime.date(2008, 1, 1),
    ),
    (
        "sgmap",
        "Secrétariat général pour la modernisation de l'action publique (SGMAP)",
        "state",
        "ile-de-france",
        datetime.date(2014, 5, 1),
    ),
]

OTHERS = [
    # Hosts of the lab's residencies and programmes, without a membership.
    (
        "cd-val-de-marne",
        "Conseil départemental du Val-de-Marne",
        "departmental_council",
        "ile-de-france",
    ),
    (
        "cd-meurthe-et-moselle",
        "Conseil départemental de Meurthe-et-Moselle",
        "departmental_council",
        "grand-est",
    ),
    ("ville-de-paris", "Ville de Paris", "city", "ile-de-france"),
    (
        "mission-metropole-aix-marseille-provence",
        "Mission interministérielle pour le projet métropolitain Aix-Marseille Provence",
        "state",
        "provence-alpes-cote-d-azur",
    ),
    ("sncf", "SNCF", "company", "ile-de-france"),
    ("fing", "Fondation Internet Nouvelle Génération (FING)", "association", "ile-de-france"),
    ("ena", "École nationale d'administration (ENA)", "school", "grand-est"),
]

DOMAINS = {"region-pays-de-la-loire": ["paysdelaloire.fr"]}

# The SIRET that the local ProConnect stand-in gives its Val-de-Marne agents (tests/oidc_provider):
# trying the button with `make run` attaches them here.
SIRETS = {"cd-val-de-marne": "22940028800010"}

ACCOUNTS = [
    # (email, first name, last name, organisation slug, staff)
    ("equipe@demo.test", "Camille", "Équipe", None, True),
    ("partenaire@demo.test", "Dominique", "Partenaire", "region-pays-de-la-loire", False),
    ("agent@demo.test", "Alex", "Agent", "cd-val-de-marne", False),
    # The Région Pays de la Loire's referent (members/seed.py makes her one): invites colleagues.
    ("referente@demo.test", "Morgane", "Référente", "region-pays-de-la-loire", False),
]


def _seed_modules() -> list:
    """The apps' seed modules, each after those its SEED_AFTER names (the community's events
    hold Superpublic's rooms, so Superpublic's spaces come first)."""
    modules = {
        config.name: import_module(f"{config.name}.seed")
        for config in apps.get_app_configs()
        if config.name != "lab" and find_spec(f"{config.name}.seed")
    }
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name in ordered or name not in modules:
            return
        for before in getattr(modules[name], "SEED_AFTER", ()):
            visit(before)
        ordered.append(name)

    for name in modules:
        visit(name)
    return [modules[name] for name in ordered]


class Command(BaseCommand):
    help = "Loads the lab's demo content; --accounts adds the demo accounts (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts",
            action="store_true",
            help="Also create the demo accounts (refused when DEBUG is off).",
        )

    def handle(self, *args, accounts: bool = False, **options):
        if accounts and not settings.DEBUG:
            raise CommandError("Demo accounts are never created when DEBUG is off.")
        with transaction.atomic():
            self.seed_organisations()
            if accounts:
                self.seed_accounts()
            # Each feature app brings its own demo content in <app>/seed.py (lab imports no app);
            # a seed module names the apps whose content it needs first in SEED_AFTER.
            for module in _seed_modules():
                module.run()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))

    def seed_organisations(self) -> None:
        regions = {region.slug: region for region in Region.objects.all()}
        if not regions:
            raise CommandError("No regions: run migrate first.")
        for slug, name, region in MEMBER_REGIONS:
            organisation = self._organisation(slug, name, "regional_council", regions[region])
            self._founding_membership(organisation)
        for slug, name, kind, region, since in PARTNERS:
            organisation = self._organisation(slug, name, kind, regions[region])
            self._membership(organisation, Membership.Tier.PARTNER, since)
        for slug, name, kind, region in OTHERS:
            self._organisation(slug, name, kind, regions[region])
        for slug, domains in DOMAINS.items():
            organisation = Organisation.objects.get(slug=slug)
            for domain in domains:
                EmailDomain.objects.get_or_create(
                    domain=domain, defaults={"organisation": organisation}
                )
        for slug, siret in SIRETS.items():
            organisation = Organisation.objects.get(slug=slug)
            if not organisation.siret and not Organisation.objects.filter(siret=siret).exists():
                organisation.siret, organisation.siren = siret, siret[:9]
                organisation.save(update_fields=["siret", "siren"])

    @staticmethod
    def _organisation(slug: str, name: str, kind: str, region: Region) -> Organisation:
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "region": region}
        )
        return organisation

    @staticmethod
    def _founding_membership(organisation: Organisation) -> None:
        """2012 to the reform; an earlier seed's open-ended row is closed at the reform."""
        Membership.objects.update_or_create(
            organisation=organisation,
            starts=MEMBERS_SINCE,
            defaults={"tier": Membership.Tier.MEMBER, "ends": MEMBERS_UNTIL},
        )
        since = CURRENT_MEMBERS.get(organisation.slug)
        if since:
            end_of_year = datetime.date(timezone.localdate().year, 12, 31)
            current = organisation.memberships.filter(starts=since).first()
            if current is None:
                Membership.objects.create(
                    organisation=organisation,
                    tier=Membership.Tier.MEMBER,
                    starts=since,
                    ends=end_of_year,
                )
            elif (
                current.ends
                and current.ends < end_of_year
                and not organisation.memberships.filter(starts__gt=since).exists()
            ):
                current.ends = end_of_year
                current.save(update_fields=["ends"])

    @staticmethod
    def _membership(organisation: Organisation, tier: str, since: datetime.date) -> None:
        if not organisation.memberships.exists():
            Membership.objects.create(organisation=organisation, tier=tier, starts=since)

    def seed_accounts(self) -> None:
        for email, first_name, last_name, organisation_slug, staff in ACCOUNTS:
            organisation = (
                Organisation.objects.get(slug=organisation_slug) if organisation_slug else None
            )
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "organisation": organisation,
                    "is_staff": staff,
                    "is_superuser": staff,
                    "is_active": True,
                },
            )
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            self.stdout.write(f"  {email} / DEMO_PASSWORD")
