"""Accent-insensitive French full-text search on core Postgres (see lab_fold)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import F, Func, Value


def fold(expression) -> Func:
    return Func(expression, function="lab_fold")


def search_vector(*weighted_fields: tuple[str, str]) -> SearchVector:
    """The stored document: each (field, weight) folded, French-stemmed and weighted."""
    vectors = [
        SearchVector(fold(F(field)), config="french", weight=weight)
        for field, weight in weighted_fields
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def search_query(text: str) -> SearchQuery:
    """What a person typed, folded the same way, with web-search syntax (quotes, -word, or)."""
    return SearchQuery(fold(Value(text)), config="french", search_type="websearch")
