"""The who's who (/communaute/): its filters, live for htmx; its query budget; its shared results
({% cache %} under the audience and the directory's version)."""

import datetime

import pytest
from django.utils import timezone

from community import services
from community.models import Profile
from lab.models import User
from tests.community.factories import DisciplineFactory, EventFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def test_htmx_gets_the_directory_results_alone_and_a_page_load_the_whole_page(client):
    design = DisciplineFactory(name="Design", slug="design")
    ProfileFactory(display_name="Ada Designer").disciplines.add(design)
    ProfileFactory(display_name="Bruno Sociologue")
    partial = client.get("/communaute/?discipline=design", headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="resultats"') and "<html" not in html
    assert "Ada Designer" in html and "Bruno Sociologue" not in html
    page = client.get("/communaute/?discipline=design")
    assert "<html" in page.content.decode() and "Ada Designer" in page.content.decode()
    assert "HX-Request" in partial["Vary"] and "HX-Request" in page["Vary"]


def test_pages_stay_within_their_query_budget(
    client, partner, django_assert_max_num_queries, settings
):
    settings.COMMUNITY_POLICY_VERSION = "2026-11"
    design = DisciplineFactory(name="Design", slug="design")
    # Written in bulk (and without hashing 300 passwords): only the count matters here.
    users = User.objects.bulk_create([User(email=f"p{i}@exemple.fr") for i in range(300)])
    profiles = Profile.objects.bulk_create(
        ProfileFactory.build(user=u, display_name=f"Personne {i}", slug=f"personne-{i}",
                             visibility=["public", "members", "hidden"][i % 3])
        for i, u in enumerate(users)
    )  # fmt: skip
    Profile.disciplines.through.objects.bulk_create(
        Profile.disciplines.through(profile_id=p.pk, discipline_id=design.pk) for p in profiles
    )
    start = timezone.now() + datetime.timedelta(days=3)
    for i in range(30):
        EventFactory(slug=f"e{i}", title=f"E{i}", starts=start + datetime.timedelta(days=i),
                     ends=start + datetime.timedelta(days=i, hours=2), capacity=10)  # fmt: skip
    for user in [None, partner]:
        if user:
            client.force_login(user)
        # Session, user and reader when signed in; the version, the count, the facets, the
        # cards (and the chosen discipline) when the results are made.
        with django_assert_max_num_queries(8):
            assert client.get("/communaute/").status_code == 200
        with django_assert_max_num_queries(8):
            assert client.get("/communaute/?discipline=design&q=personne&page=2").status_code == 200
        with django_assert_max_num_queries(12):
            assert client.get("/communaute/evenements/").status_code == 200


# The directory's shared results ({% cache %} under the audience and the directory's version) --


def test_the_directory_results_are_made_once_per_audience_and_version(
    client, directory, partner, django_assert_num_queries
):
    client.force_login(partner)
    first = client.get("/communaute/", {"discipline": "design"}).content.decode()
    # Session, user, who they are, the version: the results themselves are the kept copy.
    with django_assert_num_queries(4):
        again = client.get("/communaute/", {"discipline": "design"}).content.decode()
    assert again.split("<main")[1] == first.split("<main")[1]


def test_the_directory_results_of_members_are_never_shown_to_others(client, directory, partner):
    client.force_login(partner)
    assert "fiche-members" in client.get("/communaute/").content.decode()
    client.logout()
    assert "fiche-members" not in client.get("/communaute/").content.decode()


def test_a_profile_saved_shows_at_once_in_the_directory(client, directory, partner):
    client.force_login(partner)
    assert "fiche-public" in client.get("/communaute/").content.decode()
    owner = directory["public"].user
    services.profile_save(
        user=owner, consent=True, visibility="public", display_name="Camille Nouveau-Nom",
        disciplines=[], methods=[], projects=[],
    )  # fmt: skip
    page = client.get("/communaute/").content.decode()
    assert "Camille Nouveau-Nom" in page
    # Its links are saved with it: the discipline it left counts one profile less.
    assert "Design (1)" in page


def test_a_profile_hidden_by_staff_leaves_the_directory_at_once(client, directory, staff):
    client.force_login(staff)
    assert "fiche-members" in client.get("/communaute/").content.decode()
    services.profile_moderate(profile=directory["members"], by=staff, reason="Hors sujet")
    assert "fiche-members" not in client.get("/communaute/").content.decode()


def test_the_french_and_english_directory_results_are_two_copies(client, directory):
    assert "Effacer les filtres" in client.get("/communaute/").content.decode()
    english = client.get("/en/communaute/").content.decode()
    assert "Effacer les filtres" not in english
