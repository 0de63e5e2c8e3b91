from celery import shared_task

from .events import gateway_event_process


@shared_task(ignore_result=True, autoretry_for=(ConnectionError,), retry_backoff=True)
def process_gateway_event(event_id: str) -> None:
    gateway_event_process(event_id=event_id)
