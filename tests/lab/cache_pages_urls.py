"""Pages for tests/lab/test_cache_pages.py: what the shared copy must never hold."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import path

from lab.lib.cache_pages import cache_page_for_anonymous
from lab.urls import urlpatterns as site

calls = {"plain": 0, "csrf": 0, "cookie": 0, "message": 0}
PAGE = engines["django"].from_string(
    "{% for m in messages %}<p class='message'>{{ m }}</p>{% endfor %}<p>{{ text }}</p>"
)


def _page(request, name: str, text: str = "") -> HttpResponse:
    calls[name] += 1
    return HttpResponse(PAGE.render({"text": text or name}, request))


@cache_page_for_anonymous(60)
def plain(request):
    return _page(request, "plain")


@cache_page_for_anonymous(60)
def with_csrf(request):
    return _page(
        request, "csrf", engines["django"].from_string("{% csrf_token %}").render({}, request)
    )


@cache_page_for_anonymous(60)
def with_cookie(request):
    response = _page(request, "cookie")
    response.set_cookie("seen", "1")
    return response


@cache_page_for_anonymous(60)
def adding_a_message(request):
    messages.info(request, "Ajouté par la page")
    return _page(request, "message")


def leave_a_message(request):
    messages.success(request, "Votre demande est envoyée")
    return redirect("/plain/")


urlpatterns = [
    path("plain/", plain),
    path("csrf/", with_csrf),
    path("cookie/", with_cookie),
    path("message/", adding_a_message),
    path("leave-a-message/", leave_a_message),
    *site,  # the middleware needs the site's own addresses
]
