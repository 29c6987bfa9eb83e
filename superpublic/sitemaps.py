"""Public pages of this app for sitemap.xml."""

from lab.lib.sitemaps import QuerySitemap
from superpublic.models import Space

SITEMAPS = {"spaces": QuerySitemap(lambda: Space.objects.filter(active=True).order_by("pk"))}
