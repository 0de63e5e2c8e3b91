"""Shoppers racing for what only one can have are refused before any charge."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from shop.payments import get_gateway
from tests import checkout_steps as steps
from tests.factories import product_for_sale, voucher_for
from tests.markers import committed

Order = get_model("order", "Order")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
Voucher = get_model("voucher", "Voucher")


def _messages(shopper) -> list[str]:
    return [str(m) for m in shopper.get(reverse("basket:summary")).context["messages"]]


@committed
@pytest.mark.postgres
def test_twenty_shoppers_racing_for_a_single_use_voucher_one_order_none_refunded(
    localstripe,
):
    item = product_for_sale(price="50.00", stock=100)
    voucher = voucher_for(item, code="ONLYONE", amount=10, usage=Voucher.SINGLE_USE)
    start = threading.Barrier(20, timeout=60)
    outcomes = []

    def shopper(number):
        client = Client()
        try:
            steps.add(client, item)
            steps.add_voucher(client, voucher.code)
            page = steps.to_payment_step(client, email=f"racer{number}@example.com")
            assert page.status_code == 200, "the voucher is unused until someone pays"
            token = localstripe.card_token()
            start.wait()  # all twenty press "Pay" at once
            page = steps.pay(client, token)
            if page.status_code == 302 and page.url == reverse("checkout:thank-you"):
                outcomes.append("ordered")
            elif page.status_code == 302 and page.url == reverse("basket:summary"):
                said = " ".join(_messages(client))
                clear = "already been used" in said and "not been charged" in said
                outcomes.append("refused" if clear else f"unclear: {said}")
            else:
                outcomes.append(f"error {page.status_code}")
        except Exception as error:  # noqa: BLE001  reported below, not swallowed
            outcomes.append(f"error {error!r}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=shopper, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    print(
        f"20 shoppers, one single-use voucher: {outcomes.count('ordered')} orders, "
        f"{outcomes.count('refused')} refusals, "
        f"{sum(o.startswith('error') for o in outcomes)} errors"
    )
    assert sorted(outcomes) == ["ordered"] + ["refused"] * 19
    order = Order.objects.get()
    assert order.basket_total_incl_tax == Decimal("40.00")
    assert voucher.applications.get().order == order
    gateway = get_gateway("stripe")
    intents = [
        gateway.intent_retrieve(p.intent_id) for p in CheckoutPayment.objects.all()
    ]
    # One charge, for the order; nobody else was charged, so nobody was refunded.
    assert [i.id for i in intents if i.charge_id] == [order.checkout_payment.intent_id]
    assert all(i.amount_refunded == 0 for i in intents)
    assert sorted(i.status for i in intents) == ["canceled"] * 19 + ["succeeded"]
    assert not CheckoutPayment.objects.filter(status="refunded").exists()
