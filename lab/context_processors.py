from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from lab import access


def site(request):
    """What every page's layout needs: the user's level and the other-language links."""
    user = getattr(request, "user", None)
    current = get_language()
    return {
        "access_level": access.level(user) if user is not None else "anonymous",
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ],
    }
