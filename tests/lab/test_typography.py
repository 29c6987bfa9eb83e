"""French typographic spacing: no line breaks before « ; : ! ? » or inside « guillemets »."""

from __future__ import annotations

import pytest

from lab.lib.typography import NARROW_NBSP, NBSP, french_spacing, french_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Où ? Ici !", f"Où{NARROW_NBSP}? Ici{NARROW_NBSP}!"),
        ("Note : un mot ; deux", f"Note{NBSP}: un mot{NARROW_NBSP}; deux"),
        ("« Apéro 27 »", f"«{NARROW_NBSP}Apéro 27{NARROW_NBSP}»"),
        ("50 % des idées, 2 000 agents", f"50{NARROW_NBSP}% des idées, 2{NARROW_NBSP}000 agents"),
        ("https://la27eregion.fr et 10:30", "https://la27eregion.fr et 10:30"),
    ],
)
def test_french_text_gets_its_non_breaking_spaces(text, expected):
    assert french_text(text) == expected


def test_only_the_text_of_a_page_changes():
    html = (
        '<p title="Note : x">Note : x</p><script>var a = b ? c : d;</script>'
        "<pre>a ; b</pre><!-- c : d --><style>a:hover { }</style>"
    )
    assert french_spacing(html) == (
        f'<p title="Note : x">Note{NBSP}: x</p><script>var a = b ? c : d;</script>'
        "<pre>a ; b</pre><!-- c : d --><style>a:hover { }</style>"
    )


@pytest.mark.django_db
def test_french_pages_are_spaced_english_ones_are_not(client):
    french = client.get("/mentions-legales/").content.decode()
    english = client.get("/en/mentions-legales/").content.decode()
    assert f"{NBSP}:" in french or f"{NARROW_NBSP}" in french
    assert NARROW_NBSP not in english
