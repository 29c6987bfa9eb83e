"""sitemap.xml: the core's public pages; each app lists its own (wired in lab/urls.py)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from lab.lib.sitemaps import QuerySitemap
from lab.models import Region


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "programmes:list", "programmes:projects", "programmes:regions", "superpublic:index",
                "publications:list", "community:directory", "community:events", "open_data", "legal", "accessibility", "privacy"]  # fmt: skip

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "regions": QuerySitemap(lambda: Region.objects.order_by("pk")),
}
