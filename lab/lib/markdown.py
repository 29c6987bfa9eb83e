"""Markdown written by staff, rendered to sanitised HTML (nh3, Ammonia's allow-list)."""

from __future__ import annotations

import threading

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "hr", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "abbr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


# A converter per thread, reset before each text: setting one up (its extensions' registries)
# costs three times the conversion of a project's story.
_local = threading.local()


def _converter() -> md.Markdown:
    if not hasattr(_local, "converter"):
        _local.converter = md.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    return _local.converter


def render_markdown(text: str) -> SafeString:
    converter = _converter()
    html = converter.reset().convert(text or "")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 (sanitised by nh3 just above)
