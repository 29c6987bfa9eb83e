"""Joining: from a gated page to an application, staff's decision, and the access it opens."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lab import access
from lab.models import Membership, Organisation, OutgoingEmail
from members import services
from members.models import Application, Referent
from tests.lab.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.publications.factories import PublicationFactory

pytestmark = pytest.mark.django_db

FORM = {
    "organisation_name": "Conseil départemental du Val-de-Marne",
    "siret": "",
    "body_kind": "departement",
    "tier": "member",
    "contact_name": "Alex Agent",
    "contact_role": "Chargée d'innovation",
    "contact_email": "agent@exemple.fr",
    "message": "Nous voulons lancer une résidence.",
}


@pytest.fixture
def priority_publication(db):
    now = timezone.now()
    publication = PublicationFactory(
        slug="fenetre", title="Fenêtre", public_from=now + datetime.timedelta(days=30)
    )
    return publication


def test_every_gated_page_shows_the_way_to_join(client, agent, priority_publication):
    join = reverse("members:join")
    client.force_login(agent)
    for url in [
        priority_publication.get_absolute_url(),
        reverse("community:directory"),
        reverse("superpublic:book"),
    ]:
        assert f'href="{join}"' in client.get(url).content.decode(), url


def test_the_join_page_says_what_each_kind_gives_and_asks_anonymous_people_to_sign_in(client):
    body = client.get(reverse("members:join")).content.decode()
    assert "Adhérent" in body and "Partenaire" in body and "La Pointeuse" in body
    assert reverse("account_login") in body


def test_an_agent_applies_staff_are_told_and_the_contact_gets_a_receipt(client, agent):
    client.force_login(agent)
    response = client.post(reverse("members:apply"), FORM)
    assert response.status_code == 302
    application = Application.objects.get()
    # The applicant's own organisation, found without typing it.
    assert application.organisation == agent.organisation
    assert application.status == "new"
    templates = set(OutgoingEmail.objects.values_list("template", flat=True))
    assert templates == {"members/application_new", "members/application_received"}


@pytest.mark.parametrize("siret", ["1234", "1234567890123A", "12345678901234567"])
def test_a_malformed_siret_is_refused_with_a_message_and_nothing_stored(client, siret):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("members:apply"), {**FORM, "siret": siret})
    assert response.status_code == 400
    assert "SIRET compte 14 chiffres" in response.content.decode()
    assert not Application.objects.exists() and not OutgoingEmail.objects.exists()


def test_a_second_pending_application_is_refused_with_a_message_and_nothing_stored(client, agent):
    client.force_login(agent)
    client.post(reverse("members:apply"), FORM)
    emails = OutgoingEmail.objects.count()
    response = client.post(reverse("members:apply"), FORM)
    assert response.status_code == 400
    assert "déjà une demande d" in response.content.decode()
    assert Application.objects.count() == 1 and OutgoingEmail.objects.count() == emails


def test_a_colleague_cannot_open_a_second_application_for_the_same_organisation(agent):
    services.application_create(applicant=agent, **FORM)
    colleague = UserFactory(organisation=agent.organisation)
    with pytest.raises(Exception, match="déjà en cours"):
        services.application_create(applicant=colleague, **FORM)
    assert Application.objects.count() == 1


def test_an_unattached_person_finds_an_existing_organisation_by_its_siret():
    organisation = OrganisationFactory(siret="22940028800010", siren="229400288")
    user = UserFactory()
    application = services.application_create(
        applicant=user, **{**FORM, "organisation_name": "CD94", "siret": "229400288 00010"}
    )
    assert application.organisation == organisation


def test_an_organisation_already_member_has_nothing_to_apply_for(partner):
    newcomer = UserFactory()
    with pytest.raises(Exception, match="déjà adhérente"):
        services.application_create(
            applicant=newcomer, **{**FORM, "organisation_name": partner.organisation.name}
        )
    assert not Application.objects.exists()


def test_staff_accept_in_the_admin_and_the_agent_then_downloads(
    client, agent, staff, priority_publication
):
    file = priority_publication.files.get()
    client.force_login(agent)
    client.post(reverse("members:apply"), FORM)
    assert client.get(file.get_absolute_url()).status_code == 404
    application = Application.objects.get()

    client.force_login(staff)
    url = reverse("admin:members_application_change", args=[application.pk])
    today = timezone.localdate()
    # In discussion first, with a note: the contact is told, no membership yet.
    response = client.post(url, {"status": "discussion", "tier": "member", "starts": "", "ends": "", "staff_note": "Appel prévu"})  # fmt: skip
    assert response.status_code == 302
    assert not Membership.objects.filter(organisation=agent.organisation).exists()
    response = client.post(url, {"status": "accepted", "tier": "member", "starts": today.isoformat(),
                                 "ends": (today + datetime.timedelta(days=364)).isoformat(), "staff_note": "Bienvenue"})  # fmt: skip
    assert response.status_code == 302
    membership = Membership.objects.get(organisation=agent.organisation)
    application.refresh_from_db()
    assert application.status == "accepted" and application.membership == membership
    assert application.decided_by == staff
    assert Referent.objects.filter(user=agent, organisation=agent.organisation).exists()
    status_emails = OutgoingEmail.objects.filter(template="members/application_status")
    assert [e.context["status"] for e in status_emails.order_by("created_at")] == [
        "discussion",
        "accepted",
    ]
    assert status_emails.first().to == ["agent@exemple.fr"]

    client.force_login(agent)
    response = client.get(file.get_absolute_url())
    assert response.status_code == 200


def test_accepting_without_a_start_date_is_refused_by_the_admin_form(client, agent, staff):
    application = services.application_create(applicant=agent, **FORM)
    client.force_login(staff)
    url = reverse("admin:members_application_change", args=[application.pk])
    response = client.post(url, {"status": "accepted", "tier": "member", "starts": "", "ends": "", "staff_note": ""})  # fmt: skip
    assert response.status_code == 200  # the form again, with its error
    assert "date de début" in response.content.decode()
    assert not Membership.objects.exists()


def test_accepting_over_an_existing_membership_is_refused_and_nothing_changes(agent, staff):
    application = services.application_create(applicant=agent, **FORM)
    today = timezone.localdate()
    MembershipFactory(
        organisation=agent.organisation,
        starts=today + datetime.timedelta(days=10),
        ends=today + datetime.timedelta(days=100),
    )
    with pytest.raises(Exception, match="déjà une adhésion"):
        services.application_decide(
            application=application, status="accepted", by=staff, starts=today
        )
    application.refresh_from_db()
    assert application.status == "new" and application.membership is None


def test_accepting_a_new_organisation_creates_it_with_its_siret(staff):
    user = UserFactory()
    application = services.application_create(
        applicant=user,
        **{**FORM, "organisation_name": "Commune de Trifouillis", "siret": "21000000000017",
           "body_kind": "commune"},
    )  # fmt: skip
    services.application_decide(
        application=application, status="accepted", by=staff, starts=timezone.localdate()
    )
    organisation = Organisation.objects.get(name="Commune de Trifouillis")
    assert (organisation.kind, organisation.siret, organisation.siren) == (
        "city", "21000000000017", "210000000"
    )  # fmt: skip
    user.refresh_from_db()
    assert user.organisation == organisation
    assert access.reader(user).privileged


def test_a_decided_application_cannot_be_decided_again(agent, staff):
    application = services.application_create(applicant=agent, **FORM)
    services.application_decide(application=application, status="declined", by=staff)
    with pytest.raises(Exception, match="déjà été tranchée"):
        services.application_decide(
            application=application, status="accepted", by=staff, starts=timezone.localdate()
        )
    assert not Membership.objects.exists()


def test_a_persons_applications_are_in_their_data_and_pending_ones_leave_with_them(agent):
    from lab import accounts

    services.application_create(applicant=agent, **FORM)
    data = accounts.personal_data(user=agent)
    assert data["membership_applications"][0]["contact_email"] == "agent@exemple.fr"
    accounts.account_delete(user=agent)
    assert not Application.objects.exists()
