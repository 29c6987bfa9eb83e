"""sitemap.xml: the organisations' public pages (wired in lab/urls.py)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from lab.lib.sitemaps import QuerySitemap
from members.selectors import listed_organisations


class OrganisationSitemap(QuerySitemap):
    def location(self, organisation):
        return reverse("members:organisation", args=[organisation.slug])


class JoinSitemap(Sitemap):
    def items(self):
        return ["members:join", "members:organisations"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "members": JoinSitemap,
    "organisations": OrganisationSitemap(lambda: listed_organisations().order_by("pk")),
}
