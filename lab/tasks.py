"""The core's tasks, found here by Celery's autodiscovery: the outbox of emails (lab/outbox.py)."""

from lab.outbox import deliver_due_emails, forget_sent_emails, send_outgoing_email

__all__ = ["deliver_due_emails", "forget_sent_emails", "send_outgoing_email"]
