"""Settings of the benchmark: the project's own, with only what the bench needs changed.

The runner (bench/run.py) chooses the mode through the environment, as a deployment would:
DJANGO_ENV=production when DATABASE_URL and REDIS_URL are both set, development with
DEBUG=false otherwise. Everything else (middleware, templates, cache backend, sessions,
static files storage, security headers) is lab.settings' own.
"""

from __future__ import annotations

import os

# Without DATABASE_URL, lab.settings starts the embedded PostgreSQL and opens the database
# named here: the bench's own, so a bench run never creates or touches the demo's.
os.environ["EMBEDDED_DB_NAME"] = "lab_bench"

from lab.settings import *  # noqa: F403
from lab.settings import CACHES, DATABASES, INSTALLED_APPS, REST_FRAMEWORK

# Its own database on the same server (created by the runner, or by the embedded server).
DATABASES["default"]["NAME"] = "lab_bench"
# Persistent connections, as in production (development's default is 0).
DATABASES["default"]["CONN_MAX_AGE"] = 60

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"

# Its own keys in a shared Redis: a bench run never reads or clears the site's.
CACHES = {**CACHES, "default": {**CACHES["default"], "KEY_PREFIX": "lab-bench"}}
# Its own Celery queue too, so a developer's worker on the same Redis never sends (or
# steals) the bench's emails; the runner starts a worker on this queue.
CELERY_TASK_DEFAULT_QUEUE = "lab-bench"

# Eight clients ask the API thousands of times a minute from one address: the throttle still
# runs on every request (its cost is measured), its limit is out of reach.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000000/hour"}}

# The bench talks plain HTTP to gunicorn on the loopback, with no TLS proxy in front. In
# production mode these would redirect every request to https:// (a 301 instead of the page)
# and mark the session and CSRF cookies Secure under `__Secure-` names, which an HTTP client
# never sends back (every signed-in request anonymous, every form post refused by CSRF). The
# rest of production's settings stay as they are.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
