"""Public pages of this app for sitemap.xml."""

from lab.lib.sitemaps import QuerySitemap
from publications.models import Publication

# readable_by(None): what an anonymous visitor may read in full, checked at each request.
SITEMAPS = {
    "publications": QuerySitemap(lambda: Publication.objects.readable_by(None).order_by("pk"))
}
