from smtplib import SMTPException

from celery import shared_task

from .services import email_deliver


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    max_retries=6,
    ignore_result=True,
)
def deliver_email(payload: dict) -> bool:
    return email_deliver(payload=payload)
