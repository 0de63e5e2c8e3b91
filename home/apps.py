from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.AutoField"
    name = "home"
    verbose_name = "Mallard content"

    def ready(self):
        from . import campaign_offers

        campaign_offers.connect()
