from celery import shared_task

from shop.payments import GatewayUnavailable

from .events import gateway_event_process, gateway_events_requeue


@shared_task(
    ignore_result=True,
    autoretry_for=(ConnectionError, GatewayUnavailable),
    retry_backoff=True,
)
def process_gateway_event(event_pk: int) -> None:
    gateway_event_process(pk=event_pk)


@shared_task(ignore_result=True)
def requeue_stuck_gateway_events() -> None:
    gateway_events_requeue()
