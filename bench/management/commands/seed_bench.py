"""Benchmark data at a decade's scale, in the bench database (lab_bench) only.

Deterministic (seeded) and fast: bulk inserts. --quick makes a tenth of it.
"""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from lab.models import Membership, Organisation, Region, User

FULL = {
    "organisations": 300,
    "users": 2000,
    "projects": 10000,
    "profiles": 5000,
    "publications": 2000,
    "bookings": 50000,
    "events": 500,
}
# Spaces kept free of bench bookings, for the booking and contention scenarios.
FREE_SPACES = {"petite-salle", "co-working"}


class Command(BaseCommand):
    help = "Fills the bench database (lab_bench) with a decade of data; --quick for a tenth."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick", action="store_true", help="A tenth of the data, for routine runs."
        )
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="Do nothing when the bench data of this size is there.",
        )

    def handle(self, *args, quick: bool = False, if_needed: bool = False, **options):
        if connection.settings_dict["NAME"] != "lab_bench":
            raise CommandError(
                "seed_bench only runs on the bench database (lab_bench): "
                "use DJANGO_SETTINGS_MODULE=bench.settings."
            )
        from programmes.models import Project

        sizes = {k: v // 10 for k, v in FULL.items()} if quick else FULL
        present = Project.objects.filter(slug__startswith="bench-projet-").count()
        if if_needed and present == sizes["projects"]:
            self.stdout.write("Bench data already in place.")
            return
        if present:
            # Another size was seeded: start again from empty tables (regions come back too).
            from lab.regions import ensure_regions

            call_command("flush", interactive=False, verbosity=0)
            ensure_regions(Region)
        chance = random.Random(2008)  # noqa: S311 (benchmark data)
        settings.DEBUG = True  # seed_demo --accounts refuses otherwise; this is the bench database
        call_command("seed_demo", "--accounts", verbosity=0)
        with transaction.atomic():
            organisations = self._organisations(sizes["organisations"], chance)
            users = self._users(sizes["users"], organisations, chance)
            self._projects(sizes["projects"], organisations, chance)
            self._profiles(min(sizes["profiles"], len(users)), users, chance)
            self._publications(sizes["publications"], chance)
            self._bookings(sizes["bookings"], users, chance)
            self._events(sizes["events"], chance)
        # Bulk inserts send no signal: the users, pages and answers kept for earlier data go.
        self.stdout.write(self.style.SUCCESS(f"Bench data in place: {sizes}"))

    def _organisations(self, n, chance):
        regions = list(Region.objects.filter(generation="current"))
        kinds = [k for k, _ in Organisation.Kind.choices]
        made = Organisation.objects.bulk_create(
            Organisation(name=f"Organisation {i}", slug=f"bench-org-{i}", kind=chance.choice(kinds), region=chance.choice(regions))
            for i in range(n)
        )  # fmt: skip
        today = timezone.localdate()
        Membership.objects.bulk_create(
            Membership(organisation=o, tier=chance.choice(["member", "partner"]), starts=today - datetime.timedelta(days=365))
            for o in made[: n // 3]
        )  # fmt: skip
        return made

    def _users(self, n, organisations, chance):
        from allauth.account.models import EmailAddress

        password = make_password(settings.DEMO_PASSWORD)
        users = User.objects.bulk_create(
            User(email=f"bench{i}@bench.test", first_name=f"Prénom{i}", last_name=f"Nom{i}", password=password,
                 organisation=chance.choice(organisations))
            for i in range(n)
        )  # fmt: skip
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
        )
        return users

    def _projects(self, n, organisations, chance):
        from programmes.models import Programme, Project, Theme

        programmes = list(Programme.objects.all())
        themes = list(Theme.objects.all())
        regions = list(Region.objects.all())
        words = [
            "ruralité",
            "lycée",
            "accueil",
            "mobilité",
            "santé",
            "jeunesse",
            "commande publique",
            "démocratie",
            "prospective",
        ]
        projects = Project.objects.bulk_create(
            (
                Project(
                    title=f"Projet {i} : {chance.choice(words)} et {chance.choice(words)}", slug=f"bench-projet-{i}",
                    programme=chance.choice(programmes), host=chance.choice(organisations), region=chance.choice(regions),
                    start_year=(start := chance.randint(2009, 2026)), end_year=min(start + chance.randint(0, 3), 2029),
                    status=chance.choice(["planned", "ongoing", "completed"]),
                    summary=f"Un projet sur {chance.choice(words)} avec les agents et les habitants.",
                    body=" ".join(chance.choice(words) for _ in range(60)), published=True,
                )
                for i in range(n)
            ),
            batch_size=2000,
        )  # fmt: skip
        through = Project.themes.through
        through.objects.bulk_create(
            (
                through(project_id=p.pk, theme_id=t.pk)
                for p in projects
                for t in chance.sample(themes, k=2)
            ),
            batch_size=5000,
        )

    def _profiles(self, n, users, chance):
        from community.models import Discipline, Profile

        disciplines = list(Discipline.objects.all())
        now = timezone.now()
        profiles = Profile.objects.bulk_create(
            (
                Profile(user=u, display_name=f"{u.first_name} {u.last_name}", slug=f"bench-{u.pk}", role="Praticien",
                        visibility=chance.choice(["public", "members", "hidden"]), consent_at=now,
                        consent_version=settings.COMMUNITY_POLICY_VERSION, bio="Design de services et immersion.")
                for u in users[:n]
            ),
            batch_size=2000,
        )  # fmt: skip
        through = Profile.disciplines.through
        through.objects.bulk_create(
            (
                through(profile_id=p.pk, discipline_id=chance.choice(disciplines).pk)
                for p in profiles
            ),
            batch_size=5000,
        )

    def _publications(self, n, chance):
        from publications.models import Publication

        now = timezone.now()
        kinds = [k for k, _ in Publication.Kind.choices]
        Publication.objects.bulk_create(
            (
                Publication(title=f"Publication {i}", slug=f"bench-publication-{i}", kind=chance.choice(kinds),
                            year=chance.randint(2010, 2026), summary="Un cahier du laboratoire.", status="published",
                            published_at=now - datetime.timedelta(days=chance.randint(1, 3000)),
                            public_from=now + datetime.timedelta(days=chance.randint(1, 60)) if i % 10 == 0 else None)
                for i in range(n)
            ),
            batch_size=2000,
        )  # fmt: skip

    def _bookings(self, n, users, chance):
        from superpublic.models import Booking, Space
        from superpublic.rules import paris_datetime

        spaces = list(Space.objects.exclude(slug__in=FREE_SPACES))
        start_day = timezone.localdate() - datetime.timedelta(days=365)
        # The demo's own bookings stay: bench slots keep clear of them (the exclusion
        # constraint would refuse the whole batch otherwise).
        taken: dict[tuple[int, datetime.date], list] = {}
        for booking in Booking.objects.exclude(status__in=["cancelled", "rejected", "expired"]):
            day_taken = timezone.localtime(booking.period.lower).date()
            taken.setdefault((booking.space_id, day_taken), []).append(booking.period)

        def free(space, on: datetime.date, begin, end) -> bool:
            periods = taken.get((space.pk, on), [])
            return not any(p.lower < end and begin < p.upper for p in periods)

        rows = []
        day = start_day
        while len(rows) < n and day < start_day + datetime.timedelta(days=731):
            if day.weekday() < 5:
                for space in spaces:
                    for slot in range(20):  # half hours from 9:00 to 19:00
                        if chance.random() < 0.5 or len(rows) >= n:
                            continue
                        begin = paris_datetime(day, datetime.time(9)) + datetime.timedelta(
                            minutes=30 * slot
                        )
                        if not free(space, day, begin, begin + datetime.timedelta(minutes=30)):
                            continue
                        rows.append(
                            Booking(space=space, booked_by=chance.choice(users), title="Réunion", attendees=4, status="confirmed",
                                    period=DateTimeTZRange(begin, begin + datetime.timedelta(minutes=30), "[)"),
                                    is_public=slot == 18 and chance.random() < 0.1, public_description="Rencontre")
                        )  # fmt: skip
            day += datetime.timedelta(days=1)
        Booking.objects.bulk_create(rows, batch_size=5000)

    def _events(self, n, chance):
        from community.models import Event

        now = timezone.now()
        Event.objects.bulk_create(
            (
                Event(title=f"Événement {i}", slug=f"bench-evenement-{i}", kind="apero",
                      starts=(start := now + datetime.timedelta(days=chance.randint(-300, 300))),
                      ends=start + datetime.timedelta(hours=2), capacity=40, registration_opens=now - datetime.timedelta(days=30),
                      audience=chance.choice(["public", "members"]))
                for i in range(n)
            ),
            batch_size=2000,
        )  # fmt: skip
