"""E-mail leaves the request: messages are queued as plain data and sent by a worker."""

import base64
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

EmailDelivery = get_model("communication", "EmailDelivery")


def email_to_payload(message: EmailMultiAlternatives) -> dict:
    """A JSON-safe copy of `message`, stamped with a Message-ID to de-duplicate it."""
    headers = dict(message.extra_headers)
    headers.setdefault("Message-ID", make_msgid(domain="mallard"))
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode(), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": headers,
        "alternatives": [
            [str(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def email_from_payload(payload: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=payload["subject"],
        body=payload["body"],
        from_email=payload["from_email"],
        to=payload["to"],
        cc=payload["cc"],
        bcc=payload["bcc"],
        reply_to=payload["reply_to"],
        headers=payload["headers"],
    )
    for content, mimetype in payload["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in payload["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def email_deliver(*, payload: dict) -> bool:
    """Send a queued message once; a second delivery of the same Message-ID is a no-op.

    The message is marked sent in the transaction that holds its row locked while it is
    handed to the delivery backend: a worker that dies mid-send rolls back with it, so
    the broker's redelivery (acks late) sends it, and a duplicate delivery waits for the
    first and then finds it sent. Only a crash after the backend accepted the message
    and before the commit sends it twice, with the same Message-ID.

    Returns whether this call sent it.
    """
    message_id = payload["headers"]["Message-ID"]
    EmailDelivery.objects.get_or_create(message_id=message_id)
    with transaction.atomic():
        delivery = EmailDelivery.objects.select_for_update().get(message_id=message_id)
        if delivery.sent_at is not None:
            return False
        connection = get_connection(settings.MALLARD_DELIVERY_EMAIL_BACKEND)
        connection.send_messages([email_from_payload(payload)])
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["sent_at"])
    return True
