"""Giving back the vouchers a cancelled order used: Oscar's record of the use (the
VoucherApplication row that once-per-customer and single-use vouchers check, and the
counters) is reversed, so the shopper can use the code again."""

from django.db.models import F, Sum
from oscar.core.loading import get_model

import pagecache
from pagecache.tags import voucher_tag
from shop.promotions.health import voucher_status

Voucher = get_model("voucher", "Voucher")
VoucherApplication = get_model("voucher", "VoucherApplication")
OrderDiscount = get_model("order", "OrderDiscount")


def order_vouchers_release(*, order) -> list:
    """Reverse each voucher use `order` recorded; returns the vouchers given back.
    A second call finds no use left to reverse."""
    released = []
    applications = VoucherApplication.objects.filter(order=order).select_related(
        "voucher"
    )
    for application in applications:
        voucher = application.voucher
        was_running = voucher_status(voucher).is_running
        discount = (
            OrderDiscount.objects.filter(order=order, voucher_id=voucher.pk).aggregate(
                total=Sum("amount")
            )["total"]
            or 0
        )
        application.delete()
        Voucher.objects.filter(pk=voucher.pk, num_orders__gt=0).update(
            num_orders=F("num_orders") - 1
        )
        Voucher.objects.filter(pk=voucher.pk, total_discount__gte=discount).update(
            total_discount=F("total_discount") - discount
        )
        voucher.refresh_from_db()
        # Usage saves don't reach the page cache; a code usable again must show.
        if voucher_status(voucher).is_running != was_running:
            pagecache.invalidate(voucher_tag(voucher.pk))
        released.append(voucher)
    return released
