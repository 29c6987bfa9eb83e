"""The /projets/ filters: parsed and validated by django-filter, shared with the API."""

from __future__ import annotations

import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import F, QuerySet
from django.utils.translation import gettext_lazy as _

from lab.models import Region
from lab.search import search_query
from programmes.models import Programme, Project, Theme

SORTS = [
    ("pertinence", _("Pertinence")),
    ("recents", _("Plus récents")),
    ("anciens", _("Plus anciens")),
    ("titre", _("Titre")),
]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_q", max_length=200)
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"), queryset=Programme.objects.all(), to_field_name="slug"
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_region",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"), queryset=Theme.objects.all(), to_field_name="slug", field_name="themes"
    )
    status = django_filters.ChoiceFilter(label=_("Statut"), choices=Project.Status.choices)
    year = django_filters.NumberFilter(
        label=_("Année"), method="filter_year", min_value=2000, max_value=2100
    )
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"), choices=SORTS, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Project
        fields = ["q", "programme", "region", "theme", "status", "year"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        query = search_query(value)
        return queryset.filter(search_document=query).annotate(
            rank=SearchRank(F("search_document"), query)
        )

    def filter_region(self, queryset: QuerySet, name: str, region: Region) -> QuerySet:
        return queryset.in_region(region)

    def filter_year(self, queryset: QuerySet, name: str, year) -> QuerySet:
        return queryset.during(int(year))

    def filter_sort(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # applied last, by `ordered`, once every filter has run

    def ordered(self, queryset: QuerySet) -> QuerySet:
        self.form.is_valid()  # invalid fields are left out of cleaned_data, and ignored
        sort = self.form.cleaned_data.get("tri")
        searching = bool((self.form.cleaned_data.get("q") or "").strip())
        if sort == "titre":
            return queryset.order_by("title")
        if sort == "anciens":
            return queryset.order_by("start_year", "title")
        if sort == "recents" or not searching:
            return queryset.order_by("-start_year", "title")
        return queryset.order_by("-rank", "-start_year", "title")

    def filtered_without(self, excluded: str) -> QuerySet:
        """The queryset filtered by every valid filter but one (for that filter's counts)."""
        self.form.is_valid()
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name in {excluded, "tri"} or value in (None, ""):
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset
