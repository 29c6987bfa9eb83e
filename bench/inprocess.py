"""Each bench page timed in process: no HTTP, no load generator, one request at a time.

Usage: .venv/bin/python bench/inprocess.py [scenario ...] [--profile]
Works on the bench database (run `make bench` once first). Prints, per page, the mean time of
30 requests with shared copies warm, the queries of one request and the page's size;
--profile adds a cProfile of the named scenarios. A diagnosis tool, not a benchmark: the
figures that count are `make bench`'s.
"""

from __future__ import annotations

import cProfile
import datetime
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.update(DJANGO_ENV="development", DEBUG="false", CONN_MAX_AGE="60",
                  ALLOWED_HOSTS="testserver", LOG_LEVEL="ERROR", API_ANON_RATE="100000000/hour",
                  DJANGO_SETTINGS_MODULE="bench.settings")  # fmt: skip

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from lab.models import User  # noqa: E402

TODAY = datetime.date.today()
WEEK = f"{TODAY.isocalendar()[0]}-W{TODAY.isocalendar()[1]:02d}"
PAGES = {  # the bench's scenarios, plus two layout-only pages to compare with the floor
    "floor": ("/bench/floor", None),
    "legal": ("/mentions-legales/", None),
    "legal_partner": ("/mentions-legales/", "partner"),
    "home": ("/", None),
    "projects": ("/projets/", None),
    "projects_uncached": ("/projets/?sans-copie={n}", None),
    "project": ("/projets/bench-projet-1/", None),
    "region": ("/regions/pays-de-la-loire/", None),
    "community_partner": ("/communaute/", "partner"),
    "publications_partner": ("/publications/", "partner"),
    "space_week": (f"/superpublic/espaces/atelier/?semaine={WEEK}", None),
    "api_projects": ("/api/v1/projects/", None),
}


def measure(name: str, path: str, client: Client, numbers) -> None:
    def get():
        return client.get(path.format(n=next(numbers)))

    assert get().status_code == 200, name
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = get()
    start = time.perf_counter()
    for _ in range(30):
        get()
    mean = (time.perf_counter() - start) / 30 * 1000
    print(
        f"{name:22} {mean:7.2f} ms  {len(queries):3} queries  {len(response.content) // 1024:4} KB"
    )
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(20):
            get()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


def main() -> None:
    wanted = [a for a in sys.argv[1:] if not a.startswith("--")] or list(PAGES)
    partner = User.objects.get(email="partenaire@demo.test")
    numbers = iter(range(10**9))
    for name in wanted:
        path, who = PAGES[name]
        client = Client()
        if who:
            client.force_login(partner)
        measure(name, path, client, numbers)


if __name__ == "__main__":
    main()
