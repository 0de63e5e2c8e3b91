from celery import shared_task

from .services import stock_alert_notify, stock_release_expired


@shared_task(ignore_result=True)
def release_expired_reservations() -> int:
    """Run by Celery beat; deleting what has expired is safe to repeat."""
    return stock_release_expired()


@shared_task(ignore_result=True)
def notify_low_stock(alert_id: int) -> bool:
    return stock_alert_notify(alert_id=alert_id)
