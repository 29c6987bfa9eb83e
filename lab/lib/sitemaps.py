"""A sitemap built from a function, so each request asks the database (and the clock) afresh."""

from django.contrib.sitemaps import Sitemap


class QuerySitemap(Sitemap):
    def __init__(self, items):
        self.make_items = items

    def items(self):
        return self.make_items()
