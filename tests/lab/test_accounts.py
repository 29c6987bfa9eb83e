"""Sign-up, verification, login, logout and password reset, as a person does them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from lab.models import User
from tests.conftest import PASSWORD
from tests.lab.factories import EmailDomainFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "une-autre-phrase-secrete"


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def _sign_up(client, capture, email="claire@exemple.fr", **overrides):
    data = {
        "first_name": "Claire",
        "last_name": "Dupont",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    with capture(execute=True):
        return client.post("/accounts/signup/", data)


def test_sign_up_verify_log_out_and_log_in(client, django_capture_on_commit_callbacks):
    response = _sign_up(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="claire@exemple.fr")
    assert (user.first_name, user.last_name) == ("Claire", "Dupont")
    assert not EmailAddress.objects.get(user=user).verified

    # The verification email is a subject/text/html triplet, in French.
    [message] = mail.outbox
    assert message.to == ["claire@exemple.fr"]
    assert message.subject == "[La 27e Région] Confirmez votre adresse électronique"
    assert "Bonjour Claire Dupont" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Confirmer mon adresse" in html

    confirm_url = _link(message)
    assert client.get(confirm_url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get("/").context["user"] == user

    assert client.post("/accounts/logout/").status_code == 302
    assert not client.get("/").context["user"].is_authenticated

    response = client.post("/accounts/login/", {"login": "claire@exemple.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == user


def test_an_unverified_address_cannot_log_in(client, django_capture_on_commit_callbacks):
    _sign_up(client, django_capture_on_commit_callbacks)
    client.logout()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/login/", {"login": "claire@exemple.fr", "password": PASSWORD}
        )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert not client.get("/").context["user"].is_authenticated


def test_verifying_an_address_on_a_listed_domain_attaches_the_user(
    client, django_capture_on_commit_callbacks
):
    domain = EmailDomainFactory(domain="paysdelaloire.fr")
    _sign_up(client, django_capture_on_commit_callbacks, email="lea@PaysDeLaLoire.fr")
    user = User.objects.get(email__iexact="lea@paysdelaloire.fr")
    assert user.organisation is None  # not before verification
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link(mail.outbox[0]))
    user.refresh_from_db()
    assert user.organisation == domain.organisation


def test_an_attached_user_is_not_moved_by_a_domain(client, django_capture_on_commit_callbacks):
    EmailDomainFactory(domain="paysdelaloire.fr")
    chosen_by_staff = OrganisationFactory(name="Ville de Nantes", slug="ville-de-nantes")
    user = UserFactory(email="lea@paysdelaloire.fr", organisation=chosen_by_staff, verified=False)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/email/", {"email": user.email, "action_send": ""})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link(mail.outbox[-1]))
    user.refresh_from_db()
    assert EmailAddress.objects.get(user=user).verified
    assert user.organisation == chosen_by_staff


def test_password_reset(client, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": agent.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert "Réinitialisez votre mot de passe" in message.subject

    response = client.get(_link(message), follow=True)
    assert response.status_code == 200
    set_password_url = response.redirect_chain[-1][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
        )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.check_password(NEW_PASSWORD)
    # A security notice follows the change.
    assert "Modification de votre compte" in mail.outbox[-1].subject


def test_password_reset_for_an_unknown_address_says_so_by_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "inconnu@exemple.fr"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert "Aucun compte" in message.subject


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "pas-une-adresse"}, "email"),
        ({"password2": "autre-chose-encore"}, "password2"),
        ({"password1": "court", "password2": "court"}, "password1"),
        ({"first_name": ""}, "first_name"),
        ({"first_name": "x" * 151}, "first_name"),
    ],
)
def test_bad_sign_up_input_gets_a_message_and_stores_nothing(
    client, django_capture_on_commit_callbacks, overrides, field
):
    response = _sign_up(client, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert not User.objects.exists()
    assert not mail.outbox


def test_signing_up_twice_with_one_address_tells_the_owner(
    client, agent, django_capture_on_commit_callbacks
):
    response = _sign_up(client, django_capture_on_commit_callbacks, email=agent.email)
    assert response.status_code in {200, 302}
    assert User.objects.filter(email=agent.email).count() == 1


def test_a_wrong_password_gets_a_message(client, agent):
    response = client.post("/accounts/login/", {"login": agent.email, "password": "faux"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "adresse" in response.content.decode() or "mot de passe" in response.content.decode()


def test_repeated_failed_logins_are_rate_limited(client, agent):
    for _ in range(5):
        client.post("/accounts/login/", {"login": agent.email, "password": "faux"})
    # Even the right password is refused once the limit is reached.
    response = client.post("/accounts/login/", {"login": agent.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Trop de tentatives" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_account_pages_use_the_site_layout_in_french(client):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]:
        body = client.get(url).content.decode()
        assert 'lang="fr"' in body
        assert 'href="#contenu"' in body
        assert "Mentions légales" in body
