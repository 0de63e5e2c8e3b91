"""The order and line status pipelines (Oscar's OSCAR_*_STATUS_PIPELINE settings
are these), and the event type names the lifecycle records.

Kept free of models so settings can import it. Status values are Oscar's plain
strings (they are stored on orders and lines); `label()` gives the translated
name to show.

Refunds are not a fulfilment state: a partial refund is Oscar's payment event with
line quantities, and a line or order only becomes Refunded when all of it is.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PAID = "Paid"
PROCESSING = "Processing"
SHIPPED = "Shipped"
DELIVERED = "Delivered"
COMPLETED = "Completed"
CANCELLED = "Cancelled"
REFUNDED = "Refunded"
# After-sales (a shopper's return or refund request on a line).
RETURN_REQUESTED = "Return requested"
RETURN_APPROVED = "Return approved"
RETURN_REJECTED = "Return rejected"
RETURNED = "Returned"

INITIAL = PAID

ORDER_PIPELINE: dict[str, tuple[str, ...]] = {
    PAID: (PROCESSING, SHIPPED, CANCELLED),
    PROCESSING: (SHIPPED, CANCELLED),
    SHIPPED: (DELIVERED, COMPLETED, REFUNDED),
    DELIVERED: (COMPLETED, REFUNDED),
    COMPLETED: (REFUNDED,),
    CANCELLED: (),
    REFUNDED: (),
}

# A line in after-sales (售后) leaves it Refunded when all its units came back as
# money, else Completed: the shopper keeps the rest and may ask again.
LINE_PIPELINE: dict[str, tuple[str, ...]] = {
    PAID: (PROCESSING, SHIPPED, CANCELLED, REFUNDED),
    PROCESSING: (SHIPPED, CANCELLED, REFUNDED),
    SHIPPED: (DELIVERED, COMPLETED, RETURN_REQUESTED, REFUNDED),
    DELIVERED: (COMPLETED, RETURN_REQUESTED, REFUNDED),
    COMPLETED: (RETURN_REQUESTED, REFUNDED),
    RETURN_REQUESTED: (RETURN_APPROVED, RETURN_REJECTED, REFUNDED),
    RETURN_APPROVED: (RETURNED, REFUNDED, COMPLETED),
    RETURN_REJECTED: (RETURN_REQUESTED, COMPLETED),
    RETURNED: (REFUNDED, COMPLETED),
    CANCELLED: (),
    REFUNDED: (),
}

# An order's new status moves each of its lines that may follow (Oscar skips a
# line the line pipeline doesn't allow, e.g. a refunded line when the order ships).
CASCADE = {
    PROCESSING: PROCESSING,
    SHIPPED: SHIPPED,
    DELIVERED: DELIVERED,
    COMPLETED: COMPLETED,
    CANCELLED: CANCELLED,
    REFUNDED: REFUNDED,
}

# Statuses that mean the goods have left: cancelling is refused from here on.
DISPATCHED_STATUSES = {SHIPPED, DELIVERED, COMPLETED, REFUNDED}

# Oscar shipping and payment event type names (created by a data migration).
EVENT_DISPATCHED = "Dispatched"
EVENT_DELIVERED = "Delivered"
EVENT_RETURNED = "Returned"
EVENT_CANCELLED = "Cancelled"
SHIPPING_EVENT_TYPES = (
    EVENT_DISPATCHED,
    EVENT_DELIVERED,
    EVENT_RETURNED,
    EVENT_CANCELLED,
)
PAYMENT_PAID = "Paid"
PAYMENT_REFUNDED = "Refunded"
PAYMENT_EVENT_TYPES = (PAYMENT_PAID, PAYMENT_REFUNDED)

# The shipping event a status change records.
SHIPPING_EVENT_FOR = {
    SHIPPED: EVENT_DISPATCHED,
    DELIVERED: EVENT_DELIVERED,
    CANCELLED: EVENT_CANCELLED,
}

# The e-mail (Oscar CommunicationEventType code) the shopper gets on a change.
EMAIL_FOR = {
    SHIPPED: "ORDER_DISPATCHED",
    DELIVERED: "ORDER_DELIVERED",
    CANCELLED: "ORDER_CANCELLED",
}
EMAIL_REFUNDED = "ORDER_REFUNDED"
# Sent by the auto-complete task instead of EMAIL_FOR (the shopper did nothing).
EMAIL_AUTO_COMPLETED = "ORDER_AUTO_COMPLETED"

LABELS = {
    PAID: pgettext_lazy("order status", "Paid"),
    PROCESSING: pgettext_lazy("order status", "Processing"),
    SHIPPED: pgettext_lazy("order status", "Shipped"),
    DELIVERED: pgettext_lazy("order status", "Delivered"),
    COMPLETED: pgettext_lazy("order status", "Completed"),
    CANCELLED: pgettext_lazy("order status", "Cancelled"),
    REFUNDED: pgettext_lazy("order status", "Refunded"),
    RETURN_REQUESTED: pgettext_lazy("order status", "Return requested"),
    RETURN_APPROVED: pgettext_lazy("order status", "Return approved"),
    RETURN_REJECTED: pgettext_lazy("order status", "Return rejected"),
    RETURNED: pgettext_lazy("order status", "Returned"),
}


def label(status: str):
    """The status as the reader's language names it (unknown ones as stored)."""
    return LABELS.get(status, status or _("Unknown"))
