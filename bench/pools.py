"""The URLs the scenarios draw from, read from the bench database (Django must be set up).

Each pool is a list of paths; a scenario asks for a random one on each request. The cold
scenarios draw from the same pools and make every URL unique (bench/locustfile.py).
Deterministic for a given database and day: one seeded random generator.
"""

from __future__ import annotations

import datetime
import random
from urllib.parse import urlencode

from django.utils import timezone

# Words that appear in the seeded titles, summaries and bodies (seed_bench) and in the demo's.
PROJECT_WORDS = ["ruralité", "lycée", "accueil", "mobilité", "santé", "jeunesse", "démocratie",
                 "prospective", "commande publique", "Bretagne", "transition", "habitants"]  # fmt: skip
PROFILE_WORDS = ["design", "immersion", "praticien", "Prénom12", "Nom7", "services"]
PUBLICATION_WORDS = ["cahier", "laboratoire", "Publication 12", "design", "action publique"]
COMBINATIONS = 200
WEEKS_AROUND = 26


def _combinations(chance: random.Random, choices: dict[str, list], most: int) -> list[dict]:
    """COMBINATIONS distinct filter combinations of one to `most` parameters."""
    names = list(choices)
    seen: set[tuple] = set()
    found: list[dict] = [{}]  # the unfiltered list is one of them
    for _ in range(COMBINATIONS * 50):
        if len(found) >= COMBINATIONS:
            break
        picked = chance.sample(names, k=chance.randint(1, most))
        params = {name: chance.choice(choices[name]) for name in sorted(picked)}
        key = tuple(sorted(params.items()))
        if key not in seen:
            seen.add(key)
            found.append(params)
    return found


def _with_query(path: str, params: dict) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def build(seed: int = 27) -> dict[str, list[str]]:
    from community.models import Discipline, Method, Profile
    from lab.models import Organisation, Region
    from programmes.models import Programme, Project, Theme
    from publications.models import Publication
    from superpublic.models import Space

    chance = random.Random(seed)  # noqa: S311 (benchmark traffic)
    regions = list(Region.objects.order_by("slug").values_list("slug", flat=True))
    programmes = list(Programme.objects.order_by("slug").values_list("slug", flat=True))
    themes = list(Theme.objects.order_by("slug").values_list("slug", flat=True))
    published = Project.objects.published()

    # The same filters on the page and in the API (the page takes up to three at once).
    choices = {
        "q": PROJECT_WORDS,
        "programme": programmes,
        "region": regions,
        "theme": themes,
        "status": [value for value, _ in Project.Status.choices],
        "year": list(range(2009, 2030)),
    }
    project_filters = _combinations(chance, choices, most=3)
    api_filters = _combinations(chance, choices, most=2)
    # The API answers 404 past the last page: pages of the whole list only, as a client
    # walking the open data would ask for them (50 a page).
    api_filters += [{"page": page} for page in range(2, -(-published.count() // 50) + 1)]
    profiles = Profile.objects.consented().exclude(visibility="hidden").count()
    community_filters = _combinations(
        chance,
        {
            "q": PROFILE_WORDS,
            "discipline": list(Discipline.objects.order_by("slug").values_list("slug", flat=True)),
            "method": list(Method.objects.order_by("slug").values_list("slug", flat=True)),
            "region": list(
                Region.objects.filter(generation="current")
                .order_by("slug")
                .values_list("slug", flat=True)
            ),
            "organisation_kind": [value for value, _ in Organisation.Kind.choices],
            "programme": programmes,
            "page": list(range(2, max(profiles // 30, 2) + 1)),  # 30 a page
        },
        most=2,
    )
    publications = Publication.objects.published()
    publication_filters = _combinations(
        chance,
        {
            "q": PUBLICATION_WORDS,
            "kind": [value for value, _ in Publication.Kind.choices],
            "theme": themes,
            "year": list(range(2010, 2027)),
            "access": ["public", "priority"],
            "page": list(range(2, max(publications.count() // 24, 2) + 1)),  # 24 a page
        },
        most=2,
    )
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    weeks = [
        "{}-W{:02d}".format(*(monday + datetime.timedelta(weeks=w)).isocalendar()[:2])
        for w in range(-WEEKS_AROUND, WEEKS_AROUND + 1)
    ]
    spaces = list(Space.objects.filter(active=True).order_by("slug").values_list("slug", flat=True))
    return {
        "home": ["/"],
        "projects": [_with_query("/projets/", p) for p in project_filters],
        "project": [
            f"/projets/{slug}/" for slug in published.order_by("pk").values_list("slug", flat=True)
        ],
        "region": [f"/regions/{slug}/" for slug in regions],
        "publication": [
            f"/publications/{slug}/"
            for slug in publications.order_by("pk").values_list("slug", flat=True)
        ],
        "space_week": [
            _with_query(f"/superpublic/espaces/{slug}/", {"semaine": week})
            for slug in spaces
            for week in weeks
        ],
        "api_projects": [_with_query("/api/v1/projects/", p) for p in api_filters],
        "community": [_with_query("/communaute/", p) for p in community_filters],
        "publications": [_with_query("/publications/", p) for p in publication_filters],
    }
