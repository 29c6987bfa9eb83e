import datetime

import pytest
from django.core import mail
from django.utils import timezone

from programmes.models import Programme, ProgrammeRequest
from tests.programmes.factories import ProgrammeFactory, ProgrammeRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return ProgrammeFactory(slug="la-transfo", name="La Transfo")


def _data(**overrides):
    start = timezone.localdate() + datetime.timedelta(days=60)
    return {
        "organisation_name": "Conseil départemental du Val-de-Marne",
        "need": "Repenser l'accueil dans nos espaces départementaux.",
        "desired_start": start.isoformat(),
        "desired_end": (start + datetime.timedelta(days=180)).isoformat(),
        "expected_participants": "15",
        "phone": "01 83 62 98 27",
        **overrides,
    }


def _post(client, capture, data, slug="la-transfo"):
    with capture(execute=True):
        return client.post(f"/programmes/{slug}/demander/", data)


def test_the_request_workflow_end_to_end(
    client, agent, staff, programme, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["equipe@la27eregion.fr"]
    client.force_login(agent)
    form = client.get("/programmes/la-transfo/demander/")
    assert form.status_code == 200
    assert form.context["form"].initial["organisation_name"] == agent.organisation.name

    response = _post(client, django_capture_on_commit_callbacks, _data())
    assert response.status_code == 302 and response["Location"] == "/programmes/mes-demandes/"
    request = ProgrammeRequest.objects.get()
    assert (request.requester, request.organisation, request.status) == (
        agent,
        agent.organisation,
        "new",
    )
    staff_mail, receipt = mail.outbox
    assert (
        staff_mail.to == ["equipe@la27eregion.fr"]
        and "Nouvelle demande : La Transfo" in staff_mail.subject
    )
    assert receipt.to == [agent.email]
    assert "La Transfo" in client.get("/programmes/mes-demandes/").content.decode()

    # Staff move it along in the admin; the requester hears of each step.
    client.force_login(staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/programmes/programmerequest/",
            {"action": "mark_discussion", "_selected_action": [request.pk]},
        )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/programmes/programmerequest/{request.pk}/change/",
            {"status": "accepted", "staff_note": "Rendez-vous le 3 mars."},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.staff_note, request.decided_by) == (
        "accepted",
        "Rendez-vous le 3 mars.",
        staff,
    )
    assert [m.subject for m in mail.outbox] == [
        "[La 27e Région] Votre demande pour La Transfo : En discussion",
        "[La 27e Région] Votre demande pour La Transfo : Acceptée",
    ]
    assert "Rendez-vous le 3 mars." in mail.outbox[-1].body
    client.force_login(agent)
    assert "Rendez-vous le 3 mars." in client.get("/programmes/mes-demandes/").content.decode()


def test_a_closed_request_cannot_be_reopened(
    client, agent, staff, programme, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    _post(client, django_capture_on_commit_callbacks, _data())
    request = ProgrammeRequest.objects.get()
    client.force_login(staff)
    for action in ["mark_declined", "mark_discussion"]:
        client.post(
            "/admin/programmes/programmerequest/",
            {"action": action, "_selected_action": [request.pk]},
        )
    request.refresh_from_db()
    assert request.status == "declined"


def test_people_only_see_their_own_requests(
    client, agent, partner, programme, django_capture_on_commit_callbacks
):
    client.force_login(agent)
    _post(
        client,
        django_capture_on_commit_callbacks,
        _data(organisation_name="Secret du Val-de-Marne"),
    )
    client.force_login(partner)
    body = client.get("/programmes/mes-demandes/").content.decode()
    assert "Secret du Val-de-Marne" not in body
    assert "aucun programme" in body
    assert (
        client.get(
            f"/admin/programmes/programmerequest/{ProgrammeRequest.objects.get().pk}/change/"
        ).status_code
        == 302
    )


def test_asking_needs_an_account(client, programme):
    response = client.get("/programmes/la-transfo/demander/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/programmes/mes-demandes/").status_code == 302


def test_at_most_five_open_requests(client, agent, programme, django_capture_on_commit_callbacks):
    client.force_login(agent)
    for _ in range(5):
        assert _post(client, django_capture_on_commit_callbacks, _data()).status_code == 302
    response = _post(client, django_capture_on_commit_callbacks, _data())
    assert response.status_code == 400
    assert "déjà 5 demandes en cours" in response.content.decode()
    assert ProgrammeRequest.objects.count() == 5


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"need": ""}, "need"),
        ({"organisation_name": ""}, "organisation_name"),
        ({"need": "x" * 10_000}, "need"),
        ({"desired_start": "2020-01-01"}, "desired_start"),
        ({"desired_start": "pas une date"}, "desired_start"),
        (
            {"desired_end": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "desired_end",
        ),
        ({"expected_participants": "0"}, "expected_participants"),
        ({"expected_participants": "100000"}, "expected_participants"),
        ({"phone": "appelez-moi"}, "phone"),
    ],
)
def test_bad_input_gets_a_message_and_stores_nothing(
    client, agent, programme, django_capture_on_commit_callbacks, overrides, field
):
    client.force_login(agent)
    response = _post(client, django_capture_on_commit_callbacks, _data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not ProgrammeRequest.objects.exists()
    assert not mail.outbox


def test_an_archived_programme_cannot_be_asked_for(
    client, agent, django_capture_on_commit_callbacks
):
    ProgrammeFactory(slug="ancien", status=Programme.Status.ARCHIVED)
    client.force_login(agent)
    assert (
        _post(client, django_capture_on_commit_callbacks, _data(), slug="ancien").status_code == 404
    )


def test_staff_export_projects_as_csv(client, staff):
    from tests.programmes.factories import ProjectFactory

    project = ProjectFactory(slug="csv-me", title="Projet, avec virgule")
    client.force_login(staff)
    response = client.post(
        "/admin/programmes/project/", {"action": "export_csv", "_selected_action": [project.pk]}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("slug,titre,programme")
    assert lines[1].startswith('csv-me,"Projet, avec virgule"')


@pytest.mark.parametrize(("count", "wording"), [(1, "1 demande mise à jour."), (2, "2 demandes mises à jour.")])  # fmt: skip
def test_the_admin_says_how_many_requests_it_moved_in_good_french(
    client, agent, staff, programme, count, wording
):
    requests = ProgrammeRequestFactory.create_batch(
        count, programme=programme, requester=agent, status=ProgrammeRequest.Status.NEW
    )
    client.force_login(staff)
    response = client.post(
        "/admin/programmes/programmerequest/",
        {"action": "mark_discussion", "_selected_action": [r.pk for r in requests]},
        follow=True,
    )
    assert wording in [str(message) for message in response.context["messages"]]
