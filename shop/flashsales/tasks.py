from celery import shared_task

from .returns import sessions_close_ended


@shared_task(ignore_result=True)
def close_ended_sessions() -> int:
    """Run by Celery beat every minute; closing skips closed sessions, so it is safe
    to run twice (or on two workers at once)."""
    return sessions_close_ended()
