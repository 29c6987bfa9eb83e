"""Public pages of this app for sitemap.xml."""

from community.models import Event
from lab.lib.sitemaps import QuerySitemap

SITEMAPS = {"events": QuerySitemap(lambda: Event.objects.visible_to(None).order_by("pk"))}
