"""Whole pages shared by anonymous visitors for a few seconds, with Django's `cache_page`.

`@cache_page_for_anonymous(60)` serves a visitor who is not signed in and has no message
waiting from a copy of the page at most 60 seconds old; everyone else gets the view itself,
marked `Cache-Control: private`. Copies are Django's own (`cache_page`): one per address (host,
path and query), language and value of the request headers the page varies on, including
`HX-Request`, so an htmx partial and its full page are two copies. Nothing is invalidated: a
copy simply expires, so a change shows within `timeout` seconds.

A response is never stored when it is personal after all: it holds a CSRF token, sets a cookie
or shows a message (it is then marked `private`, which `cache_page` never stores), or its
status is not 200. An address with a query parameter the page does not read is neither served
from a copy nor kept.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.messages import get_messages
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_headers


def _personal(request, response) -> bool:
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page used the CSRF token
        or response.cookies
        or len(get_messages(request))  # a message was added or shown
    )


def cache_page_for_anonymous(timeout: int | Callable[[], int], params: tuple[str, ...] = ()):
    """`params`: the query parameters the page reads. An address with any other is served
    without a copy, kept or read: it could differ at every visit (trackers' parameters, or
    someone filling the cache with addresses no one will ask for again).

    `timeout` may be a function, asked each time a copy is made or served: the seconds this
    copy may still live (0: no copy). Superpublic's page uses it so that a copy of « what is
    free now » never outlives its minute."""
    known = frozenset(params)
    lifetime = timeout if callable(timeout) else None

    def decorator(view):
        @vary_on_headers("HX-Request")
        @wraps(view)
        def storable(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if _personal(request, response):
                patch_cache_control(response, private=True)
            elif lifetime is not None:
                # cache_page(None) keeps the copy for the response's max-age (0: not at all).
                patch_cache_control(response, max_age=lifetime())
            return response

        shared = cache_page(timeout if lifetime is None else None)(storable)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated or len(get_messages(request)):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True)
                return response
            if not known.issuperset(request.GET):
                return view(request, *args, **kwargs)
            response = shared(request, *args, **kwargs)
            if lifetime is not None and "private" not in response.get("Cache-Control", ""):
                # A copy served later may be kept by the browser only for what is left of it.
                patch_cache_control(response, max_age=lifetime())
            return response

        return wrapper

    return decorator
