"""The local OpenID provider (server.mjs, npm's oidc-provider) for the tests: started once a session.

tests/conftest.py exposes `oidc_provider`; `proconnect_settings` turns ProConnect on against it.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from lab.proconnect import conf
from tests.conftest import require_service

HERE = Path(__file__).resolve().parent
IDENTITIES = {
    login: identity
    for login, identity in json.loads((HERE / "identities.json").read_text()).items()
    if not login.startswith("_")
}
CLIENT_ID = "lab27-tests"
CLIENT_SECRET = "lab27-tests-secret"
START_TIMEOUT = 30


@dataclass(frozen=True)
class OidcProvider:
    issuer: str

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def providers_setting(self, *, discovery_url: str | None = None, acr: str = "eidas1") -> dict:
        """SOCIALACCOUNT_PROVIDERS as lab/settings.py builds it from the environment."""
        return conf.providers(
            client_id=CLIENT_ID,
            secret=CLIENT_SECRET,
            discovery_url=discovery_url or self.discovery_url,
            acr_values=acr,
        )


def _installed() -> bool:
    marker = HERE / "node_modules" / ".package-lock.json"
    return (
        marker.is_file() and marker.stat().st_mtime >= (HERE / "package-lock.json").stat().st_mtime
    )


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        require_service("Node.js", "node and npm are needed for the test OpenID provider")
    if not _installed():  # `make test` has installed it already; a bare pytest run may not have
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True
        )
    log = tmp_path_factory.mktemp("oidc-provider") / "provider.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [node, "server.mjs", "--port", "0"],
            cwd=HERE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CLIENT_SECRET},
        )
    try:
        # It listens on a free port and says which: "READY http://127.0.0.1:PORT".
        line, deadline = "", time.monotonic() + START_TIMEOUT
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            while not line.startswith("READY ") and time.monotonic() < deadline:
                if selector.select(timeout=deadline - time.monotonic()):
                    line = process.stdout.readline()
                    if not line:  # the process ended
                        break
        if not line.startswith("READY "):
            pytest.fail(f"the test OpenID provider did not start: {line!r}\n{log.read_text()}")
        provider = OidcProvider(issuer=line.split()[1])
        requests.get(provider.discovery_url, timeout=5).raise_for_status()
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.fixture
def proconnect_settings(oidc_provider, settings):
    """ProConnect turned on against the local provider, for one test."""
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.providers_setting()
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        **settings.CONTENT_SECURITY_POLICY,
        "DIRECTIVES": {
            **directives,
            "form-action": [
                *directives["form-action"],
                *conf.form_action(settings.SOCIALACCOUNT_PROVIDERS),
            ],
        },
    }
    return oidc_provider
