#!/usr/bin/env python3
"""Production smoke test: the built platform, served as production serves it, answers.

After bin/build, on the machine's Postgres and Redis (DATABASE_URL, REDIS_URL): a fresh
database `lab_smoke`, production settings (DJANGO_ENV=production, a random SECRET_KEY, one
trusted proxy), bin/serve (migrate, then gunicorn), the demo content and three accounts; then,
as the TLS proxy would send them (X-Forwarded-Proto: https, X-Forwarded-For, the public host):
every public page, the API, static files, sign-in as an agent, a partner and staff (with their
second factor), a signed-in page each, a download, sign-out; and the production headers.

Usage: .venv/bin/python bin/smoke.py   (exit status 1 with the list of what failed)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import signal
import socket
import struct
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
HOST = "la27eregion.example"
PASSWORD = "un-mot-de-passe-de-fumée-2026"
DATABASE = "lab_smoke"
failures: list[str] = []


def check(condition: bool, what: str) -> bool:
    print(f"  {'ok  ' if condition else 'FAIL'} {what}")
    if not condition:
        failures.append(what)
    return condition


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smoke_database_url() -> str:
    """DATABASE_URL's server, database lab_smoke, made afresh."""
    import psycopg

    server = os.environ.get("DATABASE_URL") or sys.exit("bin/smoke needs DATABASE_URL")
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


class Browser:
    """Cookies kept by hand: production's are Secure, and this talks HTTP to gunicorn as the
    TLS proxy does."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.10",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **kwargs.pop("headers", {}),
        }
        if method == "POST":
            headers.update({"Origin": f"https://{HOST}", "Referer": f"https://{HOST}{path}"})
        response = requests.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        for header in response.raw.headers.getlist("Set-Cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post_form(self, path: str, data: dict) -> requests.Response:
        page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        return self.request(
            "POST", path, data={**data, "csrfmiddlewaretoken": token.group(1) if token else ""}
        )


def prepare(env: dict) -> dict:
    """Demo content and three accounts, made with production settings."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    script = f"""
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from lab.models import Organisation, User
from publications.models import PublicationFile
accounts = {{}}
for email, organisation, staff in [("agent@smoke.test", "Conseil départemental du Val-de-Marne", False),
                                   ("partenaire@smoke.test", "Région Pays de la Loire", False),
                                   ("equipe@smoke.test", None, True)]:
    user = User.objects.create_user(email=email, password={PASSWORD!r}, first_name="Fumée", is_staff=staff,
                                    is_superuser=staff, organisation=Organisation.objects.filter(name=organisation).first())
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if staff:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        print("TOTP", secret)
file = PublicationFile.objects.select_related("publication").filter(publication__public_from__isnull=True).first()
print("FILE", file.publication.slug, file.pk)
"""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {
        "totp": re.search(r"^TOTP (\S+)", out, re.M).group(1),
        "file": re.search(r"^FILE (\S+) (\d+)", out, re.M).groups(),
    }


def totp_code(secret: str) -> str:
    """RFC 6238, as the authenticator app computes it (30 s steps, six digits)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def sign_in(browser: Browser, email: str, totp: str | None = None) -> bool:
    response = browser.post_form("/accounts/login/", {"login": email, "password": PASSWORD})
    if totp and response.headers.get("Location") == "/accounts/2fa/authenticate/":
        response = browser.post_form("/accounts/2fa/authenticate/", {"code": totp_code(totp)})
    return check(
        response.status_code == 302 and "/accounts/" not in response.headers.get("Location", ""),
        f"{email} signs in ({response.status_code} → {response.headers.get('Location')})",
    )


def main() -> int:
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": smoke_database_url(),
        "REDIS_URL": os.environ.get("REDIS_URL") or sys.exit("bin/smoke needs REDIS_URL"),
        "EMAIL_URL": "consolemail://",
        "TRUSTED_PROXY_COUNT": "1",
        "CACHE_KEY_PREFIX": "lab-smoke",
        "LOG_LEVEL": "WARNING",
        "PYTHON": sys.executable,
        "WEB_CONCURRENCY": "2",
    }
    env.pop("DEBUG", None)
    print("Production smoke test: preparing lab_smoke")
    prepared = prepare(env)
    port = free_port()
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "smoke-gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen([str(ROOT / "bin" / "serve")], cwd=ROOT, env={**env, "BIND": f"127.0.0.1:{port}", "ACCESS_LOG": "/dev/null"},
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                requests.get(
                    base + "/healthz",
                    headers={"Host": HOST, "X-Forwarded-Proto": "https"},
                    timeout=5,
                )
                break
            except requests.RequestException:  # not listening yet, or still starting
                time.sleep(0.2)
        visitor = Browser(base)
        print("Public pages")
        home = visitor.get("/")
        check(home.status_code == 200, f"/ answers {home.status_code}")
        check("max-age=" in home.headers.get("Strict-Transport-Security", ""), "HSTS on")
        check("default-src 'self'" in home.headers.get("Content-Security-Policy", ""), "CSP on")
        check(home.headers.get("X-Content-Type-Options") == "nosniff", "nosniff on")
        check(home.headers.get("X-Frame-Options") == "DENY", "framing refused")
        plain = requests.get(base + "/", headers={"Host": HOST}, allow_redirects=False, timeout=10)
        check(
            plain.status_code == 301 and plain.headers["Location"].startswith("https://"),
            "plain HTTP redirected to HTTPS",
        )
        css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home.text)
        if check(css is not None, "hashed static file names in pages"):
            asset = visitor.get(css.group(1))
            check(
                asset.status_code == 200 and "immutable" in asset.headers.get("Cache-Control", ""),
                "static file served, cached for good",
            )
        project = re.search(r'href="(/projets/[\w-]+/)"', visitor.get("/projets/").text)
        publication = re.search(
            r'href="(/publications/[\w-]+/)"', visitor.get("/publications/").text
        )
        for path in ["/programmes/", "/programmes/la-transfo/", "/projets/", "/projets/?q=ruralite&status=completed",
                     project.group(1) if project else "/projets/?missing", "/regions/", "/regions/pays-de-la-loire/",
                     "/superpublic/", "/publications/", publication.group(1) if publication else "/publications/?missing",
                     "/publications/feed/", "/communaute/", "/communaute/evenements/", "/superpublic/agenda.ics",
                     "/en/", "/mentions-legales/", "/accessibilite/", "/donnees/", "/sitemap.xml", "/robots.txt",
                     "/api/v1/projects/", "/api/v1/projects.csv", "/api/v1/spaces/", "/api/schema/", "/api/docs/",
                     "/accounts/login/", "/accounts/signup/"]:  # fmt: skip
            status = visitor.get(path).status_code
            check(status == 200, f"{path} answers {status}")
        health = visitor.get("/healthz")
        check(
            health.status_code == 200 and health.json()["redis"] == "ok",
            f"/healthz {health.status_code} {health.text}",
        )
        login = visitor.get("/accounts/login/")
        cookie = " ".join(login.raw.headers.getlist("Set-Cookie"))
        check("__Secure-csrftoken=" in cookie and "Secure" in cookie, "CSRF cookie secure")

        print("Signed in")
        agent = Browser(base)
        if sign_in(agent, "agent@smoke.test"):
            for path in [
                "/superpublic/mes-reservations/",
                "/programmes/mes-demandes/",
                "/communaute/mon-profil/",
            ]:
                response = agent.get(path)
                check(
                    response.status_code == 200
                    and "no-store" in response.headers.get("Cache-Control", ""),
                    f"agent {path} {response.status_code}, no-store",
                )
            check(
                agent.get("/").status_code == 200
                and "private" in agent.get("/").headers.get("Cache-Control", ""),
                "agent / private",
            )
        partner = Browser(base)
        if sign_in(partner, "partenaire@smoke.test"):
            for path in ["/communaute/", "/publications/"]:
                check(partner.get(path).status_code == 200, f"partner {path}")
            slug, file_id = prepared["file"]
            download = partner.get(f"/publications/{slug}/fichiers/{file_id}/")
            check(
                download.status_code == 200 and download.content[:4] == b"%PDF",
                f"partner downloads a file ({download.status_code})",
            )
            out = partner.post_form("/accounts/logout/", {})
            check(
                out.status_code == 302
                and partner.get("/superpublic/mes-reservations/").status_code == 302,
                "partner signs out",
            )
        staff = Browser(base)
        if sign_in(staff, "equipe@smoke.test", totp=prepared["totp"]):
            for path in ["/admin/", "/admin/superpublic/booking/", "/admin/lab/outgoingemail/"]:
                status = staff.get(path).status_code
                check(status == 200, f"staff {path} {status}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    errors = (ROOT / "var" / "smoke-gunicorn.log").read_text()
    check(
        "Traceback" not in errors and "Internal Server Error" not in errors,
        "no server error in the log",
    )
    if failures:
        print(f"\nProduction smoke test FAILED ({len(failures)}):\n  " + "\n  ".join(failures))
        print(
            "\nServer log (var/smoke-gunicorn.log), last lines:\n"
            + "\n".join(errors.splitlines()[-40:])
        )
        return 1
    print("\nProduction smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
