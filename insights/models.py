"""Which page and block (or search) put a line in the basket, kept on the order.

Beside Oscar's basket and order lines rather than in forks of basket and order:
attribution is read by reports only, never by pricing or checkout, and a one-to-one
row keeps both Oscar apps unforked (order isn't forked at all)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

PAGE = "page"
SEARCH = "search"
SOURCES = [(PAGE, _("Page")), (SEARCH, _("Search"))]


class Touches(models.Model):
    """The first touch, and the last one (on an order line: only when it came
    within ATTRIBUTION_WINDOW_DAYS of the order; else the sale counts as direct)."""

    first_source = models.CharField(max_length=16, choices=SOURCES)
    first_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_block_id = models.CharField(max_length=64, blank=True)
    first_at = models.DateTimeField()

    last_source = models.CharField(max_length=16, choices=SOURCES, blank=True)
    last_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_block_id = models.CharField(max_length=64, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)
    # The visit of the last touch: its random analytics session id and where it
    # came from (utm_source, else the referring site's host), for the order's events.
    session_id = models.CharField(max_length=32, blank=True)
    traffic_source = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        where = self.last_block_id or self.first_block_id or self.first_source
        return f"line {self.line_id} from {where}"


class BasketLineSource(Touches):
    line = models.OneToOneField(
        "basket.Line", on_delete=models.CASCADE, related_name="attribution"
    )

    class Meta:
        verbose_name = _("basket line source")


class OrderLineSource(Touches):
    line = models.OneToOneField(
        "order.Line", on_delete=models.CASCADE, related_name="attribution"
    )

    class Meta:
        verbose_name = _("order line source")
        indexes = [
            models.Index(fields=["last_page", "last_block_id"]),
            models.Index(fields=["first_page", "first_block_id"]),
        ]


class Event(models.Model):
    """One raw analytics event. No personal data: a random per-session id, never a
    user, address or IP. Deleted after INSIGHTS_RAW_EVENT_DAYS; DailyStat keeps the
    totals."""

    VIEW = "view"
    IMPRESSION = "impression"
    CLICK = "click"
    ADD = "add"
    CHECKOUT = "checkout"
    ORDER = "order"
    REFUND = "refund"
    KINDS = [
        (VIEW, _("Page view")),
        (IMPRESSION, _("Tile impression")),
        (CLICK, _("Tile click")),
        (ADD, _("Add to basket")),
        (CHECKOUT, _("Checkout started")),
        (ORDER, _("Order placed")),
        (REFUND, _("Refund")),
    ]

    kind = models.CharField(max_length=16, choices=KINDS)
    at = models.DateTimeField(db_index=True)
    session_id = models.CharField(max_length=32, blank=True)
    # Plain ids, not foreign keys: events outlive pages and products, and a batch
    # insert must not fail because one was deleted meanwhile.
    page_id = models.PositiveIntegerField(null=True, blank=True)
    block_id = models.CharField(max_length=64, blank=True)
    product_id = models.PositiveIntegerField(null=True, blank=True)
    order_id = models.PositiveIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=16, choices=SOURCES, blank=True)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    referrer_host = models.CharField(max_length=255, blank=True)
    quantity = models.IntegerField(default=0)
    amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("analytics event")
        indexes = [models.Index(fields=["page_id", "at"])]

    def __str__(self):
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def traffic_source(self) -> str:
        return self.utm_source or self.referrer_host


class DailyStat(models.Model):
    """A day's totals per page, block, product, channel and traffic source (blank:
    not applicable), rebuilt from that day's events by insights.rollup."""

    day = models.DateField()
    page_id = models.PositiveIntegerField(null=True, blank=True)
    block_id = models.CharField(max_length=64, blank=True)
    product_id = models.PositiveIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=16, blank=True)
    traffic_source = models.CharField(max_length=255, blank=True)
    views = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)
    adds = models.PositiveIntegerField(default=0)
    checkouts = models.PositiveIntegerField(default=0)
    # Distinct orders of this row's page, block, product, channel and source: an
    # order with lines from two blocks is in both blocks' rows, so summing `orders`
    # over a page counts it twice. Page and block totals sum these instead, kept on
    # the product-less rows by the roll-up (each order once per page, per block).
    orders = models.PositiveIntegerField(default=0)
    page_orders = models.PositiveIntegerField(default=0)
    block_orders = models.PositiveIntegerField(default=0)
    units = models.IntegerField(default=0)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    refunded = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("daily campaign figures")
        indexes = [
            models.Index(fields=["page_id", "day"]),
            models.Index(fields=["product_id", "day"]),
        ]

    def __str__(self):
        return f"{self.day} page {self.page_id} block {self.block_id or '-'}"
