import oscar.apps.dashboard.vouchers.apps as apps


class VouchersDashboardConfig(apps.VouchersDashboardConfig):
    """Oscar's vouchers dashboard, forked so a coupon's voucher set is edited
    through its coupon (views.py): Oscar's set form would give every claimed voucher
    the set's dates, and deleting the set would delete shoppers' coupons."""

    name = "shop.dashboard.vouchers"
