"""Every order and line status change the pipelines don't list is refused; every
one they list is recorded the Oscar way."""

import itertools

import pytest
from oscar.core.loading import get_model

from shop.fulfilment import statuses
from shop.fulfilment.lifecycle import (
    TransitionRefused,
    line_transition,
    order_transition,
)

from .factories import paid_order

Order = get_model("order", "Order")
Line = get_model("order", "Line")

pytestmark = pytest.mark.django_db

ORDER_PAIRS = list(itertools.product(statuses.ORDER_PIPELINE, repeat=2))
LINE_PAIRS = list(itertools.product(statuses.LINE_PIPELINE, repeat=2))


def test_every_status_a_pipeline_names_has_its_own_row():
    for pipeline in (statuses.ORDER_PIPELINE, statuses.LINE_PIPELINE):
        for followers in pipeline.values():
            assert set(followers) <= set(pipeline)
    assert statuses.INITIAL in statuses.ORDER_PIPELINE


def test_a_new_order_and_its_lines_start_paid():
    order = paid_order()

    assert order.status == statuses.PAID
    assert {line.status for line in order.lines.all()} == {statuses.PAID}


@pytest.mark.parametrize(
    ("start", "to"), ORDER_PAIRS, ids=[f"{a}->{b}" for a, b in ORDER_PAIRS]
)
def test_order_transition_table(start, to, mailoutbox):
    order = paid_order()
    Order.objects.filter(pk=order.pk).update(status=start)
    order.refresh_from_db()

    if to in statuses.ORDER_PIPELINE[start]:
        order_transition(order=order, to=to)
        order.refresh_from_db()
        assert order.status == to
        change = order.status_changes.get()
        assert (change.old_status, change.new_status) == (start, to)
        shipping = [e.event_type.name for e in order.shipping_events.all()]
        expected = statuses.SHIPPING_EVENT_FOR.get(to)
        assert shipping == ([expected] if expected else [])
        line_status = statuses.CASCADE.get(to)
        if line_status in statuses.LINE_PIPELINE[statuses.PAID]:
            assert {line.status for line in order.lines.all()} == {line_status}
    else:
        with pytest.raises(TransitionRefused) as refused:
            order_transition(order=order, to=to)
        assert order.number in str(refused.value)
        order.refresh_from_db()
        assert order.status == start
        assert not order.status_changes.exists()
        assert not order.shipping_events.exists()
        assert not order.communication_events.exists()
        assert mailoutbox == []


@pytest.mark.parametrize(
    ("start", "to"), LINE_PAIRS, ids=[f"{a}->{b}" for a, b in LINE_PAIRS]
)
def test_line_transition_table(start, to):
    line = paid_order().lines.get()
    Line.objects.filter(pk=line.pk).update(status=start)
    line.refresh_from_db()

    if to in statuses.LINE_PIPELINE[start]:
        line_transition(line=line, to=to)
        line.refresh_from_db()
        assert line.status == to
    else:
        with pytest.raises(TransitionRefused):
            line_transition(line=line, to=to)
        line.refresh_from_db()
        assert line.status == start


def test_an_order_moves_only_the_lines_that_may_follow():
    order = paid_order(lines=[("10.00", 1), ("20.00", 1)])
    refunded, kept = order.lines.order_by("pk")
    line_transition(line=refunded, to=statuses.REFUNDED)

    order_transition(order=order, to=statuses.SHIPPED)

    refunded.refresh_from_db()
    kept.refresh_from_db()
    assert (refunded.status, kept.status) == (statuses.REFUNDED, statuses.SHIPPED)
    event = order.shipping_events.get()
    assert [q.line_id for q in event.line_quantities.all()] == [kept.pk]


@pytest.mark.parametrize(
    ("to", "code"),
    [(statuses.CANCELLED, "ORDER_CANCELLED"), (statuses.PROCESSING, None)],
)
def test_the_shopper_hears_of_the_changes_that_concern_them(
    to, code, mailoutbox, django_capture_on_commit_callbacks
):
    order = paid_order(email="wei@example.com")

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to=to)

    if code is None:
        assert mailoutbox == []
        return
    (mail,) = mailoutbox
    assert mail.to == ["wei@example.com"]
    assert str(order.number) in mail.subject
    assert order.communication_events.get().event_type.code == code


def test_mail_is_written_in_the_language_the_shopper_bought_in(
    mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation

    with translation.override("zh-hans"):
        order = paid_order()

    with django_capture_on_commit_callbacks(execute=True):
        order_transition(order=order, to=statuses.CANCELLED)

    (mail,) = mailoutbox
    assert mail.subject == f"您的订单 {order.number} 已取消"
