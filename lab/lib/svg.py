"""Helpers for the SVG drawn by the apps (publication covers, Superpublic's plan).

SVG text does not wrap by itself: lines are cut here, by words, from an estimate of the
characters a width holds. Escaping is left to whoever writes the lines into the page (the
template engine, or `format_html`).
"""

from __future__ import annotations

ELLIPSIS = "…"


def wrap_words(text: str, max_chars: int, max_lines: int) -> list[str]:
    """`text` cut into at most `max_lines` lines of at most `max_chars` characters, at spaces;
    a word longer than a line is cut, and what does not fit ends the last line with « … »."""
    max_chars = max(max_chars, 2)
    words = text.split()
    lines: list[str] = []
    current = ""
    while words:
        word = words.pop(0)
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= max_chars:
            current = candidate
            continue
        if not current:  # a word longer than the line: cut it
            current, rest = word[: max_chars - 1] + "-", word[max_chars - 1 :]
            words.insert(0, rest)
        else:
            words.insert(0, word)
        lines.append(current)
        current = ""
        if len(lines) == max_lines:
            break
    if current and len(lines) < max_lines:
        lines.append(current)
    if words and lines:  # what is left does not fit: the last line says so
        last = lines[-1].rstrip("-")
        if len(last) + 1 > max_chars:
            last = last[: max_chars - 1].rstrip()
        lines[-1] = last + ELLIPSIS
    return lines


def fits(width: float, font_size: float, *, em: float = 0.58) -> int:
    """How many characters of a font `font_size` high fit in `width` (same units), for an
    average character `em` of the font size wide (Atkinson Hyperlegible and Fraunces are
    about 0.5–0.58 em on French text)."""
    return max(int(width / (font_size * em)), 1)
