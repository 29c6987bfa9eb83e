"""Take the screenshots of docs/screenshots/ from a running platform with its demo content.

    make run                                  # in one terminal (demo content and accounts)
    .venv/bin/python bin/screenshots.py       # in another; or: bin/screenshots.py http://host:port

Each page at 1280 px (desktop) and 390 px (phone), the first screen only, in French; « Mes
réservations » signed in as the demo partner (who has bookings). Debian's Chromium, as in the browser tests.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parents[1] / "docs/screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
PAGES = {
    "home": "/",
    "projects": "/projets/",
    "week": "/superpublic/espaces/grande-salle/",
    "superpublic": "/superpublic/",
}
SIGNED_IN = {"my-bookings": "/superpublic/mes-reservations/"}


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    password = os.environ.get("DEMO_PASSWORD", "demo-superpublic-2026")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        for device, (width, height) in WIDTHS.items():
            context = browser.new_context(
                base_url=base, locale="fr-FR", viewport={"width": width, "height": height}
            )
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=OUT / f"{name}-{device}.png")
            page.goto("/accounts/login/")
            page.get_by_label("Courriel").fill("partenaire@demo.test")
            page.get_by_label(re.compile(r"^Mot de passe\W*$")).fill(password)
            page.get_by_role("button", name="Connexion").click()
            page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
            for name, path in SIGNED_IN.items():
                page.goto(path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=OUT / f"{name}-{device}.png")
            context.close()
        browser.close()
    print(f"Screenshots written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
