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


def cache_page_for_anonymous(timeout: int, params: tuple[str, ...] = ()):
    """`params`: the query parameters the page reads. An address with any other is served
    without a copy, kept or read: it could differ at every visit (trackers' parameters, or
    someone filling the cache with addresses no one will ask for again)."""
    known = frozenset(params)

    def decorator(view):
        @vary_on_headers("HX-Request")
        @wraps(view)
        def storable(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if _personal(request, response):
                patch_cache_control(response, private=True)
            return response

        shared = cache_page(timeout)(storable)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.is_authenticated or len(get_messages(request)):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True)
                return response
            if not known.issuperset(request.GET):
                return view(request, *args, **kwargs)
            return shared(request, *args, **kwargs)

        return wrapper

    return decorator
