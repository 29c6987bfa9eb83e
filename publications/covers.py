"""Generated covers: a typographic SVG from a publication's title, kind and year.

No stock photo: a publication without an uploaded cover (`Publication.cover`, set in the
admin, which then replaces this one) gets a cover drawn in the site's palette, its title in
Fraunces. The variant (colours, a motif, its side) comes from a hash of the slug, so covers
differ from one another and a publication keeps its cover from one page to the next.

The SVG is written inline in the page (`{% publication_cover %}`), not served from a view of
its own: it is about a kilobyte, needs no request, no address and no access decision of its
own (it shows only teaser fields: title, kind and year, which anyone who sees the card sees
next to it), and it is kept with the list's results when they are kept. It is decorative
(`aria-hidden`): the title is always written next to it. Every text is escaped here
(`format_html`), whatever the title holds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from lab.lib.svg import fits, wrap_words

WIDTH, HEIGHT = 300, 400  # 3:4, like the uploaded covers' box
MARGIN = 28
TITLE_FONT = "Fraunces, Georgia, serif"
TEXT_FONT = "'Atkinson Hyperlegible', system-ui, sans-serif"


@dataclass(frozen=True)
class Palette:
    background: str
    text: str
    motif: str  # close to the background, so the text stays readable over it
    detail: str


# The site's palette (static/css/site.css): terracotta, forest green, paper, ink, blush.
PALETTES = [
    Palette(background="#a3401a", text="#ffffff", motif="#8f3815", detail="#f6e2d6"),
    Palette(background="#2e5b4e", text="#ffffff", motif="#274e43", detail="#e1eee8"),
    Palette(background="#f3ebdf", text="#1f1b17", motif="#eadcc8", detail="#a3401a"),
    Palette(background="#1f1b17", text="#fbf7f1", motif="#2f2924", detail="#d99a7e"),
    Palette(background="#f6e2d6", text="#7f2f10", motif="#efd2c1", detail="#2e5b4e"),
]
MOTIFS = ["circles", "bands", "arcs", "dots"]


def variant(slug: str) -> tuple[int, int, bool]:
    """(palette, motif, mirrored) from the slug's hash: stable across processes and releases
    (not Python's `hash`, which changes with each process)."""
    number = int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big")
    return number % len(PALETTES), (number // len(PALETTES)) % len(MOTIFS), bool(number & 1 << 40)


def _motif(kind: str, palette: Palette, mirrored: bool) -> SafeString:
    """A few shapes in the top of the cover (away from the title) or its corner."""
    if kind == "circles":
        shapes = format_html(
            '<circle cx="240" cy="80" r="120" fill="{0}"/><circle cx="92" cy="84" r="22" fill="none" stroke="{1}" stroke-width="3"/>',
            palette.motif, palette.detail,
        )  # fmt: skip
    elif kind == "bands":
        shapes = format_html(
            '<path d="M140 0h60L80 150H20z" fill="{0}"/><path d="M230 0h40L150 150h-40z" fill="{0}"/><path d="M300 20v40l-90 90h-40z" fill="{1}" opacity="0.9"/>',
            palette.motif, palette.detail,
        )  # fmt: skip
    elif kind == "arcs":
        shapes = format_html(
            '<g fill="none" stroke-width="12"><circle cx="300" cy="0" r="46" stroke="{1}"/><circle cx="300" cy="0" r="78" stroke="{0}"/><circle cx="300" cy="0" r="110" stroke="{0}"/></g>',
            palette.motif, palette.detail,
        )  # fmt: skip
    else:  # dots
        dots = format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="6" fill="{}"/>',
            (
                (150 + 30 * column, 70 + 30 * row, palette.detail if (row, column) == (1, 3) else palette.motif)
                for row in range(3)
                for column in range(5)
            ),
        )  # fmt: skip
        shapes = dots
    if mirrored:
        return format_html('<g transform="matrix(-1 0 0 1 {} 0)">{}</g>', WIDTH, shapes)
    return shapes


def _title_lines(title: str) -> tuple[list[str], int]:
    """The title's lines and font size: larger for a short title, at most six lines."""
    longest = max((len(word) for word in title.split()), default=0)
    for size, max_lines in ((34, 4), (28, 5), (23, 6), (19, 7)):
        chars = fits(WIDTH - 2 * MARGIN, size, em=0.56)
        lines = wrap_words(title, chars, max_lines)
        if longest <= chars and not (lines and lines[-1].endswith("…")):
            return lines, size  # the largest size where no word is cut and nothing is left out
    return lines, size


def cover_svg(*, title: str, kind: str, year: int | str, slug: str) -> SafeString:
    """The cover of a publication, decorative: `aria-hidden`, never focusable."""
    palette_index, motif, mirrored = variant(slug)
    palette = PALETTES[palette_index]
    lines, size = _title_lines(title)
    line_height = round(size * 1.15)
    first_baseline = 175  # its longest (7 lines of 19) ends above the year's rule
    title = format_html_join(
        "",
        '<tspan x="{}" y="{}">{}</tspan>',
        ((MARGIN, first_baseline + index * line_height, line) for index, line in enumerate(lines)),
    )
    return format_html(
        '<svg class="cover cover-generated" viewBox="0 0 {w} {h}" width="{w}" height="{h}" overflow="hidden" aria-hidden="true" focusable="false" data-variant="{variant}">'
        '<rect width="{w}" height="{h}" fill="{background}"/>{motif}'
        # The kind on the side the motif leaves free.
        '<text x="{kind_x}" y="{kind_y}" text-anchor="{kind_anchor}" fill="{detail}" font-family="{text_font}" font-size="15" font-weight="700" letter-spacing="1.5">{kind}</text>'
        '<text fill="{text}" font-family="{title_font}" font-size="{size}" font-weight="700">{title}</text>'
        '<rect x="{margin}" y="{rule_y}" width="48" height="4" fill="{detail}"/>'
        '<text x="{margin}" y="{year_y}" fill="{text}" font-family="{text_font}" font-size="20" font-weight="700">{year}</text>'
        '<text x="{right}" y="{year_y}" fill="{text}" font-family="{text_font}" font-size="13" text-anchor="end">La 27e Région</text>'
        "</svg>",
        w=WIDTH, h=HEIGHT, variant=f"{palette_index}-{motif}{'-m' if mirrored else ''}",
        background=palette.background, motif=_motif(MOTIFS[motif], palette, mirrored),
        margin=MARGIN, kind_x=WIDTH - MARGIN if mirrored else MARGIN, kind_y=MARGIN + 14,
        kind_anchor="end" if mirrored else "start",
        detail=palette.detail, text_font=TEXT_FONT, kind=kind.upper(),
        text=palette.text, title_font=TITLE_FONT, size=size, title=title,
        rule_y=HEIGHT - MARGIN - 34, year_y=HEIGHT - MARGIN, year=year, right=WIDTH - MARGIN,
    )  # fmt: skip
