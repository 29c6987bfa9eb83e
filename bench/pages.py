"""The pages each scenario asks for; shared by the Locust file and the runner's warm-up."""

from __future__ import annotations

import os

PROJECT = os.environ.get("BENCH_PROJECT", "bench-projet-1")
WEEK = os.environ.get("BENCH_WEEK", "")

PAGES = {
    "floor": "/bench/floor",
    "home": "/",
    "projects": "/projets/",
    "projects_region": "/projets/?region=bourgogne-franche-comte",
    "projects_q": "/projets/?q=ruralite",
    "project": f"/projets/{PROJECT}/",
    "region": "/regions/pays-de-la-loire/",
    "community_partner": "/communaute/",
    "publications_partner": "/publications/",
    "space_week": f"/superpublic/espaces/atelier/?semaine={WEEK}",
    "api_projects": "/api/v1/projects/",
    "projects_uncached": "/projets/?sans-copie=",
}
WARM_UP = [path for name, path in PAGES.items() if name not in {"floor", "projects_uncached"}]
