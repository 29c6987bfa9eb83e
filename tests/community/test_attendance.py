"""Attendance: staff mark who came, at the door or afterwards; the training figures follow."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.attendance import event_count_walk_ins, registration_mark_attended
from community.models import Registration
from programmes.selectors import training_progress
from tests.community.factories import EventFactory, RegistrationFactory
from tests.lab.factories import UserFactory
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reacteur():
    return ProgrammeFactory(
        slug="re-acteur-public", name="Re-acteur Public", training_target=2000,
        training_target_years=4,
    )  # fmt: skip


@pytest.fixture
def training(reacteur):
    start = timezone.now() - datetime.timedelta(days=2)
    return EventFactory(
        kind="training", programme=reacteur, starts=start, ends=start + datetime.timedelta(hours=7)
    )


def test_marking_attendance_moves_the_training_progress(training, reacteur, staff):
    people = [RegistrationFactory(event=training) for _ in range(3)]
    assert training_progress(reacteur)["trained"] == 0
    for registration in people[:2]:
        registration_mark_attended(registration=registration, attended=True, by=staff)
    event_count_walk_ins(event=training, count=5, by=staff)
    progress = training_progress(reacteur)
    assert (progress["trained"], progress["target"], progress["sessions"]) == (7, 2000, 1)
    # Marked twice, counted once; unmarked, uncounted.
    registration_mark_attended(registration=people[0], attended=True, by=staff)
    registration_mark_attended(registration=people[1], attended=False, by=staff)
    assert training_progress(reacteur)["trained"] == 6


def test_only_trainings_count_toward_the_target(reacteur, staff):
    start = timezone.now() - datetime.timedelta(days=1)
    apero = EventFactory(kind="apero", programme=reacteur, starts=start,
                         ends=start + datetime.timedelta(hours=2))  # fmt: skip
    registration_mark_attended(
        registration=RegistrationFactory(event=apero), attended=True, by=staff
    )
    assert training_progress(reacteur)["trained"] == 0
    assert training_progress(ProgrammeFactory(training_target=None)) is None


def test_attendance_waits_for_the_day_and_refuses_cancelled_and_non_staff(training, staff, agent):
    future = EventFactory(starts=timezone.now() + datetime.timedelta(days=3),
                          ends=timezone.now() + datetime.timedelta(days=3, hours=2))  # fmt: skip
    with pytest.raises(ValidationError, match="à partir du jour"):
        registration_mark_attended(
            registration=RegistrationFactory(event=future), attended=True, by=staff
        )
    cancelled = RegistrationFactory(event=training, status=Registration.Status.CANCELLED)
    with pytest.raises(ValidationError, match="annulée"):
        registration_mark_attended(registration=cancelled, attended=True, by=staff)
    with pytest.raises(PermissionDenied):
        registration_mark_attended(
            registration=RegistrationFactory(event=training), attended=True, by=agent
        )
    with pytest.raises(ValidationError, match="négatif"):
        event_count_walk_ins(event=training, count=-1, by=staff)


def test_the_door_page_marks_people_present_without_reloading(client, training, staff):
    person = UserFactory(first_name="Inès", last_name="Moreau")
    registration = RegistrationFactory(event=training, user=person)
    client.force_login(staff)
    page = client.get(f"/communaute/evenements/{training.slug}/presences/?q=moreau")
    assert page.status_code == 200 and "Inès Moreau" in page.content.decode()

    row = client.post(
        f"/communaute/evenements/{training.slug}/presences/",
        {"registration": registration.pk, "attended": "1"},
        headers={"HX-Request": "true"},
    )
    html = row.content.decode()
    assert row.status_code == 200 and "is-present" in html and 'hx-swap-oob="true"' in html
    registration.refresh_from_db()
    assert registration.attended_at is not None

    # Without script: a plain form post, then back to the list.
    response = client.post(f"/communaute/evenements/{training.slug}/presences/", {"walk_ins": "12"})
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.walk_in_attendees == 12
    bad = client.post(f"/communaute/evenements/{training.slug}/presences/", {"walk_ins": "douze"})
    assert bad.status_code == 400 and "nombre entier" in bad.content.decode()


def test_the_door_page_query_budget(client, training, staff, django_assert_max_num_queries):
    for _ in range(30):
        RegistrationFactory(event=training)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(f"/communaute/evenements/{training.slug}/presences/").status_code == 200
