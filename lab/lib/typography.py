"""French typographic spacing, applied to a page's text when it is rendered.

French puts a (narrow) space before « ; : ! ? » and inside « guillemets »; a line must never
break there. Templates and translations are written with ordinary spaces; `french_spacing`
makes them non-breaking in the text of an HTML page (never inside tags, scripts, styles or
preformatted blocks, so attributes and code are left alone).
"""

from __future__ import annotations

import re

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"

# Text between tags, or a block whose content must stay as it is.
_SEGMENTS = re.compile(
    r"(<(script|style|pre|textarea|code)\b.*?</\2\s*>)|(<!--.*?-->)|(<[^>]*>)|([^<]+)",
    re.IGNORECASE | re.DOTALL,
)
_BEFORE_HIGH_PUNCTUATION = re.compile(r"[ \u00a0](?=[;!?»%])")
_BEFORE_COLON = re.compile(r"[ \u00a0](?=:(?:\s|$|<))")
_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \u00a0]")
_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}\b)")


def french_text(text: str) -> str:
    text = _BEFORE_HIGH_PUNCTUATION.sub(NARROW_NBSP, text)
    text = _BEFORE_COLON.sub(NBSP, text)
    text = _AFTER_OPENING_GUILLEMET.sub("«" + NARROW_NBSP, text)
    return _THOUSANDS.sub(NARROW_NBSP, text)


def french_spacing(html: str) -> str:
    def replace(match: re.Match) -> str:
        text = match.group(5)
        return french_text(text) if text is not None else match.group(0)

    return _SEGMENTS.sub(replace, html)
