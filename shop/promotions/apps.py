from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    """Who changed which offer or voucher, and what Oscar's promotions look like to
    the people running them (status, usage). Audits Oscar's own offer and voucher
    models without forking them."""

    default_auto_field = "django.db.models.AutoField"
    name = "shop.promotions"
    label = "promotions"
    verbose_name = _("Promotions")

    def ready(self):
        from .changes import connect

        connect()
