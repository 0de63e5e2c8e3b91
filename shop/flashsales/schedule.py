"""Repeated sessions: e.g. daily at 10:00 and 20:00 for a week."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def repeated_times(
    *, first_day: date, days: int, times: list[time], duration: timedelta
) -> list[tuple[datetime, datetime]]:
    """(start, end) of a session at each of `times` (the shop's local time) on each
    of `days` days from `first_day`, in order."""
    zone = timezone.get_current_timezone()
    found = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for moment in sorted(times):
            start = timezone.make_aware(datetime.combine(day, moment), zone)
            found.append((start, start + duration))
    return found
