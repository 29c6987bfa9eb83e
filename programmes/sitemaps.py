"""Public pages of this app for sitemap.xml."""

from lab.lib.sitemaps import QuerySitemap
from programmes.models import Programme, Project

SITEMAPS = {
    "programmes": QuerySitemap(lambda: Programme.objects.order_by("pk")),
    "projects": QuerySitemap(lambda: Project.objects.published().order_by("pk")),
}
