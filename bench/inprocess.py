"""Each scenario's pages timed in process: no HTTP, no load generator, one request at a time.

Usage: .venv/bin/python -m bench.inprocess [scenario ...] [--cold] [--profile]

Works on the bench database under bench.settings, in the mode `make bench` would use (run
`make bench` once first, so the data is there). For each scenario, 30 requests drawn from its
pool as the load would draw them; --cold makes every URL unique (the cold scenarios' way).
Prints the mean time, the most queries one request made and the mean page size; --profile adds
a cProfile of the named scenarios. A diagnosis tool, not a benchmark: the figures that count
are `make bench`'s.
"""

from __future__ import annotations

import cProfile
import itertools
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in {None, ""}:  # run as a file
    sys.path[0] = str(ROOT)

from bench.run import SCENARIOS, environment  # noqa: E402

_, env = environment()
os.environ.update({**env, "ALLOWED_HOSTS": "testserver"})

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench import pools  # noqa: E402
from bench.management.commands.seed_bench import ACCOUNTS, account_email  # noqa: E402
from lab.models import User  # noqa: E402

REQUESTS = 30
# The page scenarios of the bench, two layout-only pages to compare with the floor, and the
# booking form the booking scenarios load before each post.
PAGES = {name: spec for name, spec in SCENARIOS.items() if spec["kind"] != "book"}
PAGES |= {
    "legal": {"kind": "pool", "pool": "legal"},
    "legal_partner": {"kind": "pool", "pool": "legal", "as": "partner"},
    "book_form": {"kind": "pool", "pool": "book_form", "as": "agent"},
}


def measure(name: str, warm: str, urls: list[str], client: Client) -> None:
    client.get(warm)  # code imported, templates compiled (never one of the measured URLs when cold)
    per_request: list[int] = []
    sizes = []

    def count(execute, sql, params, many, context):
        per_request[-1] += 1
        return execute(sql, params, many, context)

    start = time.perf_counter()
    with connection.execute_wrapper(count):
        for url in urls:
            per_request.append(0)
            response = client.get(url)
            assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
            sizes.append(len(response.content))
    mean = (time.perf_counter() - start) / len(urls) * 1000
    print(f"{name:22} {mean:7.2f} ms  {max(per_request):3} queries at most  "
          f"{statistics.mean(sizes) / 1024:5.0f} KB")  # fmt: skip
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        profile.enable()
        for url in urls[:20]:
            client.get(url)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


def main() -> None:
    cold = "--cold" in sys.argv
    wanted = [a for a in sys.argv[1:] if not a.startswith("--")] or list(PAGES)
    unknown = set(wanted) - set(PAGES)
    if unknown:
        sys.exit(f"Unknown scenarios {sorted(unknown)}; known: {list(PAGES)}")
    available = {
        "floor": ["/bench/floor"],
        "legal": ["/mentions-legales/"],
        "book_form": ["/superpublic/reserver/?espace=co-working"],
        **pools.build(),
    }
    people = {
        "partner": User.objects.get(email=account_email("member", ACCOUNTS["member"] - 1)),
        "agent": User.objects.get(email=account_email("agent", 0)),
    }
    chance = random.Random(27)  # noqa: S311
    unique = itertools.count()
    print(f"{'cold' if cold else 'pool'} URLs, {REQUESTS} requests each, one at a time")
    for name in wanted:
        spec = PAGES[name]
        urls = [chance.choice(available[spec["pool"]]) for _ in range(REQUESTS + 1)]
        if cold or spec["kind"] == "cold":
            urls = [f"{u}{'&' if '?' in u else '?'}n=inprocess-{next(unique)}" for u in urls]
        warm, urls = urls[0], urls[1:]
        client = Client()
        if "as" in spec:
            client.force_login(people[spec["as"]])
        measure(name, warm, urls, client)


if __name__ == "__main__":
    main()
