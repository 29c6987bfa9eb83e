"""Locust scenarios for make bench; bench/run.py picks one per run with BENCH_SCENARIO.

Signed-in scenarios reuse session cookies prepared by the runner (BENCH_SESSIONS, comma-separated).
"""

from __future__ import annotations

import itertools
import os
import re

from locust import FastHttpUser, constant, task
from pages import PAGES  # bench/pages.py, beside this file

SCENARIO = os.environ.get("BENCH_SCENARIO", "floor")
SESSIONS = [s for s in os.environ.get("BENCH_SESSIONS", "").split(",") if s]
BOOK_DAYS = os.environ.get("BENCH_BOOK_DAYS", "").split(",")
_user_numbers = itertools.count()
_request_numbers = itertools.count()


class Visitor(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.number = next(_user_numbers)
        if SESSIONS:
            self.session = SESSIONS[self.number % len(SESSIONS)]
            self.client.cookiejar.set_cookie(_cookie("sessionid", self.session))
        self.slot = 0

    @task
    def scenario(self):
        if SCENARIO != "book":
            url = PAGES[SCENARIO]
            if SCENARIO == "projects_uncached":  # a new URL each time: never a shared copy
                url = f"{url}{next(_request_numbers)}-{self.number}"
            with self.client.get(url, name=SCENARIO, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"status {response.status_code}")
            return
        # Booking creation on free slots: each virtual user walks its own days and hours.
        form = self.client.get("/superpublic/reserver/?espace=petite-salle", name="book_form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text or "")
        day = BOOK_DAYS[(self.number + 8 * (self.slot // 18)) % len(BOOK_DAYS)]
        hour = 9 + (self.slot % 18) // 2
        minute = 30 * (self.slot % 2)
        self.slot += 1
        data = {
            "csrfmiddlewaretoken": token.group(1) if token else "", "space": "petite-salle", "day": day,
            "start": f"{hour:02d}:{minute:02d}", "end": f"{hour:02d}:{minute + 30 if minute == 0 else 0:02d}".replace(":00", ":00"),
            "attendees": "2", "title": "Bench", "conflict_mode": "skip",
        }  # fmt: skip
        if minute == 30:
            data["end"] = f"{hour + 1:02d}:00"
        with self.client.post("/superpublic/reserver/", data=data, name="book", headers={"Referer": self.host + "/superpublic/reserver/"},
                              catch_response=True, allow_redirects=False) as response:  # fmt: skip
            # Every slot asked for is free: a refusal is an error of the platform, not of the bench.
            if response.status_code != 302 or "/reservations/" not in response.headers.get(
                "Location", ""
            ):
                reason = re.search(r'class="errorlist[^"]*"><li>([^<]+)', response.text or "")
                response.failure(
                    f"status {response.status_code}: {reason.group(1) if reason else ''}"
                )


def _cookie(name, value):
    from http.cookiejar import Cookie

    return Cookie(
        0,
        name,
        value,
        None,
        False,
        "127.0.0.1",
        False,
        False,
        "/",
        True,
        False,
        None,
        False,
        None,
        None,
        {},
    )
