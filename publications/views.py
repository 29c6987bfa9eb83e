from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from lab import access
from lab.lib.cache_pages import cache_page_for_anonymous
from programmes.models import Project
from publications.filters import PublicationFilter
from publications.models import Publication, PublicationFile, ReaderPreference, ReleaseAlert
from publications.permissions import PublicationAccess, publication_access
from publications.selectors import collection_version
from publications.services import download_record, reader_preference_set, release_alert_request

PER_PAGE = 24


def _never_cache_in_window(response: HttpResponse, rights: PublicationAccess) -> HttpResponse:
    if rights.in_window:
        # The page differs by person and changes at public_from: no shared or stale copy.
        response["Cache-Control"] = "private, no-store"
    return response


def _search_audience(reader) -> str:
    """Who finds the same publications with the same words: a search reads the whole text of
    what the reader may open and only the teaser of the rest (`PublicationFilter`)."""
    if reader.staff:
        return "staff"
    if reader.privileged:
        return "privileged"
    if reader.verified and reader.organisation_id:
        return f"organisation-{reader.organisation_id}"  # it may open what it co-edited
    return "public"


@vary_on_headers("HX-Request")  # the partial and the page: never one for the other (Back)
@require_safe
def publication_list(request):
    """The results (filters, cards, pages) are the same for everyone who may open the same
    publications (`_search_audience`; the cards' badges say whether a publication is in its
    window, not what this person may open): the template keeps them for a minute under that
    audience, the collection's version (`collection_version`), the address and the language.
    What makes them is lazy."""
    reader = access.reader(request.user)
    base = Publication.objects.visible_to(request.user).prefetch_related("co_editors")
    filterset = SimpleLazyObject(
        lambda: PublicationFilter(request.GET, queryset=base, request=request)
    )
    page = SimpleLazyObject(
        lambda: Paginator(filterset.qs, PER_PAGE).get_page(request.GET.get("page"))
    )
    items = SimpleLazyObject(
        lambda: [
            (publication, publication_access(publication, request.user))
            for publication in page.object_list
        ]
    )
    response = render(
        request,
        "publications/_list_partial.html" if request.htmx else "publications/list.html",
        {
            "form": SimpleLazyObject(lambda: filterset.form),
            "page": page,
            "items": items,
            "invalid": SimpleLazyObject(lambda: filterset.form.errors),
            "results_key": [_search_audience(reader), collection_version(base)],
            "privileged": reader.privileged,
            "priority_alerts": reader.privileged
            and ReaderPreference.objects.filter(user=request.user, priority_alerts=True).exists(),
        },
    )
    response["Cache-Control"] = "private, no-store"  # the list shows what this person may open
    return response


def _publication(request, slug: str) -> tuple[Publication, PublicationAccess]:
    publication = get_object_or_404(
        Publication.objects.prefetch_related(
            "co_editors", "themes", "files",
            Prefetch("related_projects", queryset=Project.objects.published().select_related("region", "programme")),
        ),
        slug=slug,
    )  # fmt: skip
    rights = publication_access(publication, request.user)
    if not rights.teaser:
        raise Http404
    return publication, rights


def _preview_rights(
    request, publication: Publication, rights: PublicationAccess
) -> tuple[PublicationAccess, str]:
    """Staff may look at the page as a partner or as the public would (?apercu=...)."""
    as_whom = request.GET.get("apercu", "")
    if not access.reader(request.user).staff or as_whom not in {"partenaire", "public"}:
        return rights, ""
    if not publication.is_published:
        return PublicationAccess(
            True, as_whom == "partenaire", as_whom == "partenaire", False
        ), as_whom
    window = publication.in_window
    allowed = as_whom == "partenaire" or not window
    return PublicationAccess(True, allowed, allowed, window), as_whom


@cache_page_for_anonymous(60)
@require_safe
def publication_detail(request, slug: str):
    publication, rights = _publication(request, slug)
    rights, preview = _preview_rights(request, publication, rights)
    asked = (
        access.reader(request.user).verified
        and ReleaseAlert.objects.filter(user=request.user, publication=publication).exists()
    )
    metadata = {
        "@type": "CreativeWork",
        "name": publication.title,
        "abstract": publication.summary,
        "datePublished": publication.year,
        "isAccessibleForFree": not rights.in_window,
        "url": request.build_absolute_uri(publication.get_absolute_url()),
    }
    if rights.read:  # the teaser's fields only, like the page, for those who may not read it
        metadata.update(
            {
                "author": publication.authors or "La 27e Région",
                "publisher": publication.publisher or "La 27e Région",
                "license": publication.licence,
            }
        )
    response = render(
        request,
        "publications/detail.html",
        {
            "publication": publication,
            "rights": rights,
            "asked": asked,
            "preview": preview,
            "metadata": metadata,
        },
    )
    return _never_cache_in_window(response, rights)


@access.verified_required
@require_POST
def release_alert(request, slug: str):
    publication, rights = _publication(request, slug)
    if release_alert_request(user=request.user, publication=publication):
        messages.success(
            request,
            _("C'est noté : nous vous écrirons dès que la publication sera ouverte à tous."),
        )
    elif not rights.in_window:
        messages.info(request, _("Cette publication est déjà ouverte à tous."))
    return redirect(publication)


@access.verified_required
@require_POST
def reader_preference(request):
    if not access.reader(request.user).privileged:
        raise Http404
    enabled = request.POST.get("priority_alerts") == "on"
    reader_preference_set(user=request.user, priority_alerts=enabled)
    messages.success(
        request,
        _("Vous serez prévenu des nouvelles parutions en accès prioritaire.")
        if enabled
        else _("Vous ne serez plus prévenu des nouvelles parutions."),
    )
    return redirect("publications:list")


def _file_not_found(request, publication: Publication) -> HttpResponse:
    """One 404 for a missing file and a file one may not download: it points to the
    publication's page, which says how to get access."""
    return render(
        request, "publications/file_not_found.html", {"publication": publication}, status=404
    )


@require_safe
def download(request, slug: str, file_id: int):
    publication, rights = _publication(request, slug)
    # Without the right to download, the answer for a file that does not exist, signed in or
    # not, before even looking for it: a private file's existence never shows.
    file = (
        PublicationFile.objects.filter(pk=file_id, publication=publication).first()
        if rights.download
        else None
    )
    if file is None:
        return _file_not_found(request, publication)
    download_record(file=file, user=request.user)
    filename = PurePath(file.file.name).name
    content_type = (
        file.content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    )
    if settings.PRIVATE_MEDIA_ACCEL_PREFIX:
        # Production: nginx serves the bytes from an internal location after this check.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = (
            f"{settings.PRIVATE_MEDIA_ACCEL_PREFIX.rstrip('/')}/{file.file.name}"
        )
    else:
        response = FileResponse(file.file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store" if rights.in_window else "private, max-age=3600"
    return response
