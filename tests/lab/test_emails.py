import pytest
from django.core import mail
from django.db import transaction

from lab.outbox import email_send

pytestmark = pytest.mark.django_db

CONTEXT = {"user_name": "Claire", "activate_url": "https://exemple.fr/confirmer/abc/"}


def test_an_email_leaves_only_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email_send(name="account/confirm_email", to=["claire@exemple.fr"], context=CONTEXT)
        assert not mail.outbox
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.subject == "[La 27e Région] Confirmez votre adresse électronique"
    assert "https://exemple.fr/confirmer/abc/" in message.body
    assert "https://exemple.fr/confirmer/abc/" in message.alternatives[0][0]


def test_nothing_leaves_when_the_transaction_is_rolled_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        email_send(name="account/confirm_email", to=["claire@exemple.fr"], context=CONTEXT)
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert not mail.outbox


def test_an_email_is_written_in_the_language_it_was_sent_in(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            name="account/confirm_email", to=["claire@exemple.fr"], context=CONTEXT, language="en"
        )
    [message] = mail.outbox
    assert message.subject == "[La 27e Région] Confirm your email address"
    assert "Hello Claire" in message.body
