"""After-sales (售后): a shopper asks for a return or a refund for some units of a
received order's lines, within the return window; the merchandiser approves or
rejects with a message; a return comes back with the shopper's tracking number and,
once received, is refunded by line (refunds_by_line, through the payment gateway)
and restocked. A refund-only request is refunded when approved. Each step is an
event on the request's timeline and moves the lines through the line pipeline."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_class

from . import statuses
from .dispatch import tracking_number_clean
from .lifecycle import TransitionRefused, line_transition, locked, refunded_quantity
from .models import AfterSalesEvent, AfterSalesLine, AfterSalesPhoto, AfterSalesRequest
from .notifications import order_notify
from .refunds_by_line import LineRefund, order_refund_lines
from .returns_window import return_window_ends, return_window_open

EventHandler = get_class("order.processing", "EventHandler")

MAX_PHOTOS = 3
EMAIL_APPROVED = "AFTERSALES_APPROVED"
EMAIL_REJECTED = "AFTERSALES_REJECTED"

# Why a shopper asks (their words in `description`).
REASONS = {
    "damaged": gettext_lazy("Arrived damaged or faulty"),
    "wrong_item": gettext_lazy("Wrong item or size sent"),
    "not_as_described": gettext_lazy("Not as described"),
    "missing_parts": gettext_lazy("Parts or items missing"),
    "changed_mind": gettext_lazy("Changed my mind (7-day return)"),
    "other": gettext_lazy("Other"),
}


@dataclass(frozen=True)
class RequestedLine:
    line: object
    quantity: int


def line_requestable_quantity(line) -> int:
    """How many units of `line` a new request may name: those not refunded, when
    the line is not in an open request (its status then says so)."""
    if statuses.RETURN_REQUESTED not in statuses.LINE_PIPELINE.get(line.status, ()):
        return 0
    return max(line.quantity - refunded_quantity(line), 0)


def order_requestable_lines(order, *, now=None) -> list[tuple[object, int]]:
    """(line, units) a shopper may ask about now: none outside the window."""
    if not return_window_open(order, now=now):
        return []
    return [
        (line, left)
        for line in order.lines.all()
        if (left := line_requestable_quantity(line)) > 0
    ]


def _event(request, status, *, by=None, by_shop=False, message=""):
    AfterSalesEvent.objects.create(
        request=request, status=status, by=by, by_shop=by_shop, message=message
    )


def _locked(request) -> AfterSalesRequest:
    return (
        AfterSalesRequest.objects.select_for_update(of=("self",))
        .select_related("order")
        .get(pk=request.pk)
    )


def _refused_status(request, action: str) -> TransitionRefused:
    return TransitionRefused(
        _("Request #%(id)s is %(status)s: it can't be %(action)s.")
        % {
            "id": request.pk,
            "status": request.get_status_display(),
            "action": action,
        }
    )


def aftersales_request_create(
    *,
    order,
    user,
    kind: str,
    lines: list[RequestedLine],
    reason: str,
    description: str = "",
    photos=(),
) -> AfterSalesRequest:
    """Open a request for `lines` of `order` (the shopper's own). Raises
    TransitionRefused, with nothing written, outside the return window, for a line
    of another order or more units than can be asked about, and for more than three
    photos. Photos are image files already validated by the form."""
    if order.user_id is None or user is None or order.user_id != user.pk:
        raise TransitionRefused(_("Only the shopper who placed the order can ask."))
    if kind not in dict(AfterSalesRequest.KINDS):
        raise TransitionRefused(_("Choose a return or a refund."))
    if reason not in REASONS:
        raise TransitionRefused(_("Choose a reason."))
    if not lines:
        raise TransitionRefused(_("Choose at least one item."))
    if len(photos) > MAX_PHOTOS:
        raise TransitionRefused(
            _("Add at most %(count)s photos.") % {"count": MAX_PHOTOS}
        )
    with transaction.atomic():
        current = locked(order)
        if not return_window_open(current):
            ends = return_window_ends(current)
            raise TransitionRefused(
                _("After-sales for order %(number)s closed on %(date)s.")
                % {"number": current.number, "date": f"{ends:%Y-%m-%d}"}
                if ends
                else _("Order %(number)s has not arrived yet: confirm receipt first.")
                % {"number": current.number}
            )
        own = {line.pk: line for line in current.lines.all()}
        if len({r.line.pk for r in lines}) != len(lines) or any(
            r.line.pk not in own for r in lines
        ):
            raise TransitionRefused(_("Choose items of this order, each once."))
        request = AfterSalesRequest.objects.create(
            order=current,
            user=user,
            kind=kind,
            reason=reason,
            description=description.strip(),
        )
        for r in lines:
            line = own[r.line.pk]
            left = line_requestable_quantity(line)
            if not 1 <= r.quantity <= left:
                raise TransitionRefused(
                    _("“%(title)s”: ask about 1 to %(left)s.")
                    % {"title": line.title, "left": left}
                    if left
                    else _("“%(title)s” already has a request or was refunded.")
                    % {"title": line.title}
                )
            AfterSalesLine.objects.create(
                request=request, line=line, quantity=r.quantity
            )
            line_transition(line=line, to=statuses.RETURN_REQUESTED)
        for photo in photos:
            AfterSalesPhoto.objects.create(request=request, image=photo)
        _event(request, AfterSalesRequest.REQUESTED, by=user, message=description)
        EventHandler(user=user).create_note(
            current,
            _("After-sales request #%(id)s: %(kind)s, %(reason)s.")
            % {
                "id": request.pk,
                "kind": request.get_kind_display(),
                "reason": REASONS[reason],
            },
        )
        return request


def aftersales_approve(*, request, by, message: str = "") -> AfterSalesRequest:
    """Approve a waiting request. A return waits for the goods (the shopper is
    e-mailed to send them back); a refund only is refunded now."""
    with transaction.atomic():
        current = _locked(request)
        if current.status != AfterSalesRequest.REQUESTED:
            raise _refused_status(current, _("approved"))
        for item in current.lines.select_related("line"):
            line_transition(line=item.line, to=statuses.RETURN_APPROVED)
        current.status = AfterSalesRequest.APPROVED
        current.save(update_fields=["status", "date_updated"])
        _event(
            current, AfterSalesRequest.APPROVED, by=by, by_shop=True, message=message
        )
        if current.kind == AfterSalesRequest.RETURN:
            order_notify(
                order=current.order,
                code=EMAIL_APPROVED,
                context={"after_sales": current, "message": message},
            )
        else:
            _refund(current, by=by, restock=False, message=message)
        return current


def aftersales_reject(*, request, by, message: str) -> AfterSalesRequest:
    """Reject a waiting request, saying why (the shopper is e-mailed the message;
    they may ask again while the window is open)."""
    message = (message or "").strip()
    if not message:
        raise TransitionRefused(_("Tell the shopper why the request is rejected."))
    with transaction.atomic():
        current = _locked(request)
        if current.status != AfterSalesRequest.REQUESTED:
            raise _refused_status(current, _("rejected"))
        for item in current.lines.select_related("line"):
            line_transition(line=item.line, to=statuses.RETURN_REJECTED)
        current.status = AfterSalesRequest.REJECTED
        current.save(update_fields=["status", "date_updated"])
        _event(
            current, AfterSalesRequest.REJECTED, by=by, by_shop=True, message=message
        )
        order_notify(
            order=current.order,
            code=EMAIL_REJECTED,
            context={"after_sales": current, "message": message},
        )
        return current


def aftersales_return_shipped(
    *, request, user, carrier, tracking_number: str
) -> AfterSalesRequest:
    """The shopper sent an approved return back: the carrier and tracking number."""
    number = tracking_number_clean(tracking_number)
    with transaction.atomic():
        current = _locked(request)
        if current.user_id is None or user is None or current.user_id != user.pk:
            raise TransitionRefused(_("Only the shopper who asked can send it back."))
        if current.kind != AfterSalesRequest.RETURN or current.status not in (
            AfterSalesRequest.APPROVED,
            AfterSalesRequest.RETURN_SHIPPED,
        ):
            raise _refused_status(current, _("sent back"))
        if not carrier.is_active:
            raise TransitionRefused(
                _("%(carrier)s is not offered.") % {"carrier": carrier}
            )
        current.return_carrier = carrier
        current.return_tracking_number = number
        current.status = AfterSalesRequest.RETURN_SHIPPED
        current.save(
            update_fields=[
                "return_carrier",
                "return_tracking_number",
                "status",
                "date_updated",
            ]
        )
        _event(
            current,
            AfterSalesRequest.RETURN_SHIPPED,
            by=user,
            message=f"{carrier.name} {number}",
        )
        return current


def aftersales_receive(
    *, request, by, restock: bool = True, message: str = ""
) -> AfterSalesRequest:
    """The returned goods arrived: refund the units by line through the payment
    gateway and (by default) put them back into stock."""
    with transaction.atomic():
        current = _locked(request)
        if current.kind != AfterSalesRequest.RETURN or current.status not in (
            AfterSalesRequest.APPROVED,
            AfterSalesRequest.RETURN_SHIPPED,
        ):
            raise _refused_status(current, _("received"))
        for item in current.lines.select_related("line"):
            line_transition(line=item.line, to=statuses.RETURNED)
        _refund(current, by=by, restock=restock, message=message)
        return current


def _refund(current, *, by, restock: bool, message: str) -> None:
    items = list(current.lines.select_related("line__stockrecord", "line__product"))
    reason = _("After-sales request #%(id)s: %(reason)s") % {
        "id": current.pk,
        "reason": REASONS.get(current.reason, current.reason),
    }
    amount = order_refund_lines(
        order=current.order,
        refunds=[LineRefund(item.line, item.quantity) for item in items],
        reason=f"{reason}. {message}".strip() if message else reason,
        restock=restock,
        by=by,
    )
    # Units the shopper keeps: the line is done with after-sales (Completed);
    # a line refunded whole became Refunded in order_refund_lines.
    for item in items:
        item.line.refresh_from_db()
        if item.line.status != statuses.REFUNDED:
            line_transition(line=item.line, to=statuses.COMPLETED)
    current.status = AfterSalesRequest.REFUNDED
    current.refund_amount = amount
    current.save(update_fields=["status", "refund_amount", "date_updated"])
    _event(current, AfterSalesRequest.REFUNDED, by=by, by_shop=True, message=message)


def aftersales_timeline(request) -> list[AfterSalesEvent]:
    return list(request.events.select_related("by"))
