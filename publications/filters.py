from __future__ import annotations

import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import Case, F, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lab.search import search_query
from programmes.models import Theme
from publications.models import Publication


class PublicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_q", max_length=200)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Publication.Kind.choices)
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes"
    )
    # The years that have a publication this person may see, newest first (one query, made
    # only when the results are rendered rather than taken from their kept copy).
    year = django_filters.TypedChoiceFilter(label=_("Année"), field_name="year", coerce=int)
    access = django_filters.ChoiceFilter(
        label=_("Accès"),
        choices=[("public", _("Publique")), ("priority", _("Accès prioritaire"))],
        method="filter_access",
    )

    class Meta:
        model = Publication
        fields = ["q", "kind", "theme", "year", "access"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = self.queryset
        self.filters["year"].extra["choices"] = lambda: [
            (year, year)
            for year in queryset.order_by("-year").values_list("year", flat=True).distinct()
        ]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every field of what this person may read, only the teaser of the rest: a word of a
        hidden body or author list neither finds a publication nor changes its rank."""
        value = value.strip()
        if not value:
            return queryset
        query = search_query(value)
        user = getattr(self.request, "user", None)
        readable = Q(pk__in=Publication.objects.readable_by(user).values("pk"))
        return (
            queryset.filter(
                (readable & Q(search_document=query)) | (~readable & Q(teaser_document=query))
            )
            .annotate(
                rank=Case(
                    When(readable, then=SearchRank(F("search_document"), query)),
                    default=SearchRank(F("teaser_document"), query),
                )
            )
            .order_by("-rank", "-year")
        )

    def filter_access(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        window = Q(public_from__gt=now)
        return queryset.filter(window) if value == "priority" else queryset.exclude(window)
