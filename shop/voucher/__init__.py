default_app_config = "shop.voucher.apps.VoucherConfig"
