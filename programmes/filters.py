"""The /projets/ filters: parsed and validated by django-filter, shared with the API."""

from __future__ import annotations

import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lab.models import Region
from lab.search import search_query
from programmes.models import Programme, Project, Theme, about_theme, in_region, running_during

SORTS = [
    ("pertinence", _("Pertinence")),
    ("recents", _("Plus récents")),
    ("anciens", _("Plus anciens")),
    ("titre", _("Titre")),
]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_q", max_length=200)
    # Each filter but the search is a condition (`conditions`), so the facets can count every
    # option with all the other filters in one pass (programmes/selectors.py).
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        to_field_name="slug",
        method="filter_condition",
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        method="filter_condition",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        field_name="themes",  # for the API schema; the condition is `about_theme`
        method="filter_condition",
    )
    status = django_filters.ChoiceFilter(
        label=_("Statut"), choices=Project.Status.choices, method="filter_condition"
    )
    year = django_filters.NumberFilter(
        label=_("Année"), method="filter_condition", min_value=2000, max_value=2100
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

    def filter_condition(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # django-filter passes the filter's field_name ("themes" for the theme).
        return queryset.filter(
            CONDITIONS[name.removesuffix("s") if name == "themes" else name](value)
        )

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

    def conditions(self) -> dict[str, Q]:
        """The chosen filters but the search, each as a condition on a project."""
        self.form.is_valid()
        return {
            name: CONDITIONS[name](value)
            for name, value in self.form.cleaned_data.items()
            if name in CONDITIONS and value not in (None, "")
        }

    def searched(self) -> QuerySet:
        """The base queryset with only the search applied (the facets never leave it out)."""
        self.form.is_valid()
        return self.filter_q(self.queryset, "q", self.form.cleaned_data.get("q") or "")

    def filtered_without(self, excluded: str) -> QuerySet:
        """The queryset filtered by every valid filter but one (for that filter's counts)."""
        return self.searched().filter(
            *(condition for name, condition in self.conditions().items() if name != excluded)
        )


CONDITIONS = {
    "programme": lambda programme: Q(programme_id=programme.pk),
    "region": in_region,
    "theme": about_theme,
    "status": lambda status: Q(status=status),
    "year": lambda year: running_during(int(year)),
}
