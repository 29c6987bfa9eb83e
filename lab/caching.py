"""Shared copies of rendered pages and fragments, dropped the moment their data changes.

Each copy is filed under the *generation* of the topics it shows (catalogue, publications,
community, superpublic). Saving or deleting a model of a topic bumps that topic's generation
immediately (so the same transaction reads its own writes) and again on commit (so a reader who
rendered the old data meanwhile cannot file it under the new generation). The next request
therefore renders afresh; nobody is served a page older than the data it shows. Changes driven
by the clock alone (a publication leaving its priority window) are handled by an expiry stored
with the copy and checked against `timezone.now()`.

Three ways in:
- `@shared_for_anonymous(*topics)` keeps the whole response of a public GET view for anonymous
  visitors (no session user, no pending message, no CSRF token on the page);
- `fragment(request, template, build, topics=..., audience=...)` keeps a part of a page that is
  the same for everyone of one audience (e.g. every member), the page around it staying personal;
- `shared_response(...)`, under both, for responses the same for a named audience (the open API
  lists, lab/lib/api.py).

`bump()` is for writes that send no signal (`QuerySet.update`), `forget_everything()` for bulk
loads; the models' saves, deletes and many-to-many changes are wired in `LabConfig.ready()`.
lab/access.py keeps its answers under the "access" generation the same way.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

TOPICS = ("catalogue", "publications", "community", "superpublic")
# Which topics a model's changes touch, by app; organisations, regions and memberships show
# everywhere.
TOPICS_OF_APP = {
    "lab": TOPICS,
    "programmes": ("catalogue",),
    "publications": ("publications",),
    "community": ("community",),
    "superpublic": ("superpublic",),
}
# Models no shared page shows: their writes (downloads, alerts, requests…) change nothing there.
QUIET_MODELS = {
    "lab.emaildomain",
    "programmes.programmerequest",
    "publications.download",
    "publications.readerpreference",
    "publications.releasealert",
    "publications.notification",
    "community.contactmessage",
    "superpublic.calendarfeed",
}
# Models that decide what a person may do (lab/access.py keeps its answers under "access").
ACCESS_MODELS = {"lab.membership", "account.emailaddress", "mfa.authenticator"}
DEFAULT_TIMEOUT = 600  # a safety net only: generations make copies stale, not time
MAX_QUERY_LENGTH = 300  # longer query strings are rendered, never stored


def _generation_key(topic: str) -> str:
    return f"generation:{topic}"


# During a request, every generation is read at once, the first time one is needed.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.generations = {}


def _request_finished(**kwargs) -> None:
    _request.generations = None


def generations(topics: Iterable[str]) -> str:
    """The current generation of each topic, as one string for cache keys (one cache read)."""
    topics = list(topics)
    memo = getattr(_request, "generations", None)
    if memo is None or not all(topic in memo for topic in topics):
        wanted = topics if memo is None else sorted({*topics, *TOPICS, "access"})
        keys = [_generation_key(topic) for topic in wanted]
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                # Never start again from a small number: a generation lost from the cache must
                # not meet copies filed under its old values.
                cache.add(key, time.time_ns(), timeout=None)
                found[key] = cache.get(key)
        read = {topic: found[_generation_key(topic)] for topic in wanted}
        if memo is None:
            return ".".join(str(read[topic]) for topic in topics)
        memo.update(read)
    return ".".join(str(memo[topic]) for topic in topics)


class _BumpOnCommit:
    """One commit callback per transaction, however many rows it writes."""

    def __init__(self):
        self.topics: set[str] = set()

    def __call__(self):
        _bump_now(sorted(self.topics))


def bump(*topics: str) -> None:
    """Make every shared copy of these topics stale, now and when the transaction commits."""
    _bump_now(topics)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return  # autocommit: the write is already visible
    pending = next(
        (func for _, func, _ in connection.run_on_commit if isinstance(func, _BumpOnCommit)),
        None,
    )
    if pending is None:
        pending = _BumpOnCommit()
        transaction.on_commit(pending)
    pending.topics.update(topics)


def _bump_now(topics: Iterable[str]) -> None:
    memo = getattr(_request, "generations", None)
    if memo:
        memo.clear()  # this request reads its own writes
    try:
        for topic in topics:
            key = _generation_key(topic)
            try:
                cache.incr(key)
            except ValueError:  # not there (yet, or evicted)
                cache.add(key, time.time_ns(), timeout=None)
    except Exception:
        if "access" in topics:
            raise  # who may do what must never lag behind: the write fails instead
        # Content only: the write stands, its copies age out within DEFAULT_TIMEOUT.
        logger.warning(
            "Shared copies of %s not renewed: the cache is unreachable", topics, exc_info=True
        )


def forget_everything() -> None:
    """After writes that sent no signal at all (a flush, bulk inserts): every kept copy goes.

    Only this site's keys (its KEY_PREFIX): other users of the same Redis keep theirs.
    """
    if hasattr(cache, "delete_pattern"):
        cache.delete_pattern("*")
    else:
        cache.clear()


def _on_change(sender, **kwargs) -> None:
    label = sender._meta.label_lower
    if label in ACCESS_MODELS:
        bump("access")
    if label in QUIET_MODELS:
        return
    if label == "lab.user":
        if kwargs.get("instance") is not None:
            _forget_user(kwargs["instance"].pk)
        # A sign-in stamps last_login: nothing any page shows.
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) <= {"last_login", "password"}:
            return
        bump("community")
        return
    topics = TOPICS_OF_APP.get(sender._meta.app_label)
    if topics:
        bump(*topics)


def forget_key(key: str) -> None:
    """A kept value goes now and again on commit (a reader meanwhile may have put it back)."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _forget_user(user_id) -> None:
    """The signed-in user's cached copy (lab/backends.py) goes."""
    from lab.backends import user_key

    forget_key(user_key(user_id))


def _on_m2m_change(sender, action: str, instance, model, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        _on_change(type(instance), instance=instance)
        _on_change(model)


def connect_signals() -> None:
    request_started.connect(_request_started, dispatch_uid="lab.caching.request_started")
    request_finished.connect(_request_finished, dispatch_uid="lab.caching.request_finished")
    for signal in (post_save, post_delete):
        signal.connect(_on_change, dispatch_uid=f"lab.caching.{signal}")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="lab.caching.m2m")


def _key(kind: str, request: HttpRequest, name: str, topics: Iterable[str], extra: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    htmx = "hx" if request.headers.get("HX-Request") == "true" else "page"
    host = request.get_host()  # absolute links (og:url) name it
    # The consent policy's version decides which profiles show: a new one hides them at once.
    policy = settings.COMMUNITY_POLICY_VERSION
    # Memberships are active by the day: a new day may change what pages show.
    day = timezone.localdate().isoformat()
    parts = [kind, name, host, get_language(), htmx, extra, policy, day, generations(topics), path]
    return ":".join(parts)


def _expiry(until: datetime.datetime | None, timeout: int) -> tuple[float, int]:
    """When a copy stops being good, as a timestamp, and the cache timeout to match."""
    now = timezone.now()
    expires = now + datetime.timedelta(seconds=timeout)
    if until is not None and until < expires:
        expires = until
    seconds = max(1, int((expires - now).total_seconds()) + 1)
    return expires.timestamp(), seconds


def _fresh(entry) -> bool:
    return entry is not None and entry[0] > timezone.now().timestamp()


def _has_messages(request: HttpRequest) -> bool:
    """A message waits for this visitor (counted without marking it read)."""
    storage = getattr(request, "_messages", None)
    return storage is not None and bool(len(storage))


def _shareable(request: HttpRequest) -> bool:
    if (
        request.method not in {"GET", "HEAD"}
        or len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH
    ):
        return False
    return not getattr(request.user, "is_authenticated", False) and not _has_messages(request)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not _has_messages(request)  # one the view left for someone
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _lookup(kind: str, request: HttpRequest, name: str, topics: Iterable[str], audience: str):
    """The key of a copy and what the cache holds there; (None, None) if it cannot be reached."""
    try:
        key = _key(kind, request, name, topics, audience)
        return key, cache.get(key)
    except Exception:  # render for this request only; the page must not fail with the cache
        logger.warning("Cache unreachable: %s rendered without a shared copy", name, exc_info=True)
        return None, None


def shared_response(
    request: HttpRequest,
    name: str,
    make: Callable[[], HttpResponse],
    *,
    topics: Iterable[str],
    audience: str,
    until: Callable[[], datetime.datetime | None] | None = None,
    timeout: int = DEFAULT_TIMEOUT,
) -> HttpResponse:
    """The response `make()` gives, or a fresh copy of it made for someone of the same audience."""
    key, entry = _lookup("page", request, name, topics, audience)
    if key is None:
        return make()
    if _fresh(entry):
        _, content, headers = entry
        response = HttpResponse(content)
        for header, value in headers:
            response[header] = value
        return response
    response = make()

    def store(response):
        if _storable(request, response):
            expires, seconds = _expiry(until() if until else None, timeout)
            cache.set(key, (expires, response.content, list(response.items())), seconds)

    if getattr(response, "is_rendered", True):
        store(response)
    else:  # a TemplateResponse or an API response: its content exists once rendered
        response.add_post_render_callback(store)
    return response


def shared_for_anonymous(
    *topics: str,
    until: Callable[[], datetime.datetime | None] | None = None,
    timeout: int = DEFAULT_TIMEOUT,
):
    """Serve anonymous visitors a shared copy of this GET view's response.

    `topics` are what the page shows; `until` may name the next moment the page changes by
    itself (asked only when a copy is made).
    """

    def decorator(view):
        name = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _shareable(request):
                return view(request, *args, **kwargs)
            return shared_response(
                request, name, lambda: view(request, *args, **kwargs),
                topics=topics, audience="anonymous", until=until, timeout=timeout,
            )  # fmt: skip

        return wrapper

    return decorator


def fragment(
    request: HttpRequest,
    template: str,
    build: Callable[[], dict],
    *,
    topics: Iterable[str],
    audience: str,
    until: Callable[[], datetime.datetime | None] | None = None,
    timeout: int = DEFAULT_TIMEOUT,
) -> SafeString:
    """A rendered template shared by everyone of `audience` who asks for the same URL.

    `build` makes the template's context and runs only when no fresh copy exists. The template
    must not hold anything personal (no CSRF token, no name): that belongs to the page around it.
    """
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return mark_safe(render_to_string(template, build(), request))  # noqa: S308 (our template)
    key, entry = _lookup("fragment", request, template, topics, audience)
    if key is None:
        return mark_safe(render_to_string(template, build(), request))  # noqa: S308 (our template)
    if _fresh(entry):
        return mark_safe(entry[1])  # noqa: S308 (rendered by our template, escaped there)
    html = render_to_string(template, build(), request)
    expires, seconds = _expiry(until() if until else None, timeout)
    cache.set(key, (expires, str(html)), seconds)
    return mark_safe(html)  # noqa: S308 (rendered by our template, escaped there)
