"""Demo content of Superpublic: the spaces of the 300 m², their hours, a closure, a few bookings."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from lab import access
from lab.lib.dates import paris_datetime
from lab.models import User
from superpublic import services
from superpublic.models import Booking, Closure, OpeningHours, Space

# Where each space is drawn on the plan of the floor (superpublic/plan.py), in metres from the
# top left corner of a 20 m × 15 m rectangle, the street along the top: x, y, width, depth.
# The layout is illustrative, not the architect's plan: the rooms keep their areas (281 m² of
# the 300 m²; the rest is the entrance corridor and the halls between the rooms).
PLAN = {
    "grande-salle": ("0", "0", "12", "10"),  # 120 m², on the street
    "co-working": ("13", "0", "7", "10"),  # 70 m², beyond the entrance corridor (12–13 m)
    "atelier": ("0", "10", "11", "5"),  # 55 m², at the back
    "salle-de-reunion-vacquerie": ("11.6", "10", "4.4", "5"),  # 22 m²
    "petite-salle": ("16", "11.5", "4", "3.5"),  # 14 m², behind a small hall
}

SPACES = [
    {
        "slug": "grande-salle", "name": "Grande salle", "kind": "event_hall", "capacity": 80, "area": 120, "order": 1,
        "requires_approval": False,
        "description": "La salle des Superdébats, des EntreLabs et des journées de co-conception : modulable, lumineuse, ouverte sur la rue.",
        "equipment": "Vidéoprojecteur et écran\nSonorisation et deux micros\nChaises empilables et tables pliantes\nCuisine partagée",
        "accessibility": "De plain-pied depuis la rue, toilettes accessibles, boucle magnétique sur demande.",
    },
    {
        "slug": "atelier", "name": "Atelier", "kind": "workshop", "capacity": 25, "area": 55, "order": 2,
        "description": "Murs d'affichage, grandes tables et matériel de prototypage pour les ateliers de design.",
        "equipment": "Murs aimantés et tableaux blancs\nMatériel de prototypage (carton, post-it, feutres)\nÉcran mobile",
        "accessibility": "De plain-pied, tables à hauteur réglable.",
    },
    {
        "slug": "salle-de-reunion-vacquerie", "name": "Salle de réunion Vacquerie", "kind": "meeting", "capacity": 10, "area": 22, "order": 3,
        "description": "Une table pour dix, au calme, pour les réunions de travail.",
        "equipment": "Écran de visioconférence\nTableau blanc",
        "accessibility": "De plain-pied.",
    },
    {
        "slug": "petite-salle", "name": "Petite salle", "kind": "meeting", "capacity": 6, "area": 14, "order": 4,
        "description": "Pour un entretien ou une réunion à quelques-uns.",
        "equipment": "Écran\nTableau blanc",
        "accessibility": "De plain-pied.",
    },
    {
        "slug": "co-working", "name": "Plateau de co-working", "kind": "coworking", "capacity": 20, "area": 70, "order": 5,
        "allows_residency": True,
        "description": "Des postes partagés pour les résidents temporaires : professionnels, entrepreneurs, étudiants.",
        "equipment": "Wi-Fi\nImprimante partagée\nCasiers",
        "accessibility": "De plain-pied.",
    },
]  # fmt: skip


def _next_weekday(weekday: int, weeks: int) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def run() -> None:
    for data in SPACES:
        x, y, width, depth = (Decimal(value) for value in PLAN[data["slug"]])
        space, _ = Space.objects.update_or_create(
            slug=data["slug"],
            defaults={k: v for k, v in data.items() if k != "slug"}
            | {"plan_x": x, "plan_y": y, "plan_width": width, "plan_depth": depth},
        )
        # The hall stays open in the evening for the Apéros 27 and the Superdébats.
        closes = datetime.time(21) if space.kind == Space.Kind.EVENT_HALL else datetime.time(19)
        for weekday in range(5):
            OpeningHours.objects.update_or_create(
                space=space,
                weekday=weekday,
                defaults={"opens": datetime.time(9), "closes": closes},
            )
    year = timezone.localdate().year
    start = paris_datetime(datetime.date(year, 12, 24), datetime.time(0))
    end = paris_datetime(datetime.date(year + 1, 1, 4), datetime.time(0))
    Closure.objects.get_or_create(
        reason="Vacances d'hiver",
        defaults={"period": DateTimeTZRange(start, end, "[)"), "all_spaces": True},
    )
    _demo_bookings()


def _demo_bookings() -> None:
    """A few bookings in the coming weeks, when the demo accounts exist (seed_demo --accounts)."""
    partner = User.objects.filter(email="partenaire@demo.test").first()
    staff = User.objects.filter(email="equipe@demo.test", is_staff=True).first()
    if not (partner and staff):
        return
    # The team acts with its powers here: the seed is its own content, written before anyone set
    # up the second factor that staff powers ask for.
    staff.__dict__["_reader"] = access.Reader(
        user=staff, verified=True, staff_account=True, second_factor=True
    )
    # The lab's own events (the Apéro 27…) are the community's (community/seed.py): they hold
    # their rooms from there. A public booking made here becomes an event too.
    plans = [
        (partner, "atelier", "Atelier Transfo Pays de la Loire", 2, 1, "09:30", "12:30", False, ""),
        (staff, "grande-salle", "Superdébat : l'évaluation autrement", 1, 2, "17:00", "19:00", True,
         "Chercheurs, agents et élus débattent des manières de rendre compte de l'action publique."),
        (partner, "salle-de-reunion-vacquerie", "Comité de pilotage", 4, 2, "14:00", "16:00", False, ""),
    ]  # fmt: skip
    for user, space_slug, title, weekday, weeks, start, end, public, description in plans:
        space = Space.objects.get(slug=space_slug)
        if Booking.objects.filter(space=space, title=title).exists():
            continue
        # Try the planned week, then the following ones (a closure or a taken slot may be in the way).
        for extra in range(8):
            day = _next_weekday(weekday, weeks + extra)
            try:
                services.booking_create(
                    space=space, user=user, title=title, attendees=min(space.capacity, 20),
                    start=paris_datetime(day, datetime.time.fromisoformat(start)),
                    end=paris_datetime(day, datetime.time.fromisoformat(end)),
                    is_public=public, public_description=description, notify=False,
                )  # fmt: skip
                break
            except ValidationError:
                continue
