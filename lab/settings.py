"""Settings for the La 27e Région platform, read from the environment.

Two modes, chosen by DJANGO_ENV:
- development (default): works with nothing configured; an embedded PostgreSQL
  (pgserver) when DATABASE_URL is unset, eager Celery and a local-memory cache
  when REDIS_URL is unset, emails printed on the console.
- production: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL and EMAIL_URL
  are required and their absence stops the process at start-up.

django-environ: https://django-environ.readthedocs.io/en/latest/
"""

from __future__ import annotations

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lab.lib.secret_key import weak_secret

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}"
    )
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    _required = ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"]
    _missing = [name for name in _required if not env.str(name, default="").strip()]
    if _missing:
        raise ImproperlyConfigured(
            "Production settings need these environment variables: " + ", ".join(_missing)
        )
    if env.bool("DEBUG", default=False):
        raise ImproperlyConfigured("DEBUG must not be on in production.")
    if _weakness := weak_secret(env.str("SECRET_KEY"), BASE_DIR):
        raise ImproperlyConfigured(f"SECRET_KEY refused: {_weakness}")

DEBUG = False if PRODUCTION else env.bool("DEBUG", default=True)
SECRET_KEY = env.str(
    "SECRET_KEY", default="dev-only-secret-key-not-for-production-use-0123456789abcdef"
)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# How many proxies in front of the site set X-Forwarded-For (0: none, the socket's address is the
# client's; 1 behind the compose file's TLS proxy). The client is then the address that many hops
# from the right of the header; anything further left was written by the client and is ignored.
# Rate limits (allauth's and the API's) count by that address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

INSTALLED_APPS = [
    "lab.apps.LabAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django.contrib.sitemaps",
    "django_htmx",
    "csp",
    "lab.apps.LabConfig",
    "lab.proconnect",
    "programmes",
    "community",
    "superpublic",
    "publications",
    "members",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "lab.middleware.FrenchTypographyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lab.middleware.PrivateByDefaultMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lab.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "lab.urls"
WSGI_APPLICATION = "lab.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lab.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded PostgreSQL under var/postgres.
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from lab.lib.embedded_postgres import embedded_database

    DATABASES = {
        "default": embedded_database(
            BASE_DIR / "var" / "postgres", env.str("EMBEDDED_DB_NAME", default="lab")
        )
    }
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if PRODUCTION else 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and the cache. Without it, tasks run eagerly in-process.
# The cache is an optimisation, never a dependency of a page: with Redis unreachable, each
# process caches in its own memory until Redis answers again (lab/lib/cache.py). Sessions
# live in the database for the same reason.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lab.lib.cache.RedisOrMemoryCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="lab"),
            "OPTIONS": {
                # A Redis that does not answer quickly is treated as absent.
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Celery (settings under the CELERY_ namespace, read by lab/celery.py).
CELERY_BROKER_URL = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request never waits on a broker that is down: the outbox's sweep sends what it did not carry.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_MAX_RETRIES = 0
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Europe/Paris"

AUTH_USER_MODEL = "lab.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_ADAPTER = "lab.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "lab.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[La 27e Région] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_PRESERVE_USERNAME_CASING = False
# allauth's rate limits are on by default; stated here so nobody switches them off by accident.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "La 27e Région"
# A code typed in the last second of its 30 s window arrives in the next one: accept the step
# before and after the server's (RFC 6238 §5.2), as authenticator apps expect. Without it, one
# sign-in in a few dozen failed at the window's edge (seen in the browser tests, met by people).
MFA_TOTP_TOLERANCE = 1

# ProConnect, the sign-in of public servants (OpenID Connect), as an allauth social account
# (lab/proconnect/). Its button shows only when these are set; the discovery URL (the local
# test provider's, for example) stands in for the domain. https://partenaires.proconnect.gouv.fr/
from lab.proconnect import conf as proconnect_conf  # noqa: E402

PROCONNECT_CLIENT_ID = env.str("PROCONNECT_CLIENT_ID", default="")
PROCONNECT_CLIENT_SECRET = env.str("PROCONNECT_CLIENT_SECRET", default="")
PROCONNECT_DOMAIN = env.str("PROCONNECT_DOMAIN", default="")
PROCONNECT_DISCOVERY_URL = proconnect_conf.discovery_url(
    domain=PROCONNECT_DOMAIN, url=env.str("PROCONNECT_DISCOVERY_URL", default="")
)
PROCONNECT_ACR_VALUES = env.str("PROCONNECT_ACR_VALUES", default="eidas1")
SOCIALACCOUNT_ADAPTER = "lab.proconnect.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS = proconnect_conf.providers(
    client_id=PROCONNECT_CLIENT_ID,
    secret=PROCONNECT_CLIENT_SECRET,
    discovery_url=PROCONNECT_DISCOVERY_URL,
    acr_values=PROCONNECT_ACR_VALUES,
)

# Email: EMAIL_URL (smtp://user:password@host:587/?tls=True), console otherwise.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="La 27e Région <contact@la27eregion.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = env.list("STAFF_NOTIFICATION_EMAILS", default=["equipe@la27eregion.fr"])

# Internationalisation: French at the root, English under /en/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
# Files that need a permission check (publication files); never served under MEDIA_URL.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
# Prefix of the internal nginx location used for X-Accel-Redirect; empty = Django streams the file.
PRIVATE_MEDIA_ACCEL_PREFIX = env.str("PRIVATE_MEDIA_ACCEL_PREFIX", default="")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers. Secure cookies and HTTPS everywhere in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Secure-sessionid"
    CSRF_COOKIE_NAME = "__Secure-csrftoken"

# Content-Security-Policy (django-csp): no inline scripts or styles, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *proconnect_conf.form_action(SOCIALACCOUNT_PROVIDERS)],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The level applies to the handler too: records propagated from Django's own loggers
    # (e.g. "Bad Request" warnings) would pass the root logger's level otherwise.
    "handlers": {"console": {"class": "logging.StreamHandler", "level": LOG_LEVEL}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "INFO"}, "pgserver": {"level": "WARNING"}},
}

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="demo-superpublic-2026")

# The public address of the site, for links in emails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Who hosts this instance, for the legal notice (e.g. "OVH SAS, 2 rue Kellermann, 59100 Roubaix").
LEGAL_HOSTING = env.str("LEGAL_HOSTING", default="")

# Celery beat: Superpublic's schedules (Europe/Paris).
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    "lab-deliver-due-emails": {
        "task": "lab.outbox.deliver_due_emails",
        "schedule": crontab(minute="*"),
    },
    "lab-forget-sent-emails": {
        "task": "lab.outbox.forget_sent_emails",
        "schedule": crontab(minute=15, hour=3),
    },
    "superpublic-expire-pending": {
        "task": "superpublic.tasks.expire_pending_bookings",
        "schedule": crontab(minute="*/15"),
    },
    "publications-notify": {
        "task": "publications.tasks.notify_publication_readers",
        "schedule": crontab(minute="*/5"),
    },
    "community-event-reminders": {
        "task": "community.tasks.send_event_reminders",
        "schedule": crontab(minute=30, hour=10),
    },
    "superpublic-reminders": {
        "task": "superpublic.tasks.send_booking_reminders",
        "schedule": crontab(minute=0, hour=10),
    },
    # Reminders 60 and 15 days before a membership ends, the notice the day after (once each).
    "members-notices": {
        "task": "members.tasks.send_membership_notices",
        "schedule": crontab(minute=0, hour=8),
    },
}

# The version of the directory's consent text; changing it hides every profile until
# its owner consents again.
COMMUNITY_POLICY_VERSION = env.str("COMMUNITY_POLICY_VERSION", default="2026-11")
COMMUNITY_CONTACTS_PER_DAY = 5

# Open data API (Django REST framework, drf-spectacular): read-only, throttled for anonymous callers.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "lab.lib.api.CSVRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "lab.lib.api.LinkHeaderPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="600/hour")},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DATETIME_FORMAT": "iso-8601",
    "URL_FORMAT_OVERRIDE": "format",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "La 27e Région · open data API",
    "DESCRIPTION": (
        "Read-only data of La 27e Région: programmes, projects, regions, organisations, "
        "publications, Superpublic spaces and their busy slots, community events. "
        "Licence Ouverte 2.0 (Etalab): reuse freely, credit La 27e Région. "
        "Every endpoint is open without a key; a person signed in on the site (its session "
        "cookie) also sees what their membership gives, as on the pages."
    ),
    "VERSION": "1.0.0",
    # No padlock nor « Authorize » on endpoints anyone may read: the session is not a
    # credential a reuser has to present.
    "AUTHENTICATION_WHITELIST": [],
    "SERVE_INCLUDE_SCHEMA": False,
    "LICENSE": {
        "name": "Licence Ouverte 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
    # Swagger UI served from this site (no CDN), its start-up script a file of its own (CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
