from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from lab import access

# The layout's links, by name in the template: reversed once per language, not on each page.
LAYOUT_URLS = {
    "home": "home", "programmes": "programmes:list", "projects": "programmes:projects",
    "regions": "programmes:regions", "community": "community:directory",
    "superpublic": "superpublic:index", "publications": "publications:list",
    "account": "account_email", "my_bookings": "superpublic:my_bookings",
    "my_profile": "community:my_profile", "my_requests": "programmes:my_requests",
    "security": "mfa_index", "admin": "admin:index", "logout": "account_logout",
    "login": "account_login", "legal": "legal", "accessibility": "accessibility",
    "privacy": "privacy", "open_data": "open_data",
    "join": "members:join", "my_organisation": "members:space",
}  # fmt: skip


@lru_cache(maxsize=8)
def layout_urls(language: str) -> dict[str, str]:
    """An app that is not installed leaves its link out (an empty string)."""
    urls = {}
    for name, pattern in LAYOUT_URLS.items():
        try:
            urls[name] = reverse(pattern)
        except NoReverseMatch:
            urls[name] = ""
    return urls


@lru_cache(maxsize=4096)
def _translated(path: str, code: str) -> str:
    return translate_url(path, code)


def site(request):
    """What every page's layout needs: the reader, its links, the other-language links."""
    user = getattr(request, "user", None)
    current = get_language()
    # The other language's address of the path, memoised; the query string follows as it is
    # (a search or a filter must not make each address a new entry).
    path, _, query = request.get_full_path().partition("?")
    query = f"?{query}" if query else ""
    return {
        # Who the person is for the platform, decided on first use (one query when signed in).
        "reader": SimpleLazyObject(lambda: access.reader(user)),
        "urls": layout_urls(current),
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": (_translated(path, code) if len(path) <= 300 else translate_url(path, code))
                + query,
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ],
    }
