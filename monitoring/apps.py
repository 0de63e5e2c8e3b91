from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self):
        from . import context, metrics

        metrics.connect()
        context.connect_celery()
