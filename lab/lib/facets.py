"""A choice of a list filter with the number of results it gives (shared by the list pages)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
