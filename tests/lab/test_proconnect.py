"""Sign in with ProConnect, against a real OpenID provider (tests/oidc_provider, oidc-provider).

The Django test client plays the site's side; a `requests` session plays the person's browser
at the provider, following its redirects by hand until it sends them back to the site.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.db import IntegrityError, transaction

from lab.models import Organisation, User
from tests.conftest import PASSWORD
from tests.lab.factories import EmailDomainFactory, OrganisationFactory, UserFactory
from tests.oidc_provider.fixture import IDENTITIES

pytestmark = pytest.mark.django_db

CAMILLE = "camille.agent@val-de-marne.test"  # SIRET 22940028800010
DOMINIQUE = "dominique.service@val-de-marne.test"  # SIRET 22940028800999, same SIREN
LEA = "lea.domaine@paysdelaloire.test"  # unknown SIRET, known domain
SACHA = "sacha.inconnu@commune.test"  # unknown SIRET, unknown domain
SITE = "http://testserver"


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


class Browser:
    """The person's browser: the site through Django's test client, the provider over HTTP."""

    def __init__(self, client) -> None:
        self.client = client
        self.provider = requests.Session()

    def start(self, *, process: str = "login", next_url: str = "") -> str:
        """Click the button: the provider's authorisation URL the site redirects to."""
        data = {"process": process, **({"next": next_url} if next_url else {})}
        response = self.client.post("/accounts/proconnect/login/", data)
        assert response.status_code == 302, response.content[:500]
        return response["Location"]

    def sign_in_at_provider(self, authorize_url: str, login: str) -> str:
        """Choose the identity on the provider's page: the URL it sends the browser back to."""
        page = self.provider.get(authorize_url, timeout=10)
        assert page.status_code == 200 and 'name="login"' in page.text, page.text[:500]
        action = re.search(r'action="(/interaction/[^"]+/login)"', page.text).group(1)
        response = self.provider.post(
            urljoin_base(page.url, action), data={"login": login}, allow_redirects=False
        )
        return self.follow_provider(response)

    def follow_provider(self, response) -> str:
        while response.is_redirect:
            location = urljoin_base(response.url, response.headers["Location"])
            if location.startswith(SITE):
                return location
            response = self.provider.get(location, allow_redirects=False, timeout=10)
        raise AssertionError(f"the provider did not send the browser back: {response.text[:500]}")

    def back_to_site(self, url: str, **kwargs):
        parts = urlsplit(url)
        return self.client.get(f"{parts.path}?{parts.query}", **kwargs)

    def sign_in(self, login: str, **kwargs):
        return self.back_to_site(self.sign_in_at_provider(self.start(**kwargs), login))


def urljoin_base(base: str, location: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, location)


def _with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return urlunsplit(parts._replace(query=urlencode({**query, **changes})))


@pytest.fixture
def browser(client, proconnect_settings):
    return Browser(client)


@pytest.fixture
def val_de_marne(db):
    return OrganisationFactory(
        name="Département du Val-de-Marne",
        slug="val-de-marne",
        kind=Organisation.Kind.DEPARTMENTAL_COUNCIL,
        siren="229400288",
        siret="22940028800010",
    )


# The button


def test_without_the_variables_there_is_no_button_and_no_provider_url(client):
    body = client.get("/accounts/login/").content.decode()
    assert "ProConnect" not in body
    assert client.post("/accounts/proconnect/login/").status_code == 404


def test_the_button_is_on_the_sign_in_and_sign_up_pages(client, proconnect_settings):
    for url in ["/accounts/login/", "/accounts/signup/"]:
        body = client.get(url).content.decode()
        assert 'action="/accounts/proconnect/login/"' in body
        assert "S'identifier avec" in body and "ProConnect</span>" in body
        assert 'href="https://www.proconnect.gouv.fr/" target="_blank" rel="noopener"' in body
        assert 'name="csrfmiddlewaretoken"' in body
        assert "style=" not in body  # the CSP allows no inline style


def test_the_authorisation_request_is_proconnect_s(browser, oidc_provider):
    query = parse_qs(urlsplit(browser.start()).query)
    assert urlsplit(browser.start()).netloc == urlsplit(oidc_provider.issuer).netloc
    assert query["response_type"] == ["code"]
    assert set(query["scope"][0].split()) == {
        "openid",
        "email",
        "given_name",
        "usual_name",
        "uid",
        "siret",
    }
    assert query["acr_values"] == ["eidas1"]
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == [f"{SITE}/accounts/proconnect/login/callback/"]


def test_the_redirect_uris_are_the_same_in_english(client, proconnect_settings):
    # ProConnect accepts only the URIs declared to it: one of each, whatever the language.
    client.get("/en/accounts/login/")
    response = client.post("/en/accounts/proconnect/login/", {"process": "login"})
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["redirect_uri"] == [f"{SITE}/accounts/proconnect/login/callback/"]


def test_an_english_sign_in_comes_back_to_the_english_page(browser, val_de_marne):
    response = browser.sign_in(CAMILLE, next_url="/en/programmes/")
    assert response["Location"] == "/en/programmes/"
    assert browser.client.get("/en/").context["user"].email == CAMILLE


# Accounts


def test_a_first_sign_in_creates_the_account_attached_by_siret(browser, val_de_marne):
    response = browser.sign_in(CAMILLE)
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email=CAMILLE)
    assert (user.first_name, user.last_name) == ("Camille", "Agent")  # usual_name → last name
    assert user.organisation == val_de_marne
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified  # the provider vouches for it
    account = SocialAccount.objects.get(user=user, provider="proconnect")
    assert account.uid == IDENTITIES[CAMILLE]["sub"]
    assert account.extra_data["userinfo"]["siret"] == "22940028800010"
    home = browser.client.get("/")
    assert home.context["user"] == user
    assert "Votre compte est rattaché à Département du Val-de-Marne." in _messages(home)


def test_the_siren_attaches_when_no_organisation_has_the_siret(browser, val_de_marne):
    browser.sign_in(DOMINIQUE)
    assert User.objects.get(email=DOMINIQUE).organisation == val_de_marne


def test_the_siren_does_not_choose_between_two_organisations_of_one_entity(browser, val_de_marne):
    OrganisationFactory(slug="val-de-marne-culture", siren="229400288", siret="22940028800044")
    browser.sign_in(DOMINIQUE)
    assert User.objects.get(email=DOMINIQUE).organisation is None


def test_the_email_domain_attaches_when_the_siret_is_unknown(browser):
    domain = EmailDomainFactory(domain="paysdelaloire.test")
    browser.sign_in(LEA)
    assert User.objects.get(email=LEA).organisation == domain.organisation


def test_the_siret_wins_over_the_email_domain(browser, val_de_marne):
    EmailDomainFactory(domain="val-de-marne.test")
    browser.sign_in(CAMILLE)
    assert User.objects.get(email=CAMILLE).organisation == val_de_marne


def test_an_unknown_siret_is_shown_and_staff_can_be_asked_to_attach_it(
    browser, settings, django_capture_on_commit_callbacks
):
    settings.STAFF_NOTIFICATION_EMAILS = ["equipe@exemple.fr"]
    response = browser.sign_in(SACHA)
    home = browser.client.get(response["Location"])
    [message] = [text for text in _messages(home) if "SIRET" in text]
    assert "SIRET 21750001600019" in message and "demander à l'équipe" in message
    user = User.objects.get(email=SACHA)
    assert user.organisation is None

    page = browser.client.get("/accounts/3rdparty/").content.decode()
    assert "21750001600019" in page and "Demander mon rattachement" in page
    with django_capture_on_commit_callbacks(execute=True):
        browser.client.post("/accounts/proconnect/rattachement/")
    [email] = mail.outbox
    assert email.to == ["equipe@exemple.fr"]
    assert "21750001600019" in email.subject and SACHA in email.body
    # Once a day: a second click sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.client.post("/accounts/proconnect/rattachement/", follow=True)
    assert len(mail.outbox) == 1
    assert "déjà été transmise" in " ".join(_messages(response))


def test_someone_already_attached_is_never_moved(browser, val_de_marne):
    chosen_by_staff = OrganisationFactory(slug="choisie-par-l-equipe")
    user = UserFactory(email=CAMILLE, organisation=chosen_by_staff)
    browser.sign_in(CAMILLE)
    user.refresh_from_db()
    assert user.organisation == chosen_by_staff


def test_an_existing_account_with_the_verified_address_is_signed_into_and_linked(
    browser, val_de_marne
):
    user = UserFactory(email=CAMILLE, first_name="Camille", last_name="Ancienne")
    response = browser.sign_in(CAMILLE)
    assert response.status_code == 302
    assert browser.client.get("/").context["user"] == user
    assert SocialAccount.objects.get(provider="proconnect").user == user
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # a verified address: the account keeps its password
    assert user.organisation == val_de_marne
    assert User.objects.count() == 1


def test_an_account_whose_copy_of_the_address_is_unverified_loses_its_password(browser):
    # Someone may have registered the address to wait for its owner: the owner gets it back.
    user = UserFactory(email=CAMILLE, verified=False)
    browser.sign_in(CAMILLE)
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    assert browser.client.get("/").context["user"] == user


def test_a_returning_person_signs_in_to_the_same_account(client, browser):
    browser.sign_in(CAMILLE)
    client.logout()
    Browser(client).sign_in(CAMILLE)
    assert User.objects.count() == 1
    assert client.get("/").context["user"].email == CAMILLE


def test_someone_signed_in_by_password_links_proconnect_from_the_account_page(
    client, browser, val_de_marne
):
    user = UserFactory(email="camille.perso@exemple.fr")
    client.force_login(user)
    page = client.get("/accounts/3rdparty/").content.decode()
    assert 'name="process" value="connect"' in page
    response = browser.sign_in(CAMILLE, process="connect")
    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/"
    account = SocialAccount.objects.get(provider="proconnect")
    assert account.user == user
    user.refresh_from_db()
    assert user.organisation == val_de_marne  # linking attaches by SIRET too
    assert user.email == "camille.perso@exemple.fr"
    page = client.get("/accounts/3rdparty/").content.decode()
    assert CAMILLE in page and "Délier ProConnect" in page

    # Signing in with ProConnect later opens this account.
    client.logout()
    Browser(client).sign_in(CAMILLE)
    assert client.get("/").context["user"] == user

    # It can be unlinked: the account has a password.
    client.post("/accounts/3rdparty/", {"account": account.pk})
    assert not SocialAccount.objects.exists()


def test_staff_still_need_their_second_factor(browser, staff):
    staff.email = "equipe@la27eregion.test"
    staff.save()
    EmailAddress.objects.filter(user=staff).update(email=staff.email)
    response = browser.sign_in(staff.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not browser.client.get("/").context["user"].is_authenticated
    assert Authenticator.objects.filter(user=staff).exists()


# Refusals: a clear message, and no account


def _refused(browser, response, caplog=None, reason: str = "") -> str:
    """The person is back on the login page, not signed in, with one message; nothing stored."""
    if caplog is not None:  # refused for the reason the test means, not another one
        logged = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("lab."))
        assert reason in logged, logged
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = browser.client.get("/accounts/login/")
    assert not page.context["user"].is_authenticated
    assert not User.objects.exists() and not SocialAccount.objects.exists()
    [message] = _messages(page)
    return message


def test_a_tampered_userinfo_signature_is_refused(browser, caplog):
    response = browser.sign_in("signature.alteree@exemple.test")
    message = _refused(browser, response, caplog, "Signature verification failed")
    assert "n'a pas pu être vérifiée" in message


def test_a_userinfo_from_another_issuer_is_refused(browser, caplog):
    response = browser.sign_in("emetteur.inattendu@exemple.test")
    message = _refused(browser, response, caplog, "Invalid issuer")
    assert "n'a pas pu être vérifiée" in message


def test_an_address_the_provider_does_not_vouch_for_is_refused(browser, caplog):
    response = browser.sign_in("adresse.non.verifiee@exemple.test")
    message = _refused(browser, response, caplog, "did not vouch for the address")
    assert "ProConnect ne garantit pas l'adresse adresse.non.verifiee@exemple.test" in message


def test_an_id_token_for_another_nonce_is_refused(browser, caplog):
    # The provider answers another request (an injected code): its ID token names that nonce.
    authorize = _with_query(browser.start(), nonce="n" * 64)
    response = browser.back_to_site(browser.sign_in_at_provider(authorize, CAMILLE))
    message = _refused(browser, response, caplog, "nonce is not this request's")
    assert "n'a pas pu être vérifiée" in message


def test_a_replayed_state_is_refused(browser, client):
    callback = browser.sign_in_at_provider(browser.start(), CAMILLE)
    assert browser.back_to_site(callback).status_code == 302
    user = User.objects.get()
    client.logout()
    # The same answer again (from history, a log, a proxy): the state was used.
    response = browser.back_to_site(callback)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/")
    assert not page.context["user"].is_authenticated
    assert "n'a pas pu être vérifiée" in " ".join(_messages(page))
    assert User.objects.get() == user


def test_an_answer_naming_another_issuer_is_refused(browser, caplog):
    # RFC 9207: the authorisation response names its issuer; another provider's is a mix-up.
    callback = _with_query(
        browser.sign_in_at_provider(browser.start(), CAMILLE), iss="https://usurpateur.test"
    )
    message = _refused(
        browser, browser.back_to_site(callback), caplog, "authorisation response from"
    )
    assert "n'a pas pu être vérifiée" in message


def test_a_state_from_another_browser_is_refused(browser, client):
    callback = browser.sign_in_at_provider(browser.start(), CAMILLE)
    client.cookies.clear()  # the answer arrives in a browser that never asked
    message = _refused(browser, browser.back_to_site(callback))
    assert "n'a pas pu être vérifiée" in message


def test_a_cancelled_sign_in_says_so(browser):
    page = browser.provider.get(browser.start(), timeout=10)
    abort = re.search(r'action="(/interaction/[^"]+/abort)"', page.text).group(1)
    response = browser.provider.post(urljoin_base(page.url, abort), allow_redirects=False)
    response = browser.back_to_site(browser.follow_provider(response))
    assert response["Location"] == "/accounts/login/"
    assert "annulée" in " ".join(_messages(browser.client.get("/accounts/login/")))
    assert not User.objects.exists()


# Faults: the provider is down


def test_when_the_provider_is_down_the_login_page_works_and_the_button_says_so(
    client, settings, oidc_provider
):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.providers_setting(
        discovery_url="http://127.0.0.1:9/.well-known/openid-configuration"
    )
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "ProConnect" in page.content.decode()
    response = client.post("/accounts/proconnect/login/", {"process": "login"}, follow=True)
    assert response.status_code == 200
    assert "ProConnect ne répond pas pour le moment" in " ".join(_messages(response))
    # The password still works.
    user = UserFactory(email="agent@exemple.fr")
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert client.get("/").context["user"] == user


# Logout


def test_logout_ends_the_provider_session_too(browser, oidc_provider):
    browser.sign_in(CAMILLE)
    response = browser.client.post("/accounts/logout/")
    assert not browser.client.get("/").context["user"].is_authenticated  # closed first
    end_session = response["Location"]
    assert end_session.startswith(f"{oidc_provider.issuer}/session/end?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["post_logout_redirect_uri"] == [f"{SITE}/accounts/proconnect/deconnexion/"]
    assert query["id_token_hint"] and query["state"]

    # The provider's page posts its form; it sends the browser back with the state.
    page = browser.provider.get(end_session, timeout=10)
    form = re.search(
        r'<form id="op.logoutForm" method="post" action="([^"]+)">(.*?)</form>', page.text, re.S
    )
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    response = browser.provider.post(
        urljoin_base(page.url, form.group(1)),
        data={**fields, "logout": "yes"},
        allow_redirects=False,
    )
    back = browser.follow_provider(response)
    assert back.startswith(f"{SITE}/accounts/proconnect/deconnexion/?")
    home = browser.back_to_site(back, follow=True)
    assert "Vous êtes aussi déconnecté de ProConnect." in _messages(home)

    # The provider forgot the person: the next sign-in asks who they are again.
    page = browser.provider.get(browser.start(), timeout=10)
    assert 'name="login"' in page.text


def test_a_provider_that_cannot_be_reached_at_logout_still_logs_out_here(
    browser, settings, oidc_provider
):
    browser.sign_in(CAMILLE)
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.providers_setting(
        discovery_url="http://127.0.0.1:9/.well-known/openid-configuration"
    )
    response = browser.client.post("/accounts/logout/", follow=True)
    assert not response.context["user"].is_authenticated
    assert "ProConnect n'a pas pu être joint" in " ".join(_messages(response))


def test_a_password_sign_in_logs_out_here_only(client, agent, proconnect_settings):
    client.post("/accounts/login/", {"login": agent.email, "password": PASSWORD})
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/"


def test_the_return_from_the_provider_logout_without_our_state_says_nothing(client):
    response = client.get("/accounts/proconnect/deconnexion/?state=forged", follow=True)
    assert response.status_code == 200 and not _messages(response)


# Organisations' identifiers


@pytest.mark.parametrize(
    "fields",
    [
        {"siret": "2294002880001"},  # 13 digits
        {"siret": "2294002880001A"},
        {"siren": "22940028"},
        {"siren": "229400288", "siret": "21750001600019"},  # not within the SIREN
    ],
)
def test_the_database_refuses_malformed_identifiers(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(**fields)


def test_a_siret_names_one_organisation_only(val_de_marne):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(slug="doublon", siret=val_de_marne.siret)
    # Several organisations may have no SIRET.
    OrganisationFactory(slug="sans-1")
    OrganisationFactory(slug="sans-2")


def test_cleaning_fills_the_siren_from_the_siret():
    organisation = Organisation(name="X", slug="x", kind="city", siret="21750001600019")
    organisation.full_clean()
    assert (organisation.siret, organisation.siren) == ("21750001600019", "217500016")


def test_the_api_gives_and_filters_by_the_identifiers(client, val_de_marne):
    OrganisationFactory(slug="autre")
    data = client.get("/api/v1/organisations/?siret=22940028800010").json()
    [item] = data if isinstance(data, list) else data["results"]
    assert (item["siren"], item["siret"]) == ("229400288", "22940028800010")


def test_staff_edit_the_identifiers_in_the_admin(client, staff, val_de_marne):
    client.force_login(staff)
    page = client.get(f"/admin/lab/organisation/{val_de_marne.pk}/change/").content.decode()
    assert 'name="siret"' in page and 'name="siren"' in page
    found = client.get("/admin/lab/organisation/?q=22940028800010").content.decode()
    assert "Département du Val-de-Marne" in found
