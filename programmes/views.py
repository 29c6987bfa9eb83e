from __future__ import annotations

from django.contrib import messages
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from lab import access
from lab.lib.cache_pages import cache_page_for_anonymous
from lab.lib.urls import slug_url
from lab.models import Membership, Organisation, Region
from lab.search import search_query
from programmes import maps
from programmes.filters import ProjectFilter
from programmes.forms import ProgrammeRequestForm
from programmes.models import Phase, Programme, ProgrammeRequest, Project, Theme
from programmes.selectors import (
    member_councils_by_region,
    programme_figures,
    project_facets,
    region_project_counts,
    related_projects,
    total_from_facets,
    training_progress,
)
from programmes.services import programme_request_create

PROJECTS_PER_PAGE = 20


@cache_page_for_anonymous(60)
@require_safe
def catalogue(request):
    programmes = Programme.objects.annotate(
        project_count=Count("projects", filter=Q(projects__published=True))
    ).prefetch_related(Prefetch("phases", queryset=Phase.objects.order_by("order")))
    return render(request, "programmes/catalogue.html", {"programmes": programmes})


def _publications():
    """The publications' queryset, reached through their relation to projects (this app
    imports nothing of the publications)."""
    return Project._meta.get_field("publications").related_model.objects


def _profiles():
    return Project._meta.get_field("practitioners").related_model.objects


@cache_page_for_anonymous(60)
@require_safe
def programme_detail(request, slug: str):
    programme = get_object_or_404(Programme.objects.prefetch_related("phases"), slug=slug)
    # The latest editions; all of them are one click away on /projets/?programme=…
    projects = programme.projects.published().for_list().order_by("-start_year", "title")[:12]
    phases = list(programme.phases.all())
    total_weeks = sum(phase.weeks or 0 for phase in phases)
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "phases": phases,
            "total_weeks": total_weeks,
            "projects": projects,
            "figures": programme_figures(programme),
            "training": training_progress(programme),
            # Who took part and what was written, across its editions, as this person may see.
            "people": _profiles()
            .visible_to(request.user)
            .filter(projects__programme=programme, projects__published=True)
            .distinct()
            .only("display_name", "slug", "role")
            .order_by("display_name")[:24],
            "publications": _publications()
            .visible_to(request.user)
            .filter(related_projects__programme=programme, related_projects__published=True)
            .distinct()
            .only("title", "slug", "year")
            .order_by("-year", "title")[:12],
        },
    )


@vary_on_headers("HX-Request")  # the partial and the page: never one for the other (Back)
@cache_page_for_anonymous(60, params=(*ProjectFilter.base_filters, "page"))
@require_safe
def project_list(request):
    filterset = ProjectFilter(request.GET, queryset=Project.objects.published())
    projects = filterset.ordered(filterset.qs).for_list()
    facets = project_facets(filterset)
    paginator = Paginator(projects, PROJECTS_PER_PAGE)
    paginator.count = total_from_facets(filterset, facets)  # no COUNT query of its own
    page = paginator.get_page(request.GET.get("page"))
    matching_programmes = []
    query = (filterset.form.cleaned_data.get("q") or "").strip()
    if query:
        matching_programmes = Programme.objects.filter(search_document=search_query(query))[:3]
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "facets": facets,
        # The options chosen, to mark them selected (cheaper than a bound field per option).
        "chosen": {name: request.GET.get(name, "") for name in ProjectFilter.base_filters},
        "query": query,
        "matching_programmes": matching_programmes,
        "invalid": [
            _("%(label)s « %(value)s » ignoré : %(error)s")
            % {
                "label": filterset.form[name].label,
                "value": request.GET.get(name, "")[:50],
                "error": " ".join(errors),
            }
            for name, errors in filterset.form.errors.items()
            if name in filterset.form.fields
        ],
    }
    template = (
        "programmes/_project_results.html" if request.htmx else "programmes/project_list.html"
    )
    return render(request, template, context)


@cache_page_for_anonymous(60)
@require_safe
def project_detail(request, slug: str):
    # With the row, as arrays of JSON objects rather than queries of their own: its themes,
    # and who took part among the profiles this person may see (the directory's queryset,
    # reached through the relation: this app imports nothing of the directory). The search
    # document, the widest column, stays in the database.
    themes = Theme.objects.filter(projects=OuterRef("pk")).values(
        json=JSONObject(id="id", slug="slug", name="name")
    )
    publications = (
        _publications()
        .visible_to(request.user)
        .filter(related_projects=OuterRef("pk"))
        .order_by("-year", "title")
        .values(json=JSONObject(title="title", slug="slug", year="year"))
    )
    practitioners = (
        _profiles()
        .visible_to(request.user)
        .filter(projects=OuterRef("pk"))
        .order_by("display_name")
        .values(json=JSONObject(name="display_name", slug="slug", role="role"))
    )
    queryset = (
        Project.objects.select_related("programme", "host", "region__successor")
        .defer("search_document", "programme__search_document", "programme__description")
        .annotate(
            theme_list=ArraySubquery(themes),
            practitioner_list=ArraySubquery(practitioners),
            publication_list=ArraySubquery(publications),
        )
        .prefetch_related("links")
    )
    project = get_object_or_404(queryset, slug=slug)
    if not project.published and not access.reader(request.user).staff:
        raise Http404
    return render(
        request,
        "programmes/project_detail.html",
        {
            "project": project,
            "related": related_projects(project),
            "practitioners": [
                {**person, "url": slug_url("community:profile", person["slug"])}
                for person in project.practitioner_list
            ],
            "publications": [
                {**item, "url": slug_url("publications:detail", item["slug"])}
                for item in project.publication_list
            ],
        },
    )


@cache_page_for_anonymous(60, params=("carte",))
@require_safe
def region_list(request):
    generation = "current" if request.GET.get("carte") == "2016" else "pre2016"
    regions = list(Region.objects.all())
    councils = member_councils_by_region()
    counts = region_project_counts(regions)
    member_ids = set(councils)
    successors_of_members = {
        r.successor_id for r in regions if r.pk in member_ids and r.successor_id
    }
    outlines = maps.outlines(generation)
    shapes = []
    for region in regions:
        if region.generation != generation or region.code not in outlines:
            continue
        shapes.append(
            {
                "region": region,
                "outline": outlines[region.code],
                "member": region.pk in member_ids,
                "heir": region.pk in successors_of_members,
                "count": counts.get(region.pk, 0),
            }
        )
    listed = sorted(
        regions,
        key=lambda r: (r.pk not in member_ids, r.generation != "current", r.name),
    )
    return render(
        request,
        "programmes/regions.html",
        {
            "generation": generation,
            "shapes": shapes,
            "view_box": maps.view_box(),
            "credit": maps.CREDITS[generation],
            "regions": [
                {"region": r, "member": r.pk in member_ids, "count": counts.get(r.pk, 0)}
                for r in listed
            ],
            "member_count": len(member_ids),
        },
    )


@cache_page_for_anonymous(60, params=("page",))
@require_safe
def region_detail(request, slug: str):
    region = get_object_or_404(
        Region.objects.select_related("successor").prefetch_related("predecessors"), slug=slug
    )
    lineage = region.lineage_ids()  # from the prefetched predecessors
    projects = Project.objects.published().in_region(region).for_list()
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    # The regional council with its membership active today (the latest begun), in one query.
    active = Membership.objects.active().filter(organisation=OuterRef("pk")).order_by("-starts")
    # The council may be recorded under the region of before 2016 (Région Pays de la Loire
    # joined before the reform): any council of the lineage, a member one first, then this
    # region's own.
    council = (
        Organisation.objects.filter(kind=Organisation.Kind.REGIONAL_COUNCIL, region_id__in=lineage)
        .annotate(
            tier=Subquery(active.values("tier")[:1]), since=Subquery(active.values("starts")[:1])
        )
        .order_by(
            F("tier").asc(nulls_last=True),
            Case(When(region=region, then=0), default=1),
            "name",
        )
        .only("name", "region")
        .first()
    )
    if council and not council.tier and council.region_id != region.pk:
        council = None  # a merged region's former council: « not a member » says it plainly
    members = (
        Organisation.objects.with_active_membership()
        .filter(region_id__in=lineage)
        .only("name", "kind")
    )
    return render(
        request,
        "programmes/region_detail.html",
        {
            "region": region,
            "predecessors": region.predecessors.all(),
            # Only a merger is worth naming (not Bretagne « issue de » Bretagne).
            "merged_from": [old for old in region.predecessors.all() if old.name != region.name],
            "council": council,
            "council_tier": Membership.Tier(council.tier).label
            if council and council.tier
            else None,
            "page": page,
            "members": members,
        },
    )


@access.verified_required
@require_http_methods(["GET", "POST"])
def request_create(request, slug: str):
    programme = get_object_or_404(Programme, slug=slug, status=Programme.Status.ACTIVE)
    user = request.user
    initial = {"organisation_name": user.organisation.name if user.organisation else ""}
    form = ProgrammeRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme_request_create(user=user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Votre demande pour « %(programme)s » est envoyée : l'équipe vous répond sous quinze jours."
                )
                % {"programme": programme.name},
            )
            return redirect("programmes:my_requests")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "programmes/request_form.html",
        {"programme": programme, "form": form},
        status=status,
    )


@access.verified_required
@require_safe
def my_requests(request):
    requests = (
        ProgrammeRequest.objects.filter(requester=request.user)
        .select_related("programme", "edition")
        .prefetch_related("edition__phases")
    )
    return render(request, "programmes/my_requests.html", {"requests": requests})
