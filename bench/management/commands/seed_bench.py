"""Benchmark data at a decade's scale, in the bench database (lab_bench) only.

Deterministic (one seeded random generator), bulk inserts; --quick makes a tenth of it.
After inserting, the sizes are read back from the database and printed: what the bench
reports is what is there, never what was asked for.
"""

from __future__ import annotations

import datetime
import io
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from lab.models import Membership, Organisation, Region, User

BENCH_DATABASE = "lab_bench"
FULL = {
    "organisations": 300,
    # More users than profiles: not everyone with an account is in the directory.
    "users": 6000,
    "projects": 10000,
    "profiles": 5000,
    "publications": 2000,
    "bookings": 50000,
    "events": 500,
}
QUICK = {name: size // 10 for name, size in FULL.items()}
# Seeded bookings go to the demo's three larger rooms and to eight bench rooms, over two
# years around today (365 days back, 365 forward).
BOOKED_DEMO_SPACES = ["grande-salle", "atelier", "salle-de-reunion-vacquerie"]
BENCH_SPACES = [(f"salle-bench-{n}", f"Salle bench {n}") for n in range(1, 9)]
BOOKING_DAYS_BACK = BOOKING_DAYS_FORWARD = 365
# Kept entirely free of seeded bookings, for the booking and contention scenarios.
FREE_SPACES = ["petite-salle", "co-working", *(f"salle-bench-libre-{n}" for n in range(1, 5))]
FREE_BENCH_SPACES = [(f"salle-bench-libre-{n}", f"Salle bench libre {n}") for n in range(1, 5)]
# Accounts of the booking scenarios: at most 10 future bookings per person (the quota), so the
# booking scenarios rotate over many accounts; the same number whatever the data size.
ACCOUNTS = {"agent": 600, "member": 600, "staff": 8, "contender": 50}
AGENTS_ORGANISATION = "bench-sans-adhesion"
MEMBERS_ORGANISATION = "bench-adherent"


def account_email(kind: str, n: int) -> str:
    return f"bench-{kind}-{n}@bench.test"


def read_back() -> dict[str, int]:
    """The sizes of the bench data, counted in the database."""
    from community.models import Event, Profile
    from lab.lib.dates import paris_datetime
    from programmes.models import Project
    from publications.models import Publication
    from superpublic.models import Booking, Space

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    week = (
        paris_datetime(monday, datetime.time(0)),
        paris_datetime(monday + datetime.timedelta(days=7), datetime.time(0)),
    )
    return {
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
        "projects": Project.objects.count(),
        "profiles": Profile.objects.count(),
        "publications": Publication.objects.count(),
        "events": Event.objects.count(),
        "spaces": Space.objects.count(),
        "bookings": Booking.objects.count(),
        "bookings_this_week": Booking.objects.filter(period__overlap=week).count(),
    }


class Command(BaseCommand):
    help = "Fills the bench database (lab_bench) with a decade of data; --quick for a tenth."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick", action="store_true", help="A tenth of the data, for routine runs."
        )
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="Do nothing when the bench data of this size, seeded recently enough, is there.",
        )

    def handle(self, *args, quick: bool = False, if_needed: bool = False, **options):
        if connection.settings_dict["NAME"] != BENCH_DATABASE:
            raise CommandError(
                f"seed_bench only runs on the bench database ({BENCH_DATABASE}), not on "
                f"{connection.settings_dict['NAME']!r}: use DJANGO_SETTINGS_MODULE=bench.settings."
            )
        sizes = QUICK if quick else FULL
        if if_needed and self._in_place(sizes):
            self.stdout.write("Bench data already in place.")
        else:
            self._seed(sizes)
        self._empty_free_spaces()
        # What autovacuum does after a bulk load, which it would not have done in the seconds
        # before the load starts (and never where it is off, as on some shared servers): the
        # planner's statistics, and the visibility map that index-only scans need. Without
        # them the plans are guesses (a boolean filter taken for half the rows).
        with connection.cursor() as cursor:
            # (VACUUM cannot run in a transaction, as in the tests: statistics only, then.)
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
        counts = read_back()
        self.stdout.write("Bench data in the database (counted):")
        for name, count in counts.items():
            self.stdout.write(f"  {name:20} {count:>8,}")

    def _in_place(self, sizes: dict[str, int]) -> bool:
        from programmes.models import Project
        from superpublic.models import Booking

        # The bench's own bookings, not the rooms the demo's events hold (booking groups).
        seeded = Booking.objects.filter(
            space__slug__in=[*BOOKED_DEMO_SPACES, *dict(BENCH_SPACES)], group__isnull=True
        )
        latest = seeded.order_by("-period").values_list("period", flat=True).first()
        horizon = timezone.now() + datetime.timedelta(days=BOOKING_DAYS_FORWARD - 30)
        return (
            Project.objects.filter(slug__startswith="bench-projet-").count() == sizes["projects"]
            and User.objects.filter(email__startswith="bench-agent-").count() == ACCOUNTS["agent"]
            and seeded.count() == sizes["bookings"]
            # Bookings are spread around the day they were seeded: a month later, seed again.
            and latest is not None
            and latest.lower > horizon
        )

    def _seed(self, sizes: dict[str, int]) -> None:
        from programmes.models import Project

        if Project.objects.filter(slug__startswith="bench-projet-").exists():
            # Another size (or an older seed): start again from empty tables.
            from lab.regions import ensure_regions

            call_command("flush", interactive=False, verbosity=0)
            ensure_regions(Region)
        chance = random.Random(2008)  # noqa: S311 (benchmark data)
        # The lab's own content, without the demo accounts (the bench makes its own).
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        with transaction.atomic():
            self._spaces()
            organisations = self._organisations(sizes["organisations"], chance)
            users = self._users(sizes["users"], organisations, chance)
            self._accounts()
            projects = self._projects(sizes["projects"], organisations, chance)
            self._profiles(sizes["profiles"], users, projects, chance)
            self._publications(sizes["publications"], chance)
            self._bookings(sizes["bookings"], users, chance)
            self._events(sizes["events"], chance)

    def _empty_free_spaces(self) -> None:
        """Earlier runs' bookings on the free spaces go: each run books the same free slots."""
        from superpublic.models import Booking

        Booking.objects.filter(space__slug__in=FREE_SPACES).delete()

    def _spaces(self) -> None:
        from superpublic.models import OpeningHours, Space

        for order, (slug, name) in enumerate([*BENCH_SPACES, *FREE_BENCH_SPACES], start=10):
            space, _ = Space.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "kind": "meeting", "capacity": 12, "order": order,
                          "description": "Une salle du banc d'essai."},
            )  # fmt: skip
            for weekday in range(5):  # Monday to Friday, 9:00 to 19:00, like the demo's rooms
                OpeningHours.objects.update_or_create(
                    space=space,
                    weekday=weekday,
                    defaults={"opens": datetime.time(9), "closes": datetime.time(19)},
                )

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
            (
                User(email=f"bench{i}@bench.test", first_name=f"Prénom{i}", last_name=f"Nom{i}", password=password,
                     organisation=chance.choice(organisations))
                for i in range(n)
            ),
            batch_size=2000,
        )  # fmt: skip
        EmailAddress.objects.bulk_create(
            (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
            batch_size=2000,
        )
        return users

    def _accounts(self) -> None:
        """The booking scenarios' people: verified agents of an organisation without a
        membership, verified users of a member organisation, staff with a second factor."""
        from allauth.account.models import EmailAddress
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        region = Region.objects.get(slug="ile-de-france")
        agents = Organisation.objects.create(
            name="Bench : collectivité sans adhésion", slug=AGENTS_ORGANISATION,
            kind="departmental_council", region=region,
        )  # fmt: skip
        members = Organisation.objects.create(
            name="Bench : collectivité adhérente", slug=MEMBERS_ORGANISATION,
            kind="regional_council", region=region,
        )  # fmt: skip
        Membership.objects.create(
            organisation=members, tier="member", starts=datetime.date(2012, 1, 1)
        )
        organisation = {"agent": agents, "contender": agents, "member": members, "staff": None}
        password = make_password(settings.DEMO_PASSWORD)
        users = User.objects.bulk_create(
            User(email=account_email(kind, n), first_name=kind.capitalize(), last_name=str(n),
                 password=password, organisation=organisation[kind], is_staff=kind == "staff")
            for kind, count in ACCOUNTS.items()
            for n in range(count)
        )  # fmt: skip
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
        )
        for user in users:
            if user.is_staff:  # staff powers only with a second factor (lab/access.py)
                TOTP.activate(user, generate_totp_secret())

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
        return projects

    def _profiles(self, n, users, projects, chance):
        from community.models import Discipline, Method, Profile

        if n > len(users):
            raise CommandError(f"{n} profiles need as many users; {len(users)} were made.")
        disciplines = list(Discipline.objects.all())
        methods = list(Method.objects.all())
        regions = list(Region.objects.filter(generation="current"))
        now = timezone.now()
        profiles = Profile.objects.bulk_create(
            (
                Profile(user=u, display_name=f"{u.first_name} {u.last_name}", slug=f"bench-{u.pk}", role="Praticien",
                        region=chance.choice(regions), visibility=chance.choice(["public", "members", "hidden"]),
                        consent_at=now, consent_version=settings.COMMUNITY_POLICY_VERSION,
                        bio="Design de services et immersion.")
                for u in users[:n]
            ),
            batch_size=2000,
        )  # fmt: skip
        for relation, choices, most in [
            (Profile.disciplines, disciplines, 2),
            (Profile.methods, methods, 2),
            (Profile.projects, projects, 2),
        ]:
            through = relation.through
            target = f"{relation.rel.model._meta.model_name}_id"
            through.objects.bulk_create(
                (
                    through(profile_id=p.pk, **{target: item.pk})
                    for p in profiles
                    for item in chance.sample(choices, k=chance.randint(0, most))
                ),
                batch_size=5000,
            )

    def _publications(self, n, chance):
        from programmes.models import Theme
        from publications.models import Publication

        now = timezone.now()
        kinds = [k for k, _ in Publication.Kind.choices]
        themes = list(Theme.objects.all())
        publications = Publication.objects.bulk_create(
            (
                Publication(title=f"Publication {i}", slug=f"bench-publication-{i}", kind=chance.choice(kinds),
                            year=chance.randint(2010, 2026), summary="Un cahier du laboratoire.", status="published",
                            published_at=now - datetime.timedelta(days=chance.randint(1, 3000)),
                            public_from=now + datetime.timedelta(days=chance.randint(1, 60)) if i % 10 == 0 else None)
                for i in range(n)
            ),
            batch_size=2000,
        )  # fmt: skip
        through = Publication.themes.through
        through.objects.bulk_create(
            (
                through(publication_id=p.pk, theme_id=t.pk)
                for p in publications
                for t in chance.sample(themes, k=chance.randint(1, 2))
            ),
            batch_size=5000,
        )

    def _bookings(self, n, users, chance):
        """n half-hour bookings drawn evenly from every free half hour of the booked spaces,
        365 days back to 365 forward, within opening hours, outside closures and clear of
        the bookings already there (the exclusion constraint would refuse the batch)."""
        from lab.lib.dates import paris_datetime
        from superpublic.models import Booking, Closure, Space

        spaces = list(
            Space.objects.filter(slug__in=[*BOOKED_DEMO_SPACES, *dict(BENCH_SPACES)])
            .prefetch_related("opening_hours")
            .order_by("pk")
        )
        today = timezone.localdate()
        first = today - datetime.timedelta(days=BOOKING_DAYS_BACK)
        days = [first + datetime.timedelta(days=d) for d in range(BOOKING_DAYS_BACK + BOOKING_DAYS_FORWARD + 1)]  # fmt: skip
        taken = [(b.space_id, b.period) for b in Booking.objects.active().filter(space__in=spaces)]
        slots = []
        for space in spaces:
            closed = [c.period for c in Closure.objects.affecting(space)]
            busy = [period for space_id, period in taken if space_id == space.pk] + closed
            hours = {h.weekday: h for h in space.opening_hours.all()}
            for day in days:
                if day.weekday() not in hours:
                    continue
                opens = paris_datetime(day, hours[day.weekday()].opens)
                closes = paris_datetime(day, hours[day.weekday()].closes)
                begin = opens
                while begin + datetime.timedelta(minutes=30) <= closes:
                    end = begin + datetime.timedelta(minutes=30)
                    if not any(p.lower < end and begin < p.upper for p in busy):
                        slots.append((space, begin, end))
                    begin = end
        if len(slots) < n:
            raise CommandError(f"Only {len(slots)} free half hours for {n} bookings.")
        rows = []
        for space, begin, end in sorted(chance.sample(slots, n), key=lambda s: s[1]):
            public = chance.random() < 0.02
            rows.append(
                Booking(space=space, booked_by=chance.choice(users), title="Réunion", attendees=4, status="confirmed",
                        period=DateTimeTZRange(begin, end, "[)"), is_public=public,
                        public_description="Rencontre" if public else "")
            )  # fmt: skip
        Booking.objects.bulk_create(rows, batch_size=5000)

    def _events(self, n, chance):
        from community.models import Event

        now = timezone.now()
        kinds = [k for k, _ in Event.Kind.choices]
        Event.objects.bulk_create(
            (
                Event(title=f"Événement {i}", slug=f"bench-evenement-{i}", kind=chance.choice(kinds),
                      starts=(start := now + datetime.timedelta(days=chance.randint(-300, 300))),
                      ends=start + datetime.timedelta(hours=2), capacity=40, registration_opens=now - datetime.timedelta(days=30),
                      audience=chance.choice(["public", "members"]))
                for i in range(n)
            ),
            batch_size=2000,
        )  # fmt: skip
