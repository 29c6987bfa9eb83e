"""Locust scenarios for make bench; bench/run.py runs one scenario per Locust process.

BENCH_SCENARIO names the scenario, BENCH_CONTEXT the JSON file the runner wrote: the URL
pools, the session keys of the signed-in people and the booking scenarios' free slots.

- pool: a random URL of the pool on each request (what a cache may hold);
- cold: the same pages, each URL made unique by a parameter never sent before in this run
  (what no cache holds);
- book: load the booking form, post a free half hour, as the scenario's kind of person.
  Each virtual user has its own (space, day) columns, walked slot by slot; it moves to the
  next account when one reaches the quota of future bookings. Every slot asked for is free
  and allowed for that person: a refusal is an error of the platform, counted with its reason.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie
from pathlib import Path

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

SCENARIO = os.environ["BENCH_SCENARIO"]
CONTEXT = json.loads(Path(os.environ["BENCH_CONTEXT"]).read_text())
SPEC = CONTEXT["scenarios"][SCENARIO]
KIND = SPEC["kind"]
POOL = CONTEXT["pools"].get(SPEC.get("pool", ""), [])
SESSIONS = CONTEXT["sessions"].get(SPEC.get("as", ""), [])
CLIENTS = CONTEXT["clients"]
_user_numbers = itertools.count()
ERROR = re.compile(r'class="errorlist[^"]*">\s*<li>([^<]+)')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.quitting.add_listener
def _write_failures(environment, **kwargs):
    """Every failure with its reason, counted at the very end (Locust's CSV lags behind)."""
    failures: dict[str, int] = {}
    for error in environment.stats.errors.values():
        where = "" if error.name == SCENARIO else f"{error.name}: "
        reason = f"{where}{error.parse_error(error.error)}"
        failures[reason] = failures.get(reason, 0) + error.occurrences
    Path(os.environ["BENCH_FAILURES"]).write_text(json.dumps(failures))


def _cookie(name: str, value: str) -> Cookie:
    return Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
                  None, False, None, None, {})  # fmt: skip


class Visitor(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.number = next(_user_numbers)
        self.random = random.Random(f"{CONTEXT['nonce']}-{SCENARIO}-{self.number}")  # noqa: S311
        self.requests = itertools.count()
        if KIND == "book":
            # Accounts number, number + CLIENTS, ...: no two virtual users share a person.
            self.accounts = iter(SESSIONS[self.number :: CLIENTS])
            self.slots = iter(
                (column["space"], column["day"], start, end)
                for column in SPEC["columns"][self.number]
                for start, end in column["slots"]
            )
            self._next_account()
        elif SESSIONS:
            self._sign_in(SESSIONS[self.number % len(SESSIONS)])

    def _sign_in(self, session_key: str) -> None:
        self.client.cookiejar.set_cookie(_cookie(CONTEXT["session_cookie"], session_key))

    def _next_account(self) -> None:
        account = next(self.accounts, None)
        if account is None:
            self._give_up("the bench ran out of accounts for this scenario")
        self._sign_in(account)
        self.booked = 0

    def _give_up(self, why: str):
        """A limit of the bench, not of the platform: said as an error, never hidden."""
        events.request.fire(request_type="BENCH", name=SCENARIO, response_time=0,
                            response_length=0, exception=RuntimeError(why), context={})  # fmt: skip
        raise StopUser()

    @task
    def scenario(self):
        if KIND == "book":
            self.book()
            return
        url = self.random.choice(POOL)
        if KIND == "cold":
            separator = "&" if "?" in url else "?"
            url = f"{url}{separator}n={CONTEXT['nonce']}-{self.number}-{next(self.requests)}"
        with self.client.get(url, name=SCENARIO, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")

    def book(self):
        slot = next(self.slots, None)
        if slot is None:
            self._give_up("the bench ran out of free slots for this scenario")
        space, day, start, end = slot
        with self.client.get(f"/superpublic/reserver/?espace={space}", name=f"{SCENARIO} form",
                             catch_response=True) as form:  # fmt: skip
            if form.status_code != 200:
                form.failure(f"status {form.status_code}")
                return
        token = TOKEN.search(form.text or "")
        data = {"csrfmiddlewaretoken": token.group(1) if token else "", "space": space, "day": day,
                "start": start, "end": end, "attendees": "2", "title": "Bench", "conflict_mode": "skip"}  # fmt: skip
        with self.client.post("/superpublic/reserver/", data=data, name=SCENARIO, allow_redirects=False,
                              headers={"Referer": f"{self.host}/superpublic/reserver/"},
                              catch_response=True) as response:  # fmt: skip
            # Booked means sent to the booking's page.
            if response.status_code == 302 and "/reservations/" in response.headers.get(
                "Location", ""
            ):
                self.booked += 1
                if SPEC["quota"] and self.booked >= CONTEXT["quota"]:
                    self._next_account()  # staff have no quota
            else:
                reason = ERROR.search(response.text or "")
                response.failure(
                    f"status {response.status_code}: {reason.group(1).strip() if reason else ''}"
                )
