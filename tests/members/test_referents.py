"""Referents act within their own organisation: invitations, email domains, detaching people."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from lab.models import EmailDomain, OutgoingEmail, User
from members import services
from members.models import Invitation, Referent
from tests.lab.factories import EmailDomainFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def invitation_link(email: str) -> str:
    mail = OutgoingEmail.objects.filter(template="members/invitation", to=[email]).latest(
        "created_at"
    )
    return mail.context["url"].split("testserver")[-1].replace("http://127.0.0.1:8000", "")


def invite(client, referent, email="collegue@paysdelaloire.fr"):
    client.force_login(referent)
    return client.post(reverse("members:invite"), {"email": email}, follow=True)


def test_a_referent_invites_and_the_colleague_joins_with_one_click(client, referent):
    response = invite(client, referent)
    assert "Invitation envoyée" in response.content.decode()
    link = invitation_link("collegue@paysdelaloire.fr")
    client.logout()
    page = client.get(link)
    assert page.status_code == 200 and referent.organisation.name in page.content.decode()
    response = client.post(link, {"first_name": "Lou", "last_name": "Collègue", "password": "un-long-mot-de-passe-2026"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == reverse("members:space")
    colleague = User.objects.get(email="collegue@paysdelaloire.fr")
    assert colleague.organisation == referent.organisation
    assert EmailAddress.objects.get(user=colleague).verified  # the link reached that mailbox
    # Signed in, and listed in the organisation's space.
    assert "Lou Collègue" in client.get(reverse("members:space")).content.decode()


def test_an_invitation_cannot_be_replayed(client, referent):
    invite(client, referent)
    link = invitation_link("collegue@paysdelaloire.fr")
    client.logout()
    client.post(
        link, {"first_name": "Lou", "last_name": "C", "password": "un-long-mot-de-passe-2026"}
    )
    client.logout()
    response = client.get(link)
    assert response.status_code == 410 and "déjà servi" in response.content.decode()
    assert client.post(link, {"first_name": "X", "last_name": "Y", "password": "un-long-mot-de-passe-2026"}).status_code == 410  # fmt: skip
    assert User.objects.filter(email="collegue@paysdelaloire.fr").count() == 1


def test_an_expired_invitation_is_refused(client, referent):
    invite(client, referent)
    link = invitation_link("collegue@paysdelaloire.fr")
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.logout()
    response = client.post(link, {"first_name": "Lou", "last_name": "C", "password": "un-long-mot-de-passe-2026"})  # fmt: skip
    assert response.status_code == 410 and "expiré" in response.content.decode()
    assert not User.objects.filter(email="collegue@paysdelaloire.fr").exists()


def test_an_unknown_or_forged_token_is_not_found(client):
    assert client.get(reverse("members:invitation", args=["pas-un-jeton"])).status_code == 404
    assert client.get(reverse("members:invitation", args=["x" * 101])).status_code == 404


def test_an_invitation_cannot_bring_someone_of_another_organisation_in(client, referent, agent):
    # Refused at the invitation already, with a message, nothing stored…
    with pytest.raises(ValidationError, match="autre organisation"):
        services.invitation_create(
            organisation=referent.organisation, email=agent.email, by=referent
        )
    assert not Invitation.objects.exists() and not OutgoingEmail.objects.exists()
    response = invite(client, referent, email=agent.email)
    assert "autre organisation" in response.content.decode()
    # …and at the click, if the person joined another organisation meanwhile.
    newcomer = UserFactory(email="nouvelle@exemple.fr")
    _invitation, token = services.invitation_create(organisation=referent.organisation, email=newcomer.email, by=referent)  # fmt: skip
    User.objects.filter(pk=newcomer.pk).update(organisation=agent.organisation)
    newcomer.refresh_from_db()
    client.force_login(newcomer)
    response = client.post(reverse("members:invitation", args=[token]))
    assert response.status_code == 403
    newcomer.refresh_from_db()
    assert newcomer.organisation == agent.organisation
    assert Invitation.objects.get(email=newcomer.email).used_at is None


def test_an_invitation_is_for_its_address_only(client, referent, agent):
    _invitation, token = services.invitation_create(organisation=referent.organisation, email="autre@exemple.fr", by=referent)  # fmt: skip
    stranger = UserFactory(email="inconnu@exemple.fr")
    client.force_login(stranger)
    assert client.post(reverse("members:invitation", args=[token])).status_code == 403
    stranger.refresh_from_db()
    assert stranger.organisation is None


def test_an_existing_unattached_account_joins_once_signed_in(client, referent):
    person = UserFactory(email="deja@exemple.fr")
    _invitation, token = services.invitation_create(organisation=referent.organisation, email=person.email, by=referent)  # fmt: skip
    assert (
        "connectez-vous" in client.get(reverse("members:invitation", args=[token])).content.decode()
    )
    client.force_login(person)
    assert client.post(reverse("members:invitation", args=[token])).status_code == 302
    person.refresh_from_db()
    assert person.organisation == referent.organisation


def test_inviting_again_replaces_the_first_link(client, referent):
    invite(client, referent)
    first = invitation_link("collegue@paysdelaloire.fr")
    invite(client, referent)
    client.logout()
    assert client.get(first).status_code == 404
    assert Invitation.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_clicks_racing_use_the_invitation_once(referent):
    _invitation, token = services.invitation_create(organisation=referent.organisation, email="course@exemple.fr", by=referent)  # fmt: skip
    results, barrier = [], threading.Barrier(2)

    def click(n):
        barrier.wait()
        try:
            services.invitation_accept(token=token, first_name=f"C{n}", last_name="X", password="un-long-mot-de-passe-2026")  # fmt: skip
            results.append("joined")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["joined", "refused"]
    assert User.objects.filter(email="course@exemple.fr").count() == 1


def test_only_a_referent_invites_and_only_for_their_own_organisation(
    client, partner, agent, referent
):
    client.force_login(partner)  # a member, not a referent
    assert client.post(reverse("members:invite"), {"email": "x@exemple.fr"}).status_code == 403
    # A referent who left their organisation acts for none.
    User.objects.filter(pk=referent.pk).update(organisation=agent.organisation)
    client.force_login(referent)
    assert client.post(reverse("members:invite"), {"email": "x@exemple.fr"}).status_code == 403
    assert not Invitation.objects.exists()


def test_a_referent_detaches_someone_who_left(client, referent, partner):
    client.force_login(referent)
    response = client.post(reverse("members:detach", args=[partner.pk]))
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.organisation is None


def test_a_referent_cannot_detach_someone_of_another_organisation(client, referent, agent):
    client.force_login(referent)
    assert client.post(reverse("members:detach", args=[agent.pk])).status_code == 404
    agent.refresh_from_db()
    assert agent.organisation is not None


def test_a_referent_does_not_detach_themselves(client, referent):
    client.force_login(referent)
    client.post(reverse("members:detach", args=[referent.pk]))
    referent.refresh_from_db()
    assert referent.organisation is not None and Referent.objects.filter(user=referent).exists()


def _code(address: str) -> str:
    return OutgoingEmail.objects.filter(template="members/domain_code", to=[address]).latest("created_at").context["code"]  # fmt: skip


def test_a_domain_is_added_only_once_the_code_sent_to_it_comes_back(client, referent):
    client.force_login(referent)
    url = reverse("members:domains")
    client.post(url, {"action": "send", "address": "dsi@loire-atlantique-test.fr"})
    assert not EmailDomain.objects.filter(domain="loire-atlantique-test.fr").exists()
    wrong = client.post(url, {"action": "confirm", "code": "000000" if _code("dsi@loire-atlantique-test.fr") != "000000" else "111111"})  # fmt: skip
    assert (
        wrong.status_code == 400
        and not EmailDomain.objects.filter(domain="loire-atlantique-test.fr").exists()
    )
    client.post(url, {"action": "confirm", "code": _code("dsi@loire-atlantique-test.fr")})
    assert (
        EmailDomain.objects.get(domain="loire-atlantique-test.fr").organisation
        == referent.organisation
    )


def test_a_domain_code_wears_out_after_five_tries(client, referent):
    client.force_login(referent)
    url = reverse("members:domains")
    client.post(url, {"action": "send", "address": "dsi@essais-test.fr"})
    right = _code("dsi@essais-test.fr")
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        client.post(url, {"action": "confirm", "code": wrong})
    response = client.post(url, {"action": "confirm", "code": right})
    assert "Trop d" in response.content.decode()
    assert not EmailDomain.objects.filter(domain="essais-test.fr").exists()


@pytest.mark.parametrize(
    "address, message",
    [
        ("dsi@gmail.com", "ouverte à tous"),
        ("pas-une-adresse", "adresse"),
        ("x@pris-test.fr", "autre organisation"),
    ],
)
def test_a_domain_that_cannot_be_ours_is_refused_with_a_message(client, referent, address, message):
    EmailDomainFactory(organisation=OrganisationFactory(), domain="pris-test.fr")
    client.force_login(referent)
    response = client.post(reverse("members:domains"), {"action": "send", "address": address})
    assert response.status_code == 400 and message in response.content.decode()
    assert not OutgoingEmail.objects.filter(template="members/domain_code").exists()


def test_a_referent_removes_only_their_own_domains(client, referent):
    own = EmailDomainFactory(organisation=referent.organisation, domain="propre-test.fr")
    other = EmailDomainFactory(organisation=OrganisationFactory(), domain="autre-test.fr")
    client.force_login(referent)
    url = reverse("members:domains")
    assert client.post(url, {"action": "remove", "domain": other.pk}).status_code == 404
    client.post(url, {"action": "remove", "domain": own.pk})
    assert list(EmailDomain.objects.values_list("domain", flat=True)) == ["autre-test.fr"]


def test_the_invitation_email_has_the_link_and_its_expiry(client, referent):
    invite(client, referent)
    mail = OutgoingEmail.objects.get(template="members/invitation")
    assert re.search(r"/organisation/invitation/[\w-]{40,}/$", mail.context["url"])
    assert mail.context["organisation"] == referent.organisation.name
