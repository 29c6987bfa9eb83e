"""Notifications: early news for the privileged, the release for those who asked, each once;
the reader's alert preference."""

import datetime

import pytest
import time_machine
from django.core import mail

from publications.services import publications_notify, reader_preference_set, release_alert_request
from tests.publications.factories import NOW, RELEASE

pytestmark = pytest.mark.django_db


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


def test_a_partner_turns_priority_alerts_on_and_off_from_the_list(client, partner):
    client.force_login(partner)
    checkbox = 'id="priority_alerts" checked'
    assert checkbox not in client.get("/publications/").content.decode()
    response = client.post("/publications/alertes/", {"priority_alerts": "on"}, follow=True)
    assert checkbox in response.content.decode()
    assert checkbox in client.get("/publications/").content.decode()
    response = client.post("/publications/alertes/", {}, follow=True)
    assert checkbox not in response.content.decode()
