from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FlashSalesConfig(AppConfig):
    """Flash sales (秒杀): sessions of a few hours in which a ring-fenced pool of a
    product's units sells at a flash price, up to a limit per shopper. Priced by
    the partner strategy like every other price (shop/partner/strategy.py)."""

    default_auto_field = "django.db.models.AutoField"
    name = "shop.flashsales"
    label = "flashsales"
    verbose_name = _("Flash sales")

    def ready(self):
        from . import cache, returns

        cache.register()
        returns.connect()
