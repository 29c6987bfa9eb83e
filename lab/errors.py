"""Error pages in the site's layout."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import get_template

from lab.lib.inputs import InvalidInput


def bad_request(request, exception=None):
    # Only our own messages are shown: Django's (a suspicious header…) are not for visitors.
    message = exception.message if isinstance(exception, InvalidInput) else ""
    return render(request, "errors/400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors: whatever broke may be one of them.
    return HttpResponseServerError(get_template("errors/500.html").render())
