"""Background work is split by kind, so a backlog of one can't hold up another."""

import pytest

from config.celery_app import TASK_KINDS, app, queue_name


@pytest.fixture(autouse=True, scope="module")
def _tasks_discovered():
    """What a worker does at start: import every app's tasks module."""
    app.loader.import_default_modules()


@pytest.mark.parametrize(
    ("task", "kind"),
    [
        ("shop.checkout.tasks.process_gateway_event", "payments"),
        ("shop.checkout.tasks.requeue_stuck_gateway_events", "payments"),
        ("shop.communication.tasks.deliver_email", "mail"),
        ("shop.partner.tasks.notify_low_stock", "mail"),
        ("search.tasks.refresh_product_index", "indexing"),
        ("shop.partner.tasks.release_expired_reservations", "housekeeping"),
        ("shop.flashsales.tasks.close_ended_sessions", "housekeeping"),
        ("shop.fulfilment.tasks.auto_complete_orders", "housekeeping"),
        ("home.tasks.publish_scheduled_pages", "housekeeping"),
        ("insights.tasks.drain_events", "housekeeping"),
        ("insights.tasks.roll_up_recent_days", "housekeeping"),
    ],
)
def test_each_task_goes_to_its_kinds_queue(task, kind):
    assert task in app.tasks, f"{task} is not a registered task"
    assert app.amqp.router.route({}, task)["queue"].name == queue_name(kind)


def test_every_registered_task_of_ours_has_a_queue_a_worker_consumes():
    consumed = {queue.name for queue in app.conf.task_queues}
    ours = [name for name in app.tasks if not name.startswith("celery.")]
    assert ours
    for name in ours:
        assert app.amqp.router.route({}, name)["queue"].name in consumed, name


def test_queues_are_named_under_the_deployments_prefix():
    prefix = app.conf.task_default_queue
    assert {queue_name(kind) for kind in TASK_KINDS} == {
        f"{prefix}.payments",
        f"{prefix}.mail",
        f"{prefix}.indexing",
        f"{prefix}.housekeeping",
    }
