from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def publish_scheduled_pages() -> None:
    """Wagtail's scheduled publishing and expiry, run by Celery beat every minute.
    Wagtail's command is idempotent, so an overlapping or repeated run is harmless."""
    call_command("publish_scheduled")
