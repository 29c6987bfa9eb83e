"""The priority window: access matrix, the boundary minute, private files, notifications."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lab.lib.typography import french_text
from publications.models import Download, Publication, PublicationFile
from publications.permissions import publication_access
from publications.seed import _pdf
from publications.services import publications_notify, reader_preference_set, release_alert_request
from tests.lab.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC)
RELEASE = NOW + datetime.timedelta(days=30)


def make(
    slug,
    *,
    status="published",
    public_from=None,
    published_at=NOW - datetime.timedelta(days=1),
    **extra,
):
    publication = Publication.objects.create(
        slug=slug, title=f"Titre {slug}", kind="book", year=2026, summary=f"Résumé {slug}", body=f"Corps {slug}",
        status=status, published_at=published_at if status == "published" else None, public_from=public_from, **extra,
    )  # fmt: skip
    file = PublicationFile(
        publication=publication, label="PDF", content_type="application/pdf", size=10
    )
    file.file.save(f"{slug}.pdf", ContentFile(_pdf(slug)), save=False)
    file.save()
    return publication


@pytest.fixture
def co_editor(db):
    organisation = OrganisationFactory(
        name="Ville coéditrice", slug="ville-coeditrice", kind="city"
    )
    return UserFactory(email="coeditrice@exemple.fr", organisation=organisation)


@pytest.fixture
def catalogue(co_editor):
    with time_machine.travel(NOW, tick=False):
        draft = make("brouillon", status="draft")
        window = make("avant-premiere", public_from=RELEASE)
        window.co_editors.add(co_editor.organisation)
        public = make("ouverte")
    return {"draft": draft, "window": window, "public": public}


READ = {
    # user: (draft, window, public) -> may read
    "anonymous": (False, False, True),
    "agent": (False, False, True),
    "partner": (False, True, True),
    "lapsed": (False, False, True),
    "co_editor": (False, True, True),
    "staff": (True, True, True),
}


@pytest.fixture
def everyone(users, co_editor):
    return {**users, "co_editor": co_editor}


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("who", list(READ))
def test_the_access_matrix(client, catalogue, everyone, who):
    user = everyone[who]
    if user:
        client.force_login(user)
    for index, state in enumerate(["draft", "window", "public"]):
        publication = catalogue[state]
        may_read = READ[who][index]
        rights = publication_access(publication, user)
        assert rights.read is may_read and rights.download is may_read, (who, state)
        detail = client.get(f"/publications/{publication.slug}/")
        if state == "draft" and not may_read:
            assert detail.status_code == 404
        else:
            assert detail.status_code == 200
            body = detail.content.decode()
            assert f"Résumé {publication.slug}" in body  # the teaser, for everyone
            assert (f"Corps {publication.slug}" in body) is may_read
        file = publication.files.get()
        download = client.get(f"/publications/{publication.slug}/fichiers/{file.pk}/")
        if may_read:
            assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
            assert b"".join(download.streaming_content).startswith(b"%PDF-")
        else:
            assert download.status_code in {302, 404}
            assert not hasattr(download, "streaming_content")
    listed = {p.slug for p, _rights in client.get("/publications/").context["items"]}
    assert listed == ({"avant-premiere", "ouverte"} | ({"brouillon"} if who == "staff" else set()))


@time_machine.travel(NOW, tick=False)
def test_the_teaser_says_until_when(client, catalogue, agent):
    client.force_login(agent)
    body = client.get("/publications/avant-premiere/").content.decode()
    assert "accès prioritaire adhérents et partenaires jusqu'au 22 décembre 2026" in body
    assert "Prévenez-moi à la sortie" in body


def test_the_window_closes_on_the_minute(client, catalogue, agent):
    file = catalogue["window"].files.get()
    url = f"/publications/avant-premiere/fichiers/{file.pk}/"
    with time_machine.travel(RELEASE - datetime.timedelta(seconds=1), tick=False):
        client.force_login(agent)  # sessions expire: sign in at the travelled time
        assert client.get(url).status_code == 404
        assert client.get("/publications/avant-premiere/")["Cache-Control"] == "private, no-store"
    with time_machine.travel(RELEASE, tick=False):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, max-age=3600"


@time_machine.travel(NOW, tick=False)
def test_downloads_in_the_window_are_private_and_counted_by_organisation(
    client, catalogue, partner
):
    client.force_login(partner)
    file = catalogue["window"].files.get()
    response = client.get(f"/publications/avant-premiere/fichiers/{file.pk}/")
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="avant-premiere.pdf"'
    file.refresh_from_db()
    assert file.downloads == 1
    assert Download.objects.get().organisation == partner.organisation


@time_machine.travel(NOW, tick=False)
def test_staff_see_downloads_by_organisation(client, catalogue, partner, staff):
    client.force_login(partner)
    file = catalogue["window"].files.get()
    client.get(f"/publications/avant-premiere/fichiers/{file.pk}/")
    client.force_login(staff)
    page = client.get(
        f"/admin/publications/publication/{catalogue['window'].pk}/change/"
    ).content.decode()
    assert french_text("<li>Région Pays de la Loire : 1</li>") in page


@time_machine.travel(NOW, tick=False)
def test_private_files_have_no_public_address(client, catalogue, settings):
    file = catalogue["window"].files.get()
    with pytest.raises(ValueError, match="no public URL"):
        file.file.url  # noqa: B018
    assert str(settings.PRIVATE_MEDIA_ROOT) in file.file.path
    assert not file.file.path.startswith(str(settings.MEDIA_ROOT))
    for guess in [
        f"/media/{file.file.name}",
        f"/static/{file.file.name}",
        f"/publications/ouverte/fichiers/{file.pk}/",
        "/publications/avant-premiere/fichiers/999999/",
    ]:
        assert client.get(guess).status_code in {302, 404}, guess
    feed = client.get("/publications/feed/").content.decode()
    assert "ouverte" in feed and "avant-premiere" not in feed and "brouillon" not in feed


@time_machine.travel(NOW, tick=False)
def test_x_accel_redirect_in_production(client, catalogue, partner, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    client.force_login(partner)
    file = catalogue["window"].files.get()
    response = client.get(f"/publications/avant-premiere/fichiers/{file.pk}/")
    assert response["X-Accel-Redirect"] == f"/_private/{file.file.name}"
    assert response.content == b""


def test_notifications_go_once_per_person_and_event(
    catalogue, partner, agent, django_capture_on_commit_callbacks
):
    reader_preference_set(user=partner, priority_alerts=True)
    reader_preference_set(user=agent, priority_alerts=True)  # not privileged: never told early
    with time_machine.travel(NOW, tick=False):
        assert release_alert_request(user=agent, publication=catalogue["window"])
        assert not release_alert_request(user=agent, publication=catalogue["window"])
        with django_capture_on_commit_callbacks(execute=True):
            assert publications_notify() == 1
            assert publications_notify() == 0
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([partner.email], "[La 27e Région] En avant-première : Titre avant-premiere")
    ]
    with (
        time_machine.travel(RELEASE + datetime.timedelta(hours=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert publications_notify() == 1
        assert publications_notify() == 0
    assert (
        mail.outbox[-1].to == [agent.email]
        and "Désormais ouverte à tous" in mail.outbox[-1].subject
    )


@time_machine.travel(NOW, tick=False)
def test_asking_to_be_told_needs_an_account(client, catalogue, agent):
    assert client.post("/publications/avant-premiere/prevenez-moi/").status_code == 302
    client.force_login(agent)
    response = client.post("/publications/avant-premiere/prevenez-moi/", follow=True)
    assert "Nous vous préviendrons à la sortie" in response.content.decode()


def test_staff_publish_and_release_now(client, staff, co_editor):
    draft = make("a-paraitre", status="draft")
    window = make("fenetre", public_from=timezone.now() + datetime.timedelta(days=10))
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


def test_staff_preview_as_the_public(client, staff, catalogue):
    client.force_login(staff)
    with time_machine.travel(NOW, tick=False):
        body = client.get("/publications/avant-premiere/?apercu=public").content.decode()
    assert "Comment y accéder" in body and "Corps avant-premiere" not in body


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", b"MZ\x90\x00 pretending to be a PDF", "n&#x27;est pas accepté"),
        ("image.png", b"%PDF-1.4 but named png", None),  # judged by content: a PDF is fine
        ("gros.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024 + 1), "la limite est de"),
    ],
)
def test_uploads_are_checked_by_content_and_size(client, staff, name, content, message):
    publication = make("televersement")
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


def test_list_and_detail_stay_within_their_query_budget(
    client, partner, django_assert_max_num_queries
):
    for i in range(200):
        Publication.objects.create(slug=f"p{i}", title=f"P{i}", kind="book", year=2010 + i % 15, summary="s", status="published",
                                   published_at=timezone.now(), public_from=timezone.now() + datetime.timedelta(days=i % 3))  # fmt: skip
    make("detail")
    for user in [None, partner]:
        if user:
            client.force_login(user)
        with django_assert_max_num_queries(10):
            assert client.get("/publications/").status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get("/publications/?access=priority&year=2012&q=p1").status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get("/publications/detail/").status_code == 200


@pytest.mark.parametrize("url", ["/publications/inconnue/", "/publications/inconnue/fichiers/1/"])
def test_unknown_slugs_and_files_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_partner_turns_priority_alerts_on_and_off_from_the_list(client, partner):
    client.force_login(partner)
    checkbox = 'id="priority_alerts" checked'
    assert checkbox not in client.get("/publications/").content.decode()
    response = client.post("/publications/alertes/", {"priority_alerts": "on"}, follow=True)
    assert checkbox in response.content.decode()
    assert checkbox in client.get("/publications/").content.decode()
    response = client.post("/publications/alertes/", {}, follow=True)
    assert checkbox not in response.content.decode()


# The list's shared results ({% cache %} under staff or not and the collection's version) ----


@time_machine.travel(NOW, tick=False)
def test_the_list_results_are_made_once_per_audience_and_version(
    client, catalogue, partner, django_assert_num_queries
):
    client.force_login(partner)
    first = client.get("/publications/").content.decode()
    # Session, user, who they are, their alert preference, the version: the results are kept.
    with django_assert_num_queries(5):
        again = client.get("/publications/").content.decode()
    results = 'id="resultats"'  # after the forms with their CSRF token
    assert again.split(results)[1] == first.split(results)[1]


@time_machine.travel(NOW, tick=False)
def test_drafts_listed_for_staff_are_never_shown_to_others(client, catalogue, staff, partner):
    client.force_login(staff)
    assert "Titre brouillon" in client.get("/publications/").content.decode()
    client.force_login(partner)
    assert "Titre brouillon" not in client.get("/publications/").content.decode()


def test_a_publication_saved_shows_at_once_in_the_list(client, catalogue, partner):
    client.force_login(partner)
    with time_machine.travel(NOW, tick=False):
        assert "Titre ouverte" in client.get("/publications/").content.decode()
    with time_machine.travel(NOW + datetime.timedelta(seconds=1), tick=False):
        catalogue["public"].title = "Un nouveau titre"
        catalogue["public"].save()
        assert "Un nouveau titre" in client.get("/publications/").content.decode()


def test_the_end_of_a_window_shows_at_once_in_the_list(client, catalogue, partner):
    client.force_login(partner)
    with time_machine.travel(RELEASE - datetime.timedelta(seconds=1), tick=False):
        assert "accès prioritaire" in client.get("/publications/").content.decode()
    with time_machine.travel(RELEASE + datetime.timedelta(seconds=1), tick=False):
        assert "accès prioritaire" not in client.get("/publications/").content.decode()
