from celery import shared_task

from .auto_complete import orders_auto_complete


@shared_task(ignore_result=True)
def auto_complete_orders() -> int:
    """Beat: complete orders nobody confirmed N days after dispatch (idempotent)."""
    return orders_auto_complete()
