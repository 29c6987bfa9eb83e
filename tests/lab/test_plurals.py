"""French plurals: « 0 projet », « 1 réservation », « 2 réservations » — zero is singular."""

from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import ngettext

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_every_plural_message_has_its_french_forms():
    """bin/french_plurals.py was run after the last makemessages."""
    english = polib.pofile(LOCALE / "en/LC_MESSAGES/django.po")
    french = {
        (entry.msgctxt, entry.msgid): entry
        for entry in polib.pofile(LOCALE / "fr/LC_MESSAGES/django.po")
    }
    for entry in english:
        if entry.msgid_plural and not entry.obsolete:
            mine = french[(entry.msgctxt, entry.msgid)]
            assert mine.msgstr_plural == {0: entry.msgid, 1: entry.msgid_plural}
    assert (
        "plural=(n > 1)"
        in polib.pofile(LOCALE / "fr/LC_MESSAGES/django.po").metadata["Plural-Forms"]
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 réservation à approuver"),
        (1, "1 réservation à approuver"),
        (2, "2 réservations à approuver"),
    ],
)
def test_zero_takes_the_singular_in_french(count, expected):
    with translation.override("fr"):
        message = ngettext(
            "%(count)d réservation à approuver", "%(count)d réservations à approuver", count
        )
    assert message % {"count": count} == expected


@pytest.mark.django_db
def test_an_empty_search_says_zero_project_in_the_singular(client):
    html = client.get("/projets/?q=zzzzzz").content.decode()
    assert "0 projet" in html and "0 projets" not in html
