"""Sales net of refunds, for Oscar's reports dashboard: each order placed in the
period with what it took, what has been refunded of it since, and the difference."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_class, get_model

from . import statuses

ReportGenerator = get_class("dashboard.reports.reports", "ReportGenerator")
ReportCSVFormatter = get_class("dashboard.reports.reports", "ReportCSVFormatter")
ReportHTMLFormatter = get_class("dashboard.reports.reports", "ReportHTMLFormatter")
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")

MONEY = DecimalField(max_digits=12, decimal_places=2)


def orders_with_refunds(queryset):
    """`queryset` annotated with `refunded` (payment events of type Refunded) and
    `net` (total incl. tax less refunded)."""
    refunded = (
        PaymentEvent.objects.filter(
            order=OuterRef("pk"), event_type__name=statuses.PAYMENT_REFUNDED
        )
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return queryset.annotate(
        refunded=Coalesce(Subquery(refunded, output_field=MONEY), Value(Decimal(0))),
    ).annotate(
        net=Coalesce("total_incl_tax", Value(Decimal(0)))
        - Coalesce("refunded", Value(Decimal(0)))
    )


def sales_totals(queryset) -> dict:
    # Aggregate names must differ from the annotations they sum (Django would
    # otherwise read its own alias, giving 0).
    totals = orders_with_refunds(queryset).aggregate(
        sold_total=Sum("total_incl_tax"),
        refunded_total=Sum("refunded"),
        net_total=Sum("net"),
    )
    return {
        name.removesuffix("_total"): value or Decimal("0.00")
        for name, value in totals.items()
    }


class SalesReportCSVFormatter(ReportCSVFormatter):
    filename_template = "sales-%s-to-%s.csv"

    def generate_csv(self, response, orders):
        writer = self.get_csv_writer(response)
        writer.writerow(
            [
                _("Order number"),
                _("Date placed"),
                _("Status"),
                _("Total incl. tax"),
                _("Refunded"),
                _("Net"),
            ]
        )
        for order in orders:
            writer.writerow(
                [
                    order.number,
                    self.format_datetime(order.date_placed),
                    order.status,
                    order.total_incl_tax,
                    order.refunded,
                    order.net,
                ]
            )

    def filename(self, **kwargs):
        return self.filename_template % (kwargs["start_date"], kwargs["end_date"])


class SalesReportHTMLFormatter(ReportHTMLFormatter):
    filename_template = "oscar/dashboard/reports/partials/sales_report.html"


class SalesReportGenerator(ReportGenerator):
    code = "sales_report"
    description = _("Sales net of refunds")
    date_range_field_name = "date_placed"
    model_class = Order
    formatters = {
        "CSV_formatter": SalesReportCSVFormatter,
        "HTML_formatter": SalesReportHTMLFormatter,
    }

    def get_queryset(self):
        return orders_with_refunds(Order.objects.all()).order_by("-date_placed")

    def generate(self):
        return self.formatter.generate_response(
            self.queryset, start_date=self.start_date, end_date=self.end_date
        )

    def report_description(self):
        totals = sales_totals(self.queryset)
        return _("%(report)s: sold %(sold)s, refunded %(refunded)s, net %(net)s") % {
            "report": super().report_description(),
            **totals,
        }

    def is_available_to(self, user):
        return user.is_staff
