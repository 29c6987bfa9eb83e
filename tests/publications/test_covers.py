"""Generated covers (publications/covers.py): typographic, stable, escaped, decorative, and
replaced by an uploaded photo."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from lab.lib.svg import wrap_words
from publications.covers import PALETTES, cover_svg, variant
from tests.publications.factories import PublicationFactory

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg class=\"cover cover-generated\".*?</svg>", re.DOTALL)
# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def covers_in(html: str) -> list[str]:
    return SVG.findall(html)


def test_a_publication_without_a_photo_gets_a_generated_cover_in_the_list_and_on_its_page(client):
    PublicationFactory(slug="cahier", title="Cahier des InterTransfos", kind="notebook", year=2026)
    listed = covers_in(client.get("/publications/").content.decode())
    assert len(listed) == 1
    svg = listed[0]
    assert 'aria-hidden="true"' in svg and 'focusable="false"' in svg
    assert "CAHIER" in svg and "2026" in svg and "InterTransfos" in svg
    ET.fromstring(svg)  # noqa: S314 (our own markup) well-formed
    page = client.get("/publications/cahier/").content.decode()
    assert covers_in(page) == [svg]  # the same cover on its page


def test_a_title_with_markup_and_ampersands_is_escaped_in_the_cover(client):
    title = "<script>alert('x')</script> Tom & Jerry"
    PublicationFactory(slug="piege", title=title)
    html = client.get("/publications/").content.decode()
    assert "<script>alert" not in html
    (svg,) = covers_in(html)
    assert "&lt;script&gt;" in svg and "&amp; Jerry" in svg
    root = ET.fromstring(svg)  # noqa: S314 (our own markup): nothing broke out of its text
    text = "".join(root.itertext())
    assert "<script>alert(" in text.replace("&#x27;", "'") and "Tom & Jerry" in text
    assert not [element for element in root.iter() if element.tag.endswith("script")]


def test_covers_are_stable_and_differ_from_one_publication_to_the_next():
    first = cover_svg(title="Même titre", kind="Livre", year=2020, slug="un")
    assert first == cover_svg(title="Même titre", kind="Livre", year=2020, slug="un")
    assert variant("un") == variant("un")
    variants = {variant(f"publication-{n}") for n in range(40)}
    assert len({palette for palette, _, _ in variants}) == len(PALETTES)
    assert len(variants) >= 10


def test_long_titles_are_wrapped_within_the_cover_and_never_lost_silently():
    title = "Un titre très long " * 12
    svg = cover_svg(title=title, kind="Rapport", year=2024, slug="long")
    lines = re.findall(r"<tspan [^>]*>(.*?)</tspan>", svg)
    assert 1 < len(lines) <= 7 and lines[-1].endswith("…")
    assert all(float(y) < 340 for y in re.findall(r'<tspan x="\d+" y="(\d+)"', svg))


def test_wrapping_cuts_at_spaces_and_marks_what_is_left_out():
    assert wrap_words("Design des politiques publiques", 12, 4) == [
        "Design des",
        "politiques",
        "publiques",
    ]
    assert wrap_words("un deux trois quatre", 9, 1) == ["un deux…"]
    assert wrap_words("anticonstitutionnellement", 10, 3) == ["anticonst-", "itutionne-", "llement"]
    assert all(len(line) <= 10 for line in wrap_words("a " * 50, 10, 3))


def test_an_uploaded_cover_replaces_the_generated_one(client):
    publication = PublicationFactory(slug="avec-photo", title="Avec photo")
    publication.cover.save("photo.png", ContentFile(PNG))
    listed = client.get("/publications/").content.decode()
    assert not covers_in(listed)
    assert re.search(r'<img class="cover" src="/media/publications/covers/[^"]+" alt=""', listed)
    page = client.get("/publications/avec-photo/").content.decode()
    assert not covers_in(page)
    assert re.search(r'<img class="cover" src="[^"]+" alt="Couverture de « Avec photo »"', page)


def test_a_members_only_publications_cover_shows_only_its_teaser(client):
    PublicationFactory(
        slug="avant-premiere", title="Avant-première", kind="report", year=2026,
        authors="Autrice Secrète", publisher="Éditeur Secret",
        public_from=timezone.now() + datetime.timedelta(days=30),
    )  # fmt: skip
    page = client.get("/publications/avant-premiere/").content.decode()
    (svg,) = covers_in(page)
    assert svg == cover_svg(
        title="Avant-première", kind="Rapport", year=2026, slug="avant-premiere"
    )
    assert "Secr" not in svg
