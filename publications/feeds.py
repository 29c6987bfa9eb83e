from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from publications.models import Publication


class PublicationFeed(Feed):
    """Public publications only, whoever asks: the feed is cached and shared by readers."""

    feed_type = Atom1Feed
    title = _("La 27e Région · publications")
    subtitle = _("Les publications de La 27e Région ouvertes à tous.")
    link = reverse_lazy("publications:list")

    def items(self):
        return Publication.objects.readable_by(None).order_by("-published_at")[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.public_from or item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.authors or "La 27e Région"
