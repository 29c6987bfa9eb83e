from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lab.lib.cache_pages import cache_page_for_anonymous
from lab.models import Membership, Organisation, Region


@cache_page_for_anonymous(60)
@require_safe
def home(request):
    member_regions = (
        Region.objects.filter(
            organisations__kind=Organisation.Kind.REGIONAL_COUNCIL,
            organisations__in=Organisation.objects.with_active_membership(),
        )
        .distinct()
        .order_by("name")
    )
    partners = Organisation.objects.filter(
        memberships__in=Membership.objects.active().filter(tier=Membership.Tier.PARTNER)
    ).distinct()
    # The home page is wiring: it gathers a few items from each app, through their selectors.
    from programmes.selectors import active_programmes, impact_figures, recent_projects
    from publications.selectors import latest_publications
    from superpublic.selectors import public_agenda

    return render(
        request,
        "lab/home.html",
        {
            "member_regions": member_regions,
            "figures": impact_figures(),
            # Councils that have held a membership, before or after the 2016 reform.
            "member_councils_ever": Organisation.objects.filter(
                kind=Organisation.Kind.REGIONAL_COUNCIL, memberships__isnull=False
            )
            .distinct()
            .count(),
            "partners": partners,
            "programmes": active_programmes(),
            "recent_projects": recent_projects(3),
            "agenda": public_agenda(limit=3),
            "publications": latest_publications(request.user, 4),
        },
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /en/admin/",
        "Disallow: /en/accounts/",
        "Disallow: /superpublic/reserver/",
        "Disallow: /superpublic/ical/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def page(request, template: str):
    return render(request, f"pages/{template}.html", {"legal_hosting": settings.LEGAL_HOSTING})


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def _redis_status() -> str:
    """Redis serves as the Celery broker and the cache; the pages work without it, but mail
    waits and pages are slower, so a probe should know."""
    url = settings.REDIS_URL
    if not url:
        return "not configured"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except (redis.RedisError, OSError, ValueError):
        return "down"
    return "ok"


@never_cache
@require_safe
def healthz(request):
    """Database and Redis status for probes: 200 when both answer, 503 otherwise."""
    status = {"database": _database_status(), "redis": _redis_status()}
    healthy = status["database"] == "ok" and status["redis"] in {"ok", "not configured"}
    status["status"] = "ok" if healthy else "unavailable"
    return JsonResponse(status, status=200 if healthy else 503)
