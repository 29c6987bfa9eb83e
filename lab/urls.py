from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path

from community.sitemaps import SITEMAPS as COMMUNITY_SITEMAPS
from lab import security, views
from lab.sitemaps import SITEMAPS as CORE_SITEMAPS
from members.sitemaps import SITEMAPS as MEMBER_SITEMAPS
from programmes.sitemaps import SITEMAPS as PROGRAMME_SITEMAPS
from publications.sitemaps import SITEMAPS as PUBLICATION_SITEMAPS
from superpublic.sitemaps import SITEMAPS as SUPERPUBLIC_SITEMAPS

# The wiring: each app lists its public pages.
SITEMAPS = {
    **CORE_SITEMAPS,
    **PROGRAMME_SITEMAPS,
    **SUPERPUBLIC_SITEMAPS,
    **PUBLICATION_SITEMAPS,
    **COMMUNITY_SITEMAPS,
    **MEMBER_SITEMAPS,
}

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_view, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("", include("lab.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("mentions-legales/", views.page, {"template": "legal"}, name="legal"),
    path("accessibilite/", views.page, {"template": "accessibility"}, name="accessibility"),
    path("donnees-personnelles/", views.page, {"template": "privacy"}, name="privacy"),
    path("donnees/", views.page, {"template": "open_data"}, name="open_data"),
    path("", include("programmes.urls")),
    path("superpublic/", include("superpublic.urls")),
    path("publications/", include("publications.urls")),
    path("communaute/", include("community.urls")),
    path("", include("members.urls")),
    path("compte/verification-equipe/", security.staff_address_check, name="staff_address_check"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "lab.errors.bad_request"
handler403 = "lab.errors.permission_denied"
handler404 = "lab.errors.page_not_found"
handler500 = "lab.errors.server_error"
