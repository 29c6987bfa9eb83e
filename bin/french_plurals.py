"""Write locale/fr/LC_MESSAGES/django.po: the French plural forms of our own messages.

The messages are written in French, so French needs no catalog — except for plurals: a message
missing from the active catalog falls back to gettext's English rule (`n != 1`), which says
« 0 projets » where French says « 0 projet » (`n > 1`). This catalog holds every plural message
of the English catalog, translated to itself, under the French rule. Run it after makemessages:

    .venv/bin/python bin/french_plurals.py && .venv/bin/python manage.py compilemessages
"""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def french_plurals() -> polib.POFile:
    english = polib.pofile(LOCALE / "en/LC_MESSAGES/django.po")
    french = polib.POFile(wrapwidth=100)
    french.metadata = {
        "Project-Id-Version": "lab27",
        "Language": "fr",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    for entry in english:
        if entry.msgid_plural and not entry.obsolete:
            french.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr_plural={0: entry.msgid, 1: entry.msgid_plural},
                    occurrences=entry.occurrences,
                    flags=[flag for flag in entry.flags if flag.endswith("-format")],
                )
            )
    return french


if __name__ == "__main__":
    catalog = french_plurals()
    catalog.save(LOCALE / "fr/LC_MESSAGES/django.po")
    print(f"{len(catalog)} plural messages in locale/fr/LC_MESSAGES/django.po")
