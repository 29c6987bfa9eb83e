"""Demo publications from the lab's sources, one in a priority window and one draft."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from lab.models import Organisation
from programmes.models import Project, Theme
from publications.models import Publication, PublicationFile

PUBLICATIONS = [
    {
        "slug": "design-des-politiques-publiques",
        "title": "Design des politiques publiques",
        "kind": "book",
        "year": 2010,
        "summary": "La première publication du laboratoire : ce que le design apporte à la conception des politiques publiques, exemples à l'appui.",
        "themes": ["Prospective"],
        "projects": [],
    },
    {
        "slug": "retour-sur-residences",
        "title": "Retour sur résidences",
        "kind": "report",
        "year": 2011,
        "summary": "Rapport de février 2011 sur les premières résidences de Territoires en résidences : ce qui a marché, ce qui a coincé, ce qui reste.",
        "themes": ["Accueil des publics"],
        "projects": ["residence-hauts-de-garonne"],
    },
    {
        "slug": "chantiers-ouverts-au-public",
        "title": "Chantiers ouverts au public",
        "kind": "book",
        "year": 2015,
        "publisher": "La Documentation française",
        "isbn": "978-2-11-009932-7",
        "pages": 493,
        "summary": "Le grand livre des chantiers du laboratoire : résidences, Transfos, méthodes et récits, pour qui veut transformer l'action publique.",
        "themes": ["Prospective", "Formation des agents"],
        "projects": ["la-transfo-bourgogne", "la-transfo-champagne-ardenne"],
    },
    {
        "slug": "pour-une-indiscipline-de-l-action-publique",
        "title": "Pour une indiscipline de l'action publique",
        "kind": "book",
        "year": 2015,
        "summary": "Ouvrage collectif dirigé par un sociologue : croiser les disciplines pour sortir l'action publique de ses habitudes.",
        "themes": ["Démocratie"],
        "projects": [],
    },
    {
        "slug": "chroniques-de-l-action-publique",
        "title": "Chroniques de l'action publique",
        "subtitle": "12 bonnes nouvelles venues d'ailleurs",
        "kind": "book",
        "year": 2015,
        "summary": "La traduction française de « Design for Policy » : douze expériences étrangères de design appliqué aux politiques publiques.",
        "themes": ["Prospective"],
        "projects": [],
    },
    {
        "slug": "vies-d-elus",
        "title": "Vies d'élus",
        "kind": "documentary",
        "year": 2017,
        "summary": "Un long métrage documentaire sur la vie quotidienne d'élus locaux, entre engagement, fatigue et inventivité.",
        "themes": ["Démocratie"],
        "projects": [],
    },
    {
        "slug": "administration-mon-amour",
        "title": "Administration mon amour",
        "kind": "video",
        "year": 2017,
        "summary": "De courtes vidéos qui rendent la recherche sur les politiques publiques accessible à tous.",
        "themes": ["Évaluation"],
        "projects": [],
    },
]

IN_WINDOW = {
    "slug": "cahier-des-intertransfos", "title": "Cahier des InterTransfos", "kind": "notebook",
    "summary": "Ce que les équipes des Transfos se sont transmis lors de leurs retraites semestrielles : méthodes, échecs utiles et idées reprises.",
    "themes": ["Formation des agents", "Prospective"], "projects": ["la-transfo-pays-de-la-loire", "la-transfo-provence-alpes-cote-d-azur"],
}  # fmt: skip
DRAFT = {
    "slug": "superpublic-dix-ans", "title": "Superpublic, dix ans d'expérimentation", "kind": "notebook",
    "summary": "Un cahier en préparation sur dix ans de Superpublic, la zone d'expérimentation publique de la rue la Vacquerie.",
    "themes": [], "projects": [],
}  # fmt: skip


def pdf_bytes(title: str) -> bytes:
    """A small valid one-page PDF carrying the title, so demo downloads open (the test factories
    use it too)."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


def _save(data: dict, *, status: str, published_at, public_from) -> Publication:
    data = dict(data)
    themes, projects = data.pop("themes"), data.pop("projects")
    data.setdefault("year", timezone.localdate().year)
    publication, created = Publication.objects.get_or_create(
        slug=data.pop("slug"),
        defaults={
            **data,
            "status": status,
            "published_at": published_at,
            "public_from": public_from,
        },
    )
    if created:
        publication.themes.set(Theme.objects.filter(name__in=themes))
        publication.related_projects.set(Project.objects.filter(slug__in=projects))
        if publication.kind in {"book", "report", "notebook"}:
            file = PublicationFile(
                publication=publication,
                label=f"{publication.title} (PDF)",
                content_type="application/pdf",
            )
            content = pdf_bytes(publication.title)
            file.size = len(content)
            file.file.save(f"{publication.slug}.pdf", ContentFile(content), save=False)
            file.save()
    return publication


def run() -> None:
    now = timezone.now()
    for data in PUBLICATIONS:
        _save(
            data,
            status="published",
            published_at=datetime.datetime(data["year"], 6, 1, tzinfo=datetime.UTC),
            public_from=None,
        )
    window = _save(
        IN_WINDOW,
        status="published",
        published_at=now,
        public_from=now + datetime.timedelta(days=60),
    )
    window.co_editors.add(*Organisation.objects.filter(slug="region-pays-de-la-loire"))
    _save(DRAFT, status="draft", published_at=None, public_from=None)
