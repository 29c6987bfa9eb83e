"""The embedded PostgreSQL used when no DATABASE_URL is given.

`pgserver` ships PostgreSQL 16 binaries on PyPI, so `make run` and `make test`
work on a machine with no database server installed. The server is started
once under `var/postgres`, listens on a Unix socket only, and is left running
(cleanup_mode=None) so later commands reuse it and its data.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path


def embedded_database(data_dir: Path, name: str) -> dict:
    """Start (or reuse) the embedded server and return a Django DATABASES entry."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", name):
        raise ValueError(f"Unusable database name: {name!r}")
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; harmless here.
        warnings.simplefilter("ignore")
        import pgserver

        data_dir.mkdir(parents=True, exist_ok=True)
        server = pgserver.get_server(data_dir, cleanup_mode=None)
    socket_dir = _socket_dir(server.get_uri())
    # `name` is checked above: only lowercase letters, digits and underscores.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{name}";')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": "",
    }


def _socket_dir(uri: str) -> str:
    # pgserver answers "postgresql://postgres:@/postgres?host=/path/to/socket/dir"
    return uri.split("host=", 1)[1].split("&", 1)[0]
