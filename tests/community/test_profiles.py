"""Profiles: who sees which, consent and the policy version, deleting one, the contact relay,
staff hiding one, bad input."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from community import services
from community.models import Profile
from tests.community.factories import ProfileFactory

pytestmark = pytest.mark.django_db


SEES = {  # who sees which profile in the directory, its search, its counts and project pages
    "anonymous": {"public"},
    "agent": {"public"},
    "lapsed": {"public"},
    "partner": {"public", "members"},
    "staff": {"public", "members"},
}


@pytest.mark.parametrize("who", list(SEES))
def test_the_visibility_matrix(client, directory, users, who):
    if users[who]:
        client.force_login(users[who])
    expected = {f"fiche-{v}" for v in SEES[who]}
    listing = client.get("/communaute/")
    assert {p.slug for p in listing.context["page"].object_list} == expected
    assert {o.value: o.count for o in listing.context["facets"]["discipline"]} == {
        "design": len(expected)
    }
    searched = client.get("/communaute/", {"q": "rurale"})
    assert {p.slug for p in searched.context["page"].object_list} == expected
    for visibility, profile in directory.items():
        status = client.get(f"/communaute/{profile.slug}/").status_code
        assert status == (200 if visibility in SEES[who] else 404), (who, visibility)
    project_page = client.get("/projets/transfo-x/").content.decode()
    for visibility in ["public", "members", "hidden"]:
        assert (f"fiche-{visibility}" in project_page) is (visibility in SEES[who]), (
            who,
            visibility,
        )


def test_owners_always_see_their_own_profile(client, directory):
    client.force_login(directory["hidden"].user)
    assert client.get("/communaute/fiche-hidden/").status_code == 200


def test_a_new_profile_is_hidden_and_showing_it_needs_consent(client, agent, settings):
    settings.COMMUNITY_POLICY_VERSION = "2026-11"
    client.force_login(agent)
    data = {"display_name": "Alex Agent", "visibility": "hidden"}
    assert client.post("/communaute/mon-profil/", data).status_code == 302
    profile = Profile.objects.get(user=agent)
    assert profile.visibility == "hidden" and profile.needs_consent
    response = client.post("/communaute/mon-profil/", {**data, "visibility": "public"})
    assert response.status_code == 400 and "acceptez d&#x27;abord" in response.content.decode()
    client.post("/communaute/mon-profil/", {**data, "visibility": "public", "consent": "on"})
    profile.refresh_from_db()
    assert profile.visibility == "public" and profile.consent_version == "2026-11"
    client.logout()
    assert "Alex Agent" in client.get("/communaute/").content.decode()


def test_a_new_policy_version_hides_profiles_until_consent(client, directory, settings, partner):
    settings.COMMUNITY_POLICY_VERSION = "2027-01"
    assert client.get("/communaute/").context["page"].paginator.count == 0
    client.force_login(directory["public"].user)
    page = client.get("/communaute/mon-profil/").content.decode()
    assert (
        "Le texte sur l&#x27;annuaire a changé" in page
        or "Le texte sur l'annuaire a changé" in page
    )


def test_deleting_a_profile_frees_its_slug(client, agent):
    ProfileFactory(user=agent, slug="alex")
    client.force_login(agent)
    client.post("/communaute/mon-profil/supprimer/")
    assert not Profile.objects.filter(user=agent).exists()
    ProfileFactory(slug="alex")


def test_the_contact_relay_hides_the_address_and_is_limited(
    client, directory, agent, django_capture_on_commit_callbacks
):
    profile = directory["public"]
    client.force_login(agent)
    page = client.get(f"/communaute/{profile.slug}/").content.decode()
    assert profile.user.email not in page
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/communaute/{profile.slug}/", {"message": f"Bonjour, message numéro {n}."}
            )
        assert response.status_code == 302
    response = client.post(
        f"/communaute/{profile.slug}/", {"message": "Un sixième message aujourd'hui."}
    )
    assert response.status_code == 400 and "réessayez demain" in response.content.decode()
    assert len(mail.outbox) == 5
    assert mail.outbox[0].to == [profile.user.email] and mail.outbox[0].reply_to == [agent.email]
    assert profile.user.email not in client.get(f"/communaute/{profile.slug}/").content.decode()
    assert client.post(f"/communaute/{profile.slug}/", {"message": "court"}).status_code == 400


def test_anonymous_visitors_cannot_write(client, directory):
    response = client.post(
        "/communaute/fiche-public/", {"message": "Bonjour, un message assez long."}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not mail.outbox


def test_staff_hide_a_profile_with_a_reason(
    client, directory, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    profile = directory["public"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/admin/community/profile/",
            {
                "action": "hide",
                "_selected_action": [profile.pk],
                "apply": "1",
                "reason": "Propos injurieux",
            },
        )
    profile.refresh_from_db()
    assert profile.hidden_by_staff
    assert "Propos injurieux" in mail.outbox[-1].body and mail.outbox[-1].to == [profile.user.email]
    with pytest.raises(PermissionDenied):
        services.profile_moderate(profile=profile, by=profile.user, reason="x")


@pytest.mark.parametrize(
    "data",
    [
        {"display_name": ""},
        {"display_name": "x" * 200},
        {"display_name": "Ok", "website": "pas une adresse"},
        {"display_name": "Ok", "visibility": "tout-le-monde"},
    ],
)
def test_bad_profile_input_gets_a_message(client, agent, data):
    client.force_login(agent)
    response = client.post("/communaute/mon-profil/", {"visibility": "hidden", **data})
    assert response.status_code == 400
    assert not Profile.objects.exists()
