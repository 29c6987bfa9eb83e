import django_filters
from django.contrib.postgres.search import SearchRank
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from community.models import Discipline, Method, Profile
from lab.models import Organisation, Region
from lab.search import search_query
from programmes.models import Programme


class ProfileFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_q", max_length=200)
    discipline = django_filters.ModelChoiceFilter(
        label=_("Discipline"),
        queryset=Discipline.objects.all(),
        to_field_name="slug",
        field_name="disciplines",
    )
    method = django_filters.ModelChoiceFilter(
        label=_("Méthode"),
        queryset=Method.objects.all(),
        to_field_name="slug",
        field_name="methods",
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"), queryset=Region.objects.all(), to_field_name="slug"
    )
    organisation_kind = django_filters.ChoiceFilter(
        label=_("Type d'organisation"),
        choices=Organisation.Kind.choices,
        field_name="user__organisation__kind",
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        to_field_name="slug",
        field_name="projects__programme",
        distinct=True,
    )

    class Meta:
        model = Profile
        fields = ["q", "discipline", "method", "region", "organisation_kind", "programme"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = search_query(value)
        return (
            queryset.filter(search_document=query)
            .annotate(rank=SearchRank(F("search_document"), query))
            .order_by("-rank", "display_name")
        )
