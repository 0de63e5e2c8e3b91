from celery import shared_task

from monitoring.counters import RESERVATIONS_EXPIRED, counter_add

from .services import stock_alert_notify, stock_release_expired


@shared_task(ignore_result=True)
def release_expired_reservations() -> int:
    """Run by Celery beat; deleting what has expired is safe to repeat."""
    released = stock_release_expired()
    counter_add(RESERVATIONS_EXPIRED, released)
    return released


@shared_task(ignore_result=True)
def notify_low_stock(alert_id: int) -> bool:
    return stock_alert_notify(alert_id=alert_id)
