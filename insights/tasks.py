from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .events import events_drain
from .rollup import events_delete_before, rollup_day


@shared_task(ignore_result=True)
def drain_events() -> int:
    """Beat, every minute: queued events into the database in batches."""
    return events_drain()


@shared_task(ignore_result=True)
def roll_up_recent_days() -> int:
    """Beat, every 10 minutes: today's and yesterday's figures rebuilt (late events
    for yesterday land too). Safe to repeat: a day is replaced, not added to."""
    events_drain()
    today = timezone.localdate()
    return sum(rollup_day(day=day) for day in (today - timedelta(days=1), today))


@shared_task(ignore_result=True)
def delete_old_events() -> int:
    """Beat, daily: raw events older than INSIGHTS_RAW_EVENT_DAYS go; the daily
    figures stay."""
    cutoff = timezone.now() - timedelta(days=settings.INSIGHTS_RAW_EVENT_DAYS)
    return events_delete_before(cutoff=cutoff)
