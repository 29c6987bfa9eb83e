from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from publications.covers import cover_svg

register = template.Library()


@register.simple_tag
def publication_cover(publication, *, decorative: bool = True):
    """The uploaded cover when there is one, else the generated one (publications/covers.py).

    In a list the cover is decorative (the title is the card's heading, next to it): `alt=""`.
    On its page an uploaded cover is described; a generated one is only the title again."""
    if publication.cover:
        alt = (
            ""
            if decorative
            else gettext("Couverture de « %(title)s »") % {"title": publication.title}
        )
        return format_html(
            '<img class="cover" src="{}" alt="{}" width="300" height="400"{}>',
            publication.cover.url,
            alt,
            mark_safe(' loading="lazy"') if decorative else "",
        )
    return cover_svg(
        title=publication.title,
        kind=publication.kind_label,
        year=publication.year,
        slug=publication.slug,
    )
