"""The admin: publishing and releasing now, uploads checked by content and size."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from publications.models import Publication
from tests.publications.factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_staff_publish_and_release_now(client, staff, co_editor):
    draft = PublicationFactory(slug="a-paraitre", draft=True)
    window = PublicationFactory(
        slug="fenetre", public_from=timezone.now() + datetime.timedelta(days=10)
    )
    client.force_login(staff)
    client.post(
        "/admin/publications/publication/",
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )
    client.post(
        "/admin/publications/publication/",
        {"action": "release_now", "_selected_action": [window.pk]},
    )
    assert set(Publication.objects.public().values_list("slug", flat=True)) >= {
        "a-paraitre",
        "fenetre",
    }
    page = client.get(f"/admin/publications/publication/{window.pk}/change/").content.decode()
    assert "?apercu=partenaire" in page and "?apercu=public" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", b"MZ\x90\x00 pretending to be a PDF", "n&#x27;est pas accepté"),
        ("image.png", b"%PDF-1.4 but named png", None),  # judged by content: a PDF is fine
        ("gros.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024 + 1), "la limite est de"),
    ],
)
def test_uploads_are_checked_by_content_and_size(client, staff, name, content, message):
    publication = PublicationFactory(slug="televersement")
    client.force_login(staff)
    assert (
        client.get(f"/admin/publications/publication/{publication.pk}/change/").status_code == 200
    )
    data = {}
    data.update({
        "title": publication.title, "slug": publication.slug, "kind": "book", "year": "2026", "summary": "x",
        "status": "published", "published_at_0": "2026-01-01", "published_at_1": "10:00:00", "public_from_0": "", "public_from_1": "",
        "licence": "CC BY-SA 4.0",
        "files-TOTAL_FORMS": "2", "files-INITIAL_FORMS": "1", "files-MIN_NUM_FORMS": "0", "files-MAX_NUM_FORMS": "1000",
        "files-0-id": str(publication.files.get().pk), "files-0-publication": str(publication.pk), "files-0-label": "PDF",
        "files-1-publication": str(publication.pk), "files-1-label": "Nouveau", "files-1-file": SimpleUploadedFile(name, content),
    })  # fmt: skip
    response = client.post(f"/admin/publications/publication/{publication.pk}/change/", data)
    if message:
        assert response.status_code == 200
        assert message in response.content.decode()
        assert publication.files.count() == 1
    else:
        assert response.status_code == 302
        added = publication.files.get(label="Nouveau")
        assert added.content_type == "application/pdf" and added.size == len(content)
