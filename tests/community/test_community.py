import datetime
import json

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community import services
from community.models import Discipline, Event, Profile, Registration
from lab.models import User
from superpublic.models import Booking
from tests.lab.factories import UserFactory
from tests.programmes.factories import ProjectFactory
from tests.superpublic.factories import SpaceFactory, slot
from tests.superpublic.test_services import next_weekday

pytestmark = pytest.mark.django_db


def make_profile(user, visibility, slug=None, consented=True, **extra):
    return Profile.objects.create(
        user=user, display_name=slug or user.email, slug=slug or user.email.split("@")[0], visibility=visibility,
        consent_at=timezone.now() if consented else None, consent_version="2026-11" if consented else "", **extra,
    )  # fmt: skip


@pytest.fixture
def directory(settings):
    settings.COMMUNITY_POLICY_VERSION = "2026-11"
    design = Discipline.objects.create(name="Design", name_en="Design", slug="design")
    project = ProjectFactory(slug="transfo-x", title="Transfo X")
    profiles = {}
    for visibility in ["public", "members", "hidden"]:
        profile = make_profile(
            UserFactory(email=f"{visibility}@exemple.fr"),
            visibility,
            slug=f"fiche-{visibility}",
            bio=f"Designer {visibility} rurale",
        )
        profile.disciplines.add(design)
        profile.projects.add(project)
        profiles[visibility] = profile
    return profiles


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


def test_data_export_holds_the_persons_data_only(
    client, directory, partner, django_capture_on_commit_callbacks
):
    space = SpaceFactory(slug="atelier")
    start, end = slot(next_weekday(1), "10:00", "12:00")
    from superpublic.services import booking_create

    booking_create(
        space=space, user=partner, start=start, end=end, title="Mon atelier", attendees=3
    )
    booking_create(
        space=space,
        user=directory["public"].user,
        start=end,
        end=end + datetime.timedelta(hours=1),
        title="Atelier d'un autre",
        attendees=3,
    )
    make_profile(partner, "members", slug="partenaire")
    client.force_login(partner)
    response = client.get("/communaute/mon-profil/mes-donnees.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["account"]["email"] == partner.email
    assert data["profile"]["slug"] == "partenaire"
    assert [b["title"] for b in data["bookings"]] == ["Mon atelier"]
    assert "autre" not in response.content.decode()


def test_deleting_a_profile_frees_its_slug(client, agent):
    make_profile(agent, "public", slug="alex")
    client.force_login(agent)
    client.post("/communaute/mon-profil/supprimer/")
    assert not Profile.objects.filter(user=agent).exists()
    make_profile(UserFactory(), "public", slug="alex")


def test_deleting_an_account_keeps_bookings_anonymised(client, agent, partner):
    space = SpaceFactory(slug="atelier")
    start, end = slot(next_weekday(1), "10:00", "12:00")
    Booking.objects.create(space=space, booked_by=agent, title="Réunion RH", purpose="secret", attendees=3, status="confirmed",
                           period=(start - datetime.timedelta(days=30), end - datetime.timedelta(days=30)))  # fmt: skip
    event = Event.objects.create(
        slug="e",
        title="E",
        kind="apero",
        starts=start,
        ends=end,
        capacity=1,
        registration_opens=timezone.now(),
    )
    services.registration_create(event=event, user=agent)
    waiting = services.registration_create(event=event, user=partner)
    client.force_login(agent)
    assert client.post("/communaute/mon-compte/supprimer/", {"confirm": "non"}).status_code == 302
    assert User.objects.filter(pk=agent.pk).exists()
    client.post("/communaute/mon-compte/supprimer/", {"confirm": "SUPPRIMER"})
    assert not User.objects.filter(pk=agent.pk).exists()
    kept = Booking.objects.get()
    assert (kept.booked_by, kept.title, kept.purpose) == (None, "Réservation anonymisée", "")
    waiting.refresh_from_db()
    assert waiting.status == "registered"  # the freed seat went to the next person


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


# Events ---------------------------------------------------------------------------------------


@pytest.fixture
def apero():
    start = timezone.now() + datetime.timedelta(days=10)
    return Event.objects.create(slug="apero-27", title="Apéro 27", kind="apero", starts=start, ends=start + datetime.timedelta(hours=2),
                                capacity=2, registration_opens=timezone.now() - datetime.timedelta(days=1))  # fmt: skip


def test_registration_up_to_capacity_then_waitlist_promoted_in_order(
    apero, django_capture_on_commit_callbacks
):
    people = [UserFactory(email=f"r{i}@exemple.fr") for i in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [services.registration_create(event=apero, user=p).status for p in people]
    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]
    first = Registration.objects.get(user=people[0])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first, by=people[0])
    assert promoted.user == people[2]
    assert Registration.objects.filter(event=apero, status="registered").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [people[0].email, people[2].email]
    # Registering twice changes nothing.
    assert services.registration_create(event=apero, user=people[1]).status == "registered"


def test_members_only_events_are_hidden_from_others(client, agent, partner):
    start = timezone.now() + datetime.timedelta(days=5)
    Event.objects.create(slug="intertransfo", title="InterTransfo", kind="intertransfo", audience="members", starts=start,
                         ends=start + datetime.timedelta(hours=6), capacity=10, registration_opens=timezone.now())  # fmt: skip
    client.force_login(agent)
    assert client.get("/communaute/evenements/intertransfo/").status_code == 404
    assert (
        "/communaute/evenements/intertransfo/"
        not in client.get("/communaute/evenements/").content.decode()
    )
    assert client.post("/communaute/evenements/intertransfo/inscription/").status_code == 404
    client.force_login(partner)
    assert client.get("/communaute/evenements/intertransfo/").status_code == 200
    client.post("/communaute/evenements/intertransfo/inscription/")
    assert Registration.objects.get(user=partner).status == "registered"


def test_members_register_first(agent, partner):
    now = timezone.now().replace(microsecond=0)
    members_open, everyone_open = now + datetime.timedelta(days=1), now + datetime.timedelta(days=3)
    event = Event.objects.create(slug="pointeuse", title="La Pointeuse", kind="workshop", starts=now + datetime.timedelta(days=10),
                                 ends=now + datetime.timedelta(days=11), capacity=10, members_registration_opens=members_open,
                                 registration_opens=everyone_open)  # fmt: skip
    with (
        time_machine.travel(members_open - datetime.timedelta(seconds=1), tick=False),
        pytest.raises(ValidationError, match="ouvrent le"),
    ):
        services.registration_create(event=event, user=partner)
    with time_machine.travel(members_open, tick=False):
        assert services.registration_create(event=event, user=partner).status == "registered"
        with pytest.raises(ValidationError, match="ouvrent le"):
            services.registration_create(event=event, user=agent)
    with time_machine.travel(everyone_open, tick=False):
        assert services.registration_create(event=event, user=agent).status == "registered"


def test_reminders_go_once(apero, agent, django_capture_on_commit_callbacks):
    services.registration_create(event=apero, user=agent)
    mail.outbox.clear()
    with (
        time_machine.travel(apero.starts - datetime.timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.registrations_send_reminders() == 1
        assert services.registrations_send_reminders() == 0
    assert len(mail.outbox) == 1 and "Demain" in mail.outbox[0].subject


def test_an_event_has_its_ical_file(client, apero):
    response = client.get("/communaute/evenements/apero-27.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"SUMMARY:Ap" in response.content


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


def test_staff_export_attendees(client, apero, agent, staff):
    services.registration_create(event=apero, user=agent)
    client.force_login(staff)
    response = client.post(
        "/admin/community/event/", {"action": "export_attendees", "_selected_action": [apero.pk]}
    )
    assert agent.email in response.content.decode()


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


def test_pages_stay_within_their_query_budget(
    client, partner, django_assert_max_num_queries, settings
):
    settings.COMMUNITY_POLICY_VERSION = "2026-11"
    design = Discipline.objects.create(name="Design", name_en="Design", slug="design")
    users = User.objects.bulk_create([User(email=f"p{i}@exemple.fr") for i in range(300)])
    profiles = Profile.objects.bulk_create(
        Profile(user=u, display_name=f"Personne {i}", slug=f"personne-{i}", visibility=["public", "members", "hidden"][i % 3],
                consent_at=timezone.now(), consent_version="2026-11")
        for i, u in enumerate(users)
    )  # fmt: skip
    Profile.disciplines.through.objects.bulk_create(
        Profile.disciplines.through(profile_id=p.pk, discipline_id=design.pk) for p in profiles
    )
    start = timezone.now() + datetime.timedelta(days=3)
    for i in range(30):
        Event.objects.create(slug=f"e{i}", title=f"E{i}", kind="apero", starts=start + datetime.timedelta(days=i),
                             ends=start + datetime.timedelta(days=i, hours=2), capacity=10, registration_opens=timezone.now())  # fmt: skip
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
