from celery import shared_task
from celery.signals import worker_ready

from .probes import heartbeat_write


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Run by beat: the worker that runs it proves the queue is being worked."""
    heartbeat_write()


@worker_ready.connect
def _heartbeat_at_start(**kwargs):
    heartbeat_write()
