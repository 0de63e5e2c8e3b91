from django.core.mail.backends.base import BaseEmailBackend

from .services import email_to_payload
from .tasks import deliver_email


class CeleryEmailBackend(BaseEmailBackend):
    """Django's EMAIL_BACKEND for the whole site, Oscar's mails included.

    Each message is queued for a Celery worker once the current transaction commits,
    so a rolled-back order or sign-up sends no mail and no request waits on SMTP.
    """

    def send_messages(self, email_messages):
        for message in email_messages:
            deliver_email.delay_on_commit(email_to_payload(message))
        return len(email_messages)
