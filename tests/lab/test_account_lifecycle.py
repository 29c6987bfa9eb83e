"""A person's account as a whole (lab/accounts.py): each app's part of their data, and leaving."""

from __future__ import annotations

import pytest

from lab import accounts
from lab.models import User

pytestmark = pytest.mark.django_db


def test_every_app_that_holds_rows_about_people_takes_part():
    assert set(accounts._PARTS) == {
        "programmes",
        "community",
        "superpublic",
        "publications",
        "members",
    }


def test_personal_data_gathers_each_apps_part(agent):
    data = accounts.personal_data(user=agent)
    assert data["account"]["email"] == agent.email
    assert {"profile", "registrations", "bookings", "programme_requests", "publications"} <= set(
        data
    )


def test_the_person_is_signed_out_only_once_the_account_is_gone(client, agent, monkeypatch):
    def fails(user):
        raise RuntimeError("a part could not forget")

    monkeypatch.setitem(accounts._PARTS, "failing", accounts.AccountPart(export=dict, forget=fails))
    client.force_login(agent)
    client.raise_request_exception = False
    response = client.post("/communaute/mon-compte/supprimer/", {"confirm": "SUPPRIMER"})
    assert response.status_code == 500
    assert User.objects.filter(pk=agent.pk).exists()  # nothing half-done
    assert agent.first_name in client.get("/mentions-legales/").content.decode()  # still in


def test_leaving_deletes_the_account_then_signs_out(client, agent):
    client.force_login(agent)
    response = client.post("/communaute/mon-compte/supprimer/", {"confirm": "SUPPRIMER"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=agent.pk).exists()
    assert "Se connecter" in client.get("/mentions-legales/").content.decode()
