"""make bench: seed the bench database, serve it with gunicorn, drive it with Locust, report.

Usage: .venv/bin/python -m bench.run [--quick]   (make bench [QUICK=1])

Production mode (DJANGO_ENV=production) when DATABASE_URL and REDIS_URL are both set,
development mode with DEBUG off otherwise; bench/settings.py adds only what the bench needs.
Writes bench/results.json and prints a table. Targets are reported, never asserted; a floor
run that fails or is empty fails the bench (exit status 1), since no ratio means anything then.

BENCH_ONLY=floor,community_partner runs a few scenarios (the floor always runs), BENCH_SECONDS
changes the length of each, BENCH_WORKERS the number of gunicorn workers.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in {None, ""}:  # run as a file: bench/ itself must not shadow top-level modules
    sys.path[0] = str(ROOT)

# gunicorn's own advice for sync workers: (2 x cores) + 1, so one waiting on the database or
# Redis leaves the cores busy with another.
WORKERS = int(os.environ.get("BENCH_WORKERS", 2 * (os.cpu_count() or 1) + 1))
CLIENTS = 8
CONTENDERS = 50
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results.json"

# Each scenario: its kind, the pool it draws from (bench/pools.py), who asks.
# Booking scenarios book within these days from today, inside each person's horizon
# (60 days for an agent, 180 for a member or staff), on days no other scenario uses.
SCENARIOS: dict[str, dict] = {
    "floor": {"kind": "floor", "pool": "floor"},
    "home": {"kind": "pool", "pool": "home"},
    "projects": {"kind": "pool", "pool": "projects"},
    "project": {"kind": "pool", "pool": "project"},
    "region": {"kind": "pool", "pool": "region"},
    "publication": {"kind": "pool", "pool": "publication"},
    "space_week": {"kind": "pool", "pool": "space_week"},
    "api_projects": {"kind": "pool", "pool": "api_projects"},
    "community_partner": {"kind": "pool", "pool": "community", "as": "partner"},
    "publications_partner": {"kind": "pool", "pool": "publications", "as": "partner"},
    "projects_cold": {"kind": "cold", "pool": "projects"},
    "project_cold": {"kind": "cold", "pool": "project"},
    "region_cold": {"kind": "cold", "pool": "region"},
    "publication_cold": {"kind": "cold", "pool": "publication"},
    "book_agent": {"kind": "book", "as": "agent", "days": (2, 59), "quota": True},
    "book_member": {"kind": "book", "as": "member", "days": (61, 120), "quota": True},
    "book_staff": {"kind": "book", "as": "staff", "days": (121, 179), "quota": False},
}
ANONYMOUS_POOLS = ["home", "projects", "project", "region", "publication", "space_week", "api_projects"]  # fmt: skip
SIGNED_IN_POOLS = ["community_partner", "publications_partner"]
CONTENTION_SPACE = "co-working"


def selected() -> list[str]:
    only = [s for s in os.environ.get("BENCH_ONLY", "").split(",") if s]
    unknown = set(only) - set(SCENARIOS)
    if unknown:
        sys.exit(f"BENCH_ONLY: unknown scenarios {sorted(unknown)}; known: {list(SCENARIOS)}")
    return [s for s in SCENARIOS if not only or s in only or s == "floor"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def percentile(histogram: dict, total: int, fraction: float) -> float:
    """Locust's response time histogram (rounded ms -> count) to a percentile."""
    seen = 0
    for value in sorted(histogram, key=float):
        seen += histogram[value]
        if seen >= fraction * total:
            return float(value)
    return 0.0


def environment() -> tuple[str, dict]:
    """The mode and the environment of every process of the run."""
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR", "EMAIL_URL": "dummymail://",  # emails are rendered and sent, to nowhere
    }  # fmt: skip
    if os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL"):
        env.pop("DEBUG", None)
        # A new key each run: sessions are made for this run only.
        env.update(DJANGO_ENV="production", SECRET_KEY=secrets.token_urlsafe(48))
        return "production", env
    env.update(DJANGO_ENV="development", DEBUG="false")
    return "development", env


def ensure_bench_database() -> None:
    """With DATABASE_URL, create `lab_bench` on that server when it is missing.

    (The embedded server creates its databases itself.)
    """
    url = os.environ.get("DATABASE_URL")
    if not url:
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'lab_bench'"
        ).fetchone():
            connection.execute('CREATE DATABASE "lab_bench"')


def prepare(env: dict, scenarios: list[str]) -> dict:
    """The run's context, made in this process from the bench database: URL pools, sessions
    of the signed-in people, the free slots each booking scenario's virtual users walk."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connections
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from bench import pools
    from bench.management.commands.seed_bench import ACCOUNTS, account_email, read_back
    from lab.models import User
    from superpublic import rules

    # Sessions of earlier runs were signed with another key: only this run's stay.
    Session.objects.all().delete()
    expires = timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions: dict[str, list[str]] = {}
    rows = []
    for kind, count in ACCOUNTS.items():
        users = User.objects.filter(email__in=[account_email(kind, n) for n in range(count)])
        by_email = {user.email: user for user in users}
        sessions[kind] = []
        for n in range(count):
            user = by_email[account_email(kind, n)]
            key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
            data = {SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                    HASH_SESSION_KEY: user.get_session_auth_hash()}  # fmt: skip
            rows.append(Session(session_key=key, session_data=SessionStore().encode(data), expire_date=expires))  # fmt: skip
            sessions[kind].append(key)
    Session.objects.bulk_create(rows, batch_size=1000)
    # Partners for the signed-in pages: verified users of a member organisation.
    sessions["partner"] = sessions["member"][-4:]

    contention_day, columns = booking_columns(scenarios)
    context = {
        "nonce": secrets.token_hex(4),  # cold URLs never met in an earlier run either
        "clients": CLIENTS,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "quota": rules.MAX_FUTURE_BOOKINGS,
        "sessions": sessions,
        "pools": {"floor": ["/bench/floor"], **pools.build()},
        "scenarios": {
            name: {
                **{k: v for k, v in spec.items() if k not in {"days", "quota"}},
                **({"columns": columns[name], "quota": spec["quota"]} if name in columns else {}),
            }
            for name, spec in SCENARIOS.items()
        },
        "contention": {"space": CONTENTION_SPACE, "day": contention_day.isoformat()},
        "sizes": read_back(),
    }
    connections.close_all()
    return context


def booking_columns(scenarios: list[str]) -> tuple[datetime.date, dict[str, list[list[dict]]]]:
    """Each booking scenario's free (space, day) columns, dealt out to its virtual users.

    Only the spaces seed_bench keeps free of bookings, weekdays with opening hours, the half
    hours inside them outside any closure, within the scenario's days. The contention slot's
    column is kept apart.
    """
    from django.utils import timezone

    from bench.management.commands.seed_bench import FREE_SPACES
    from lab.lib.dates import paris_datetime
    from superpublic.models import Closure, Space

    today = timezone.localdate()
    spaces = list(
        Space.objects.filter(slug__in=FREE_SPACES, active=True)
        .prefetch_related("opening_hours")
        .order_by("slug")
    )
    closed = {space.pk: [c.period for c in Closure.objects.affecting(space)] for space in spaces}

    def half_hours(space, day: datetime.date) -> list[tuple[str, str]]:
        hours = next((h for h in space.opening_hours.all() if h.weekday == day.weekday()), None)
        if hours is None:
            return []
        found = []
        begin = paris_datetime(day, hours.opens)
        while begin + datetime.timedelta(minutes=30) <= paris_datetime(day, hours.closes):
            end = begin + datetime.timedelta(minutes=30)
            if not any(p.lower < end and begin < p.upper for p in closed[space.pk]):
                found.append((f"{begin:%H:%M}", f"{end:%H:%M}"))
            begin = end
        return found

    contention = next(
        today + datetime.timedelta(days=d)
        for d in range(2, 59)
        for space in spaces
        if space.slug == CONTENTION_SPACE
        and ("10:00", "10:30") in half_hours(space, today + datetime.timedelta(days=d))
        and ("10:30", "11:00") in half_hours(space, today + datetime.timedelta(days=d))
    )
    dealt = {}
    for name, spec in SCENARIOS.items():
        if spec["kind"] != "book" or name not in scenarios:
            continue
        first, last = spec["days"]
        columns = []
        for offset in range(first, last + 1):
            day = today + datetime.timedelta(days=offset)
            for space in spaces:
                if (space.slug, day) == (CONTENTION_SPACE, contention):
                    continue
                if slots := half_hours(space, day):
                    columns.append({"space": space.slug, "day": day.isoformat(), "slots": slots})
        dealt[name] = [columns[n::CLIENTS] for n in range(CLIENTS)]
    return contention, dealt


class MemorySampler(threading.Thread):
    def __init__(self, master_pid: int):
        super().__init__(daemon=True)
        import psutil

        self.master = psutil.Process(master_pid)
        self.peak: dict[int, int] = {}
        self.running = True

    def run(self):
        while self.running:
            try:
                for child in self.master.children():
                    rss = child.memory_info().rss
                    self.peak[child.pid] = max(self.peak.get(child.pid, 0), rss)
            except Exception:  # noqa: S110 (a worker restarting between two samples)
                pass
            time.sleep(0.25)


def _row(entry: dict) -> dict:
    duration = max(entry["last_request_timestamp"] - entry["start_time"], 0.001)
    total = entry["num_requests"]
    return {
        "requests": total,
        "errors": entry["num_failures"],
        "rps": round(total / duration, 1) if total else 0.0,
        "p50_ms": percentile(entry["response_times"], total, 0.50),
        "p95_ms": percentile(entry["response_times"], total, 0.95),
    }


def run_locust(scenario: str, url: str, seconds: int, context_file: str, env: dict) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        failures = Path(folder) / "failures.json"
        run_env = {**env, "BENCH_SCENARIO": scenario, "BENCH_CONTEXT": context_file, "BENCH_FAILURES": str(failures)}  # fmt: skip
        result = subprocess.run(
            [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless", "-u", str(CLIENTS),
             "-r", str(CLIENTS), "-t", f"{seconds}s", "--host", url, "--json", "--only-summary",
             "--loglevel", "ERROR"],
            cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=seconds + 90, check=False,
        )  # fmt: skip
        reasons = json.loads(failures.read_text()) if failures.exists() else {}
    try:
        stats = json.loads(result.stdout or "[]")
    except json.JSONDecodeError:
        stats = []
    entry = next((s for s in stats if s["name"] == scenario and s["method"] != "BENCH"), None)
    if entry is None:
        return {"requests": 0, "errors": 0, "rps": 0.0, "p50_ms": 0.0, "p95_ms": 0.0,
                "failures": reasons, "note": (result.stderr or "no request was made")[-500:]}  # fmt: skip
    row = _row(entry)
    # The form loaded before each booking, and the bench's own limits (out of accounts or
    # slots), count as errors of the scenario too.
    others = [s for s in stats if s is not entry and s["name"] in {scenario, f"{scenario} form"}]
    row["errors"] += sum(s["num_failures"] for s in others)
    form = next((s for s in others if s["name"] == f"{scenario} form"), None)
    if form:
        row["form"] = _row(form)
    if reasons:
        row["failures"] = reasons
    return row


def warm_up(url: str, context: dict, scenarios: list[str]) -> None:
    """Every worker imports its code and renders each kind of page before anything is measured.

    A few URLs of each pool, not the pools themselves: what a cache holds during a pool
    scenario is what that scenario's own requests put there.
    """
    import random

    import requests

    chance = random.Random(context["nonce"])  # noqa: S311
    clients = {"": requests.Session()}
    for who in ("partner", "agent"):
        clients[who] = requests.Session()
        clients[who].cookies.set(context["session_cookie"], context["sessions"][who][0], domain="127.0.0.1")  # fmt: skip
    for name in scenarios:
        spec = context["scenarios"][name]
        for n in range(3 * WORKERS):
            if spec["kind"] == "book":
                path = f"/superpublic/reserver/?espace={CONTENTION_SPACE}"
                clients["agent"].get(f"{url}{path}", timeout=30)
                continue
            path = chance.choice(context["pools"][spec["pool"]])
            if spec["kind"] == "cold":
                path += f"{'&' if '?' in path else '?'}n=warm-{context['nonce']}-{n}"
            clients[spec.get("as", "")].get(f"{url}{path}", timeout=30)


def contention(url: str, context: dict) -> dict:
    """50 clients book the same slot at once: exactly one should get it."""
    import requests

    sessions = context["sessions"]["contender"][:CONTENDERS]
    barrier = threading.Barrier(len(sessions))
    outcomes: list[str] = []
    space, day = context["contention"]["space"], context["contention"]["day"]

    def attempt(session_key: str):
        client = requests.Session()
        client.cookies.set(context["session_cookie"], session_key, domain="127.0.0.1")
        page = client.get(f"{url}/superpublic/reserver/?espace={space}", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        data = {"csrfmiddlewaretoken": token.group(1) if token else "", "space": space, "day": day,
                "start": "10:00", "end": "11:00", "attendees": "2", "title": "Contention", "conflict_mode": "skip"}  # fmt: skip
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=60)
        response = client.post(f"{url}/superpublic/reserver/", data=data, timeout=60, allow_redirects=False,
                               headers={"Referer": f"{url}/superpublic/reserver/"})  # fmt: skip
        # Booked means sent to the booking's page; a sign-in page would be a broken session.
        if response.status_code == 302 and "/reservations/" in response.headers.get("Location", ""):
            outcomes.append("booked")
        elif response.status_code == 400 and "vient d" in response.text:
            outcomes.append("refused")
        else:
            outcomes.append(f"status {response.status_code}")

    threads = [threading.Thread(target=attempt, args=(key,)) for key in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return {
        "clients": len(threads),
        "booked": outcomes.count("booked"),
        "refused": outcomes.count("refused"),
        "other": [o for o in outcomes if o not in {"booked", "refused"}],
    }


def bookings_made() -> dict:
    """What the booking scenarios left in the database, by scenario and status."""
    from django.db.models import Count

    from bench.management.commands.seed_bench import FREE_SPACES
    from superpublic.models import Booking

    scenario = {"agent": "book_agent", "member": "book_member", "staff": "book_staff", "contender": "contention"}  # fmt: skip
    made: dict[str, dict[str, int]] = {}
    rows = (
        Booking.objects.filter(space__slug__in=FREE_SPACES)
        .values("booked_by__email", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        kind = (row["booked_by__email"] or "").removeprefix("bench-").split("-")[0]
        name = scenario.get(kind, "other")
        made.setdefault(name, {})
        made[name][row["status"]] = made[name].get(row["status"], 0) + row["n"]
    return made


class Worker:
    """A Celery worker on the bench's queue, as production runs one beside the web workers:
    the emails the bookings queue are sent (to EMAIL_URL=dummymail://)."""

    def __init__(self, env: dict, folder: str):
        self.env = env
        self.log = Path(folder) / "worker.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "celery"), "-A", "lab", "worker", "-Q", "lab-bench", "--concurrency", "1",
                 "--loglevel", "ERROR", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip

    def waiting(self) -> int:
        import redis

        return redis.Redis.from_url(self.env["REDIS_URL"]).llen("lab-bench")

    def stop(self) -> dict:
        """Let it send what is queued (a minute at most) and stop it: what was left unsent,
        and the errors it logged (a task that failed leaves nothing in the queue)."""
        for _ in range(120):
            if self.waiting() == 0:
                break
            time.sleep(0.5)
        self.process.terminate()
        self.process.wait(timeout=60)
        left = self.waiting()
        if left:
            import redis

            redis.Redis.from_url(self.env["REDIS_URL"]).delete("lab-bench")
        errors = [line for line in self.log.read_text().splitlines() if "ERROR" in line]
        return {"emails_left_unsent": left, "errors": len(errors), "first_errors": errors[:3]}


def ratio(row: dict, floor: float) -> float:
    return round(row["rps"] / floor, 2) if floor else 0.0


def target(value, comparison: str, threshold) -> dict:
    met = value >= threshold if comparison == ">=" else value <= threshold
    return {"value": value, "comparison": comparison, "threshold": threshold, "met": met}


def targets(report: dict) -> dict[str, dict]:
    """Each target with its measured value, its threshold, met or missed (never asserted)."""
    rows = report["scenarios"]
    found: dict[str, dict] = {}
    if "projects_cold" in rows:
        found["projects_cold x floor"] = target(rows["projects_cold"]["ratio_to_floor"], ">=", 0.10)
        found["projects_cold p95 ms"] = target(rows["projects_cold"]["p95_ms"], "<=", 150)
    for name in ("project_cold", "region_cold", "publication_cold"):
        if name in rows:
            found[f"{name} x floor"] = target(rows[name]["ratio_to_floor"], ">=", 0.15)
    for names, least in ((ANONYMOUS_POOLS, 0.35), (SIGNED_IN_POOLS, 0.20)):
        for name in names:
            if name in rows:
                found[f"{name} x floor"] = target(rows[name]["ratio_to_floor"], ">=", least)
                found[f"{name} p95 ms"] = target(rows[name]["p95_ms"], "<=", 60)
    if "book_agent" in rows:
        found["book_agent p95 ms"] = target(rows["book_agent"]["p95_ms"], "<=", 150)
    c = report["contention"]
    found["contention of 50"] = {
        "value": f"{c['booked']} booked, {c['refused']} refused, {len(c['other'])} other",
        "comparison": "=",
        "threshold": f"1 booked, {c['clients'] - 1} refused, 0 other",
        "met": c["booked"] == 1 and c["refused"] == c["clients"] - 1 and not c["other"],
    }
    found["worker peak RSS MB"] = target(max(report["worker_peak_rss_mb"], default=0), "<=", 200)
    found["errors across scenarios"] = target(sum(row["errors"] for row in rows.values()), "<=", 0)
    return found


def floor_failure(first: dict, last: dict) -> str:
    for label, row in (("first", first), ("last", last)):
        if not row["requests"] or not row["rps"]:
            return f"the {label} floor run made no request ({row.get('note', '')[-200:]})"
        if row["errors"]:
            return f"the {label} floor run had {row['errors']} errors: {row.get('failures')}"
    return ""


def print_report(report: dict) -> None:
    print()
    print(f"{report['mode']} mode, {report['database']}, cache: {report['cache']}, "
          f"{report['workers']} workers, {report['clients']} clients, "
          f"{report['seconds_per_scenario']} s per scenario")  # fmt: skip
    print("sizes (counted): " + ", ".join(f"{k} {v:,}" for k, v in report["sizes"].items()))
    print()
    print(f"{'scenario':22} {'kind':16} {'req/s':>8} {'x floor':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7}")  # fmt: skip
    for name, row in report["scenarios"].items():
        kind = report["kinds"][name]
        print(f"{name:22} {kind:16} {row['rps']:>8} {row.get('ratio_to_floor', 0):>8.2f} "
              f"{row['p50_ms']:>7} {row['p95_ms']:>7} {row['errors']:>7}")  # fmt: skip
        if "form" in row:
            form = row["form"]
            print(f"{'  (its form, GET)':39} {form['rps']:>8} {'':>8} {form['p50_ms']:>7} "
                  f"{form['p95_ms']:>7} {form['errors']:>7}")  # fmt: skip
        for reason, times in row.get("failures", {}).items():
            print(f"{'':24}! {times} x {reason[:110]}")
    floor = report["floor_rps"]
    print(
        f"\nfloor: {floor['first']} req/s first, {floor['last']} last; ratios use {floor['used']}"
    )
    c = report["contention"]
    print(f"contention: {c['booked']} booked, {c['refused']} refused out of {c['clients']}; "
          f"other: {c['other'] or 'none'}")  # fmt: skip
    print(f"bookings made (by status): {report['bookings_made']}")
    if report["celery_worker"] is not None:
        print(f"celery worker (the bookings' emails): {report['celery_worker']}")
    print(f"web worker peak memory (MB): {report['worker_peak_rss_mb']}")
    print("\ntargets (reported, not asserted):")
    for name, t in report["targets"].items():
        print(f"  {'met   ' if t['met'] else 'MISSED'}  {name:32} {t['value']!s:>30}  "
              f"(target {t['comparison']} {t['threshold']})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    scenarios = selected()
    mode, env = environment()
    print(f"make bench: {mode} mode", flush=True)
    ensure_bench_database()
    manage("migrate", "--noinput", "-v", "0", env=env)
    started = time.monotonic()
    manage("seed_bench", "--if-needed", *(["--quick"] if args.quick else []), env=env)
    manage("collectstatic", "--noinput", "-v", "0", env=env)
    print(f"data and static files ready in {time.monotonic() - started:.0f} s", flush=True)
    context = prepare(env, scenarios)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    seconds = int(os.environ.get("BENCH_SECONDS", 6 if args.quick else 20))
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        context_file = f"{folder}/context.json"
        Path(context_file).write_text(json.dumps(context))
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "lab.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
             "--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        worker = Worker(env, folder) if env.get("REDIS_URL") else None
        sampler = MemorySampler(server.pid)
        celery = None
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"{url}/bench/floor", timeout=1)  # noqa: S310 (loopback)
                    break
                except urllib.error.HTTPError as error:
                    sys.exit(f"\nBENCH FAILED: /bench/floor answered {error.code}.")
                except OSError:
                    time.sleep(0.2)
            else:
                sys.exit(
                    "\nBENCH FAILED: gunicorn never answered /bench/floor (its errors are above)."
                )
            warm_up(url, context, scenarios)
            sampler.start()
            for scenario in scenarios:
                results[scenario] = run_locust(scenario, url, seconds, context_file, env)
                print(f"  {scenario:22} {results[scenario]['rps']:>8} req/s  {results[scenario]['errors']} errors", flush=True)  # fmt: skip
            # The floor again at the end: a machine whose speed drifts during the run moves both.
            results["floor_again"] = run_locust("floor", url, seconds, context_file, env)
            print(f"  {'floor (again)':22} {results['floor_again']['rps']:>8} req/s", flush=True)
            contended = contention(url, context)
        finally:
            sampler.running = False
            server.terminate()
            server.wait(timeout=30)
            if worker:
                celery = worker.stop()
    floors = [results["floor"]["rps"], results["floor_again"]["rps"]]
    floor = sum(floors) / 2
    for row in results.values():
        row["ratio_to_floor"] = ratio(row, floor)
    kinds = {name: SCENARIOS[name]["kind"] for name in scenarios} | {"floor_again": "floor"}
    for name in SIGNED_IN_POOLS:
        kinds[name] = "pool, signed in"
    kinds.update(
        {"book_agent": "booking", "book_member": "booking, info", "book_staff": "booking, info"}
    )
    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "mode": mode,
        "database": (
            "lab_bench on the DATABASE_URL server"
            if os.environ.get("DATABASE_URL")
            else "lab_bench on the embedded pgserver"
        ),
        "cache": "redis" if os.environ.get("REDIS_URL") else "local memory (per process)",
        "workers": WORKERS,
        "clients": CLIENTS,
        "seconds_per_scenario": seconds,
        "sizes": context["sizes"],
        "floor_rps": {"first": floors[0], "last": floors[1], "used": round(floor, 1)},
        "kinds": kinds,
        "scenarios": results,
        "contention": contended,
        "bookings_made": bookings_made(),
        # Production mode only: the Celery worker that sent the bookings' emails.
        "celery_worker": celery,
        "worker_peak_rss_mb": sorted(round(v / 1024 / 1024, 1) for v in sampler.peak.values()),
    }
    report["targets"] = targets(report)
    failure = floor_failure(results["floor"], results["floor_again"])
    if failure:
        report["failed"] = failure
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(report)
    print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
    if failure:
        sys.exit(f"\nBENCH FAILED: {failure}. No ratio to the floor means anything in this run.")


if __name__ == "__main__":
    main()
