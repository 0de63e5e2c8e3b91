from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    default_auto_field = "django.db.models.AutoField"
    name = "shop.fulfilment"
    label = "fulfilment"
    verbose_name = _("Fulfilment")

    def ready(self):
        from .languages import connect

        connect()
