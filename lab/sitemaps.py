"""sitemap.xml: public pages only; a publication appears once it is public (wiring module)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from community.models import Event
from lab.models import Region
from programmes.models import Programme, Project
from publications.models import Publication
from superpublic.models import Space


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["home", "programmes:list", "programmes:projects", "programmes:regions", "superpublic:index",
                "publications:list", "community:directory", "community:events", "open_data", "legal", "accessibility", "privacy"]  # fmt: skip

    def location(self, item):
        return reverse(item)


class ModelSitemap(Sitemap):
    """Built from a function, so each request asks the database (and the clock) afresh."""

    def __init__(self, items):
        self.make_items = items

    def items(self):
        return self.make_items()


SITEMAPS = {
    "pages": StaticSitemap,
    "programmes": ModelSitemap(lambda: Programme.objects.order_by("pk")),
    "projects": ModelSitemap(lambda: Project.objects.published().order_by("pk")),
    "regions": ModelSitemap(lambda: Region.objects.order_by("pk")),
    "spaces": ModelSitemap(lambda: Space.objects.filter(active=True).order_by("pk")),
    # readable_by(None): what an anonymous visitor may read in full, checked at each request.
    "publications": ModelSitemap(lambda: Publication.objects.readable_by(None).order_by("pk")),
    "events": ModelSitemap(lambda: Event.objects.visible_to(None).order_by("pk")),
}
