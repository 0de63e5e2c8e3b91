"""Tracking numbers from a CSV file (order number, carrier, tracking number): every
row is checked first, and a file with any bad row dispatches nothing, so a fixed
file can simply be uploaded again."""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from .dispatch import Dispatch, dispatch_check, orders_dispatch, tracking_number_clean
from .lifecycle import TransitionRefused
from .models import Carrier

Order = get_model("order", "Order")

COLUMNS = ("order_number", "carrier", "tracking_number")
MAX_BYTES = 1024 * 1024
MAX_ROWS = 2000


@dataclass
class TrackingImport:
    errors: list[str] = field(default_factory=list)
    shipments: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _carriers() -> dict[str, Carrier]:
    found = {}
    for carrier in Carrier.objects.filter(is_active=True):
        found[carrier.code.lower()] = carrier
        found[carrier.name.lower()] = carrier
    return found


def _rows(data: bytes, result: TrackingImport):
    if len(data) > MAX_BYTES:
        result.errors.append(_("The file is larger than 1 MB: split it."))
        return []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(_("The file is not UTF-8 text: save it as CSV UTF-8."))
        return []
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        result.errors.append(
            _("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(COLUMNS), "missing": ", ".join(missing)}
        )
        return []
    reader.fieldnames = header
    rows = list(reader)
    if not rows:
        result.errors.append(_("The file has no rows under its header."))
    elif len(rows) > MAX_ROWS:
        result.errors.append(
            _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
        )
        return []
    return rows


def tracking_import(*, data: bytes, by=None) -> TrackingImport:
    """Dispatch the orders a CSV lists; with any bad row, dispatch none and say
    which rows are wrong and why (row numbers as a spreadsheet shows them)."""
    result = TrackingImport()
    rows = _rows(data, result)
    carriers = _carriers()
    numbers = [(row.get("order_number") or "").strip() for row in rows]
    orders = Order.objects.in_bulk([n for n in numbers if n], field_name="number")
    dispatches, seen = [], set()
    for position, row in enumerate(rows, start=2):
        number = numbers[position - 2]
        carrier = carriers.get((row.get("carrier") or "").strip().lower())
        order = orders.get(number)
        try:
            if not number or order is None:
                raise TransitionRefused(
                    _("no order numbered “%(number)s”.") % {"number": number}
                )
            if number in seen:
                raise TransitionRefused(
                    _("order %(number)s is listed twice.") % {"number": number}
                )
            seen.add(number)
            if carrier is None:
                raise TransitionRefused(
                    _("no carrier “%(carrier)s” (use one of: %(codes)s).")
                    % {
                        "carrier": (row.get("carrier") or "").strip(),
                        "codes": ", ".join(
                            Carrier.objects.filter(is_active=True).values_list(
                                "code", flat=True
                            )
                        ),
                    }
                )
            dispatch = Dispatch(
                order, carrier, tracking_number_clean(row.get("tracking_number"))
            )
            dispatch_check(dispatch)
        except TransitionRefused as problem:
            result.errors.append(
                _("Row %(row)s: %(problem)s") % {"row": position, "problem": problem}
            )
            continue
        dispatches.append(dispatch)
    if result.ok:
        result.shipments = orders_dispatch(dispatches=dispatches, by=by)
    return result
