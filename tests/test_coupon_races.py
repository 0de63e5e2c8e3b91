"""Shoppers racing for coupons: a batch is claimed exactly as many times as it
holds, nobody passes their limit, and a single-use coupon goes on one order only.
PostgreSQL row locks; threads with their own connections."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_class, get_model

from shop.checkout import services as checkout
from shop.coupons.models import Coupon, CouponClaim
from shop.coupons.services import coupon_claim
from shop.coupons.tests.factories import basket_for, item, make_coupon, shopper
from shop.payments import get_gateway
from tests import checkout_steps as steps
from tests.markers import committed

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
CheckoutPayment = get_model("checkout", "CheckoutPayment")
VoucherApplication = get_model("voucher", "VoucherApplication")
Repository = get_class("shipping.repository", "Repository")
Selector = get_class("partner.strategy", "Selector")

pytestmark = [committed, pytest.mark.postgres]


def _connection_budget(wanted: int) -> int:
    """How many of our threads may hold a connection at once: PostgreSQL's limit
    is shared with whatever else runs on this server, so leave it room."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        in_use = cursor.fetchone()[0]
    return max(10, min(wanted, limit - in_use - 15))


def _race(workers, *, budget):
    """Run each worker in its own thread, all released at once; at most `budget`
    hold a database connection at the same time. Returns outcomes and wall time."""
    start = threading.Barrier(len(workers), timeout=60)
    slots = threading.BoundedSemaphore(budget)
    outcomes = [None] * len(workers)

    def run(index, work):
        start.wait()
        # A new thread speaks the site's default language (Chinese); the refusals
        # are read in the test's.
        with slots, translation.override("en"):
            try:
                outcomes[index] = work()
            except Exception as error:  # noqa: BLE001  reported by the asserts
                outcomes[index] = f"error {error!r}"
            finally:
                close_old_connections()
                connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, time.monotonic() - began


def _claimer(client, coupon):
    def work():
        response = client.post(
            reverse("coupons:claim", kwargs={"pk": coupon.pk}),
            headers={"Accept": "application/json"},
        )
        if response.status_code == 200:
            return "claimed"
        state = response.json().get("state")
        return state if response.status_code == 409 else f"error {response.status_code}"

    return work


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_hundred_shoppers_racing_for_twenty_coupons_claim_exactly_twenty():
    coupon = make_coupon(total=20, per_shopper=1)
    users = [shopper() for _ in range(100)]
    clients = [_logged_in(user) for user in users]
    budget = _connection_budget(100)

    outcomes, seconds = _race([_claimer(c, coupon) for c in clients], budget=budget)

    print(
        f"100 shoppers, 20 coupons: {outcomes.count('claimed')} claimed, "
        f"{outcomes.count('sold_out')} told 'all claimed', in {seconds:.2f} s "
        f"(at most {budget} connections at once)"
    )
    assert sorted(outcomes) == ["claimed"] * 20 + ["sold_out"] * 80
    claims = CouponClaim.objects.filter(coupon=coupon)
    assert claims.count() == 20
    assert claims.values("user").distinct().count() == 20
    assert Coupon.objects.get(pk=coupon.pk).num_claimed == 20
    assert claims.values("voucher__code").distinct().count() == 20
    assert coupon.voucher_set.vouchers.count() == 20


@pytest.mark.parametrize("limit", [1, 2])
def test_one_shopper_in_five_sessions_gets_no_more_than_the_limit(limit):
    coupon = make_coupon(total=20, per_shopper=limit)
    user = shopper()
    clients = [_logged_in(user) for _ in range(5)]

    outcomes, seconds = _race([_claimer(c, coupon) for c in clients], budget=5)

    print(f"one shopper, 5 sessions, limit {limit}: {outcomes} in {seconds:.2f} s")
    assert sorted(outcomes) == ["claimed"] * limit + ["limit_reached"] * (5 - limit)
    assert CouponClaim.objects.filter(coupon=coupon, user=user).count() == limit
    assert Coupon.objects.get(pk=coupon.pk).num_claimed == limit


# --- One single-use coupon, many checkouts --------------------------------------------


def _details(basket):
    address = ShippingAddress(
        first_name="Li",
        last_name="Wei",
        line1="88 Century Avenue",
        line4="Shanghai",
        postcode="200120",
        country_id="CN",
        phone_number="+8613800138000",
    )
    methods = Repository().get_shipping_methods(basket, shipping_addr=address)
    method = next(m for m in methods if m.code == "standard")
    return checkout.checkout_details(
        shipping_address=address, shipping_method=method, guest_email=""
    )


def test_a_single_use_coupon_in_twenty_baskets_goes_on_one_order(localstripe):
    """The coupon's owner has it in twenty checkouts at the pay step (twenty
    baskets: Oscar gives a signed-in shopper one open basket, so the others are
    built directly) and pays for all at once: one order uses it, the other
    nineteen are refused before any charge."""
    user = shopper()
    claim = coupon_claim(coupon_id=make_coupon(amount=20, min_spend=100).pk, user=user)
    product = item("150.00", stock=100)
    payments = []
    for _ in range(20):
        basket = Basket.objects.create(owner=user)
        basket.strategy = Selector().strategy(user=user)
        basket.add_product(product)
        basket.vouchers.add(claim.voucher)
        payment = checkout.payment_start(
            basket=basket, user=user, details=_details(basket)
        )
        assert payment.amount == Decimal("130.00")  # 150 - 20, delivered free
        payments.append((payment, localstripe.card_token()))

    def payer(payment, token):
        def work():
            try:
                _payment, order = checkout.payment_pay(payment=payment, token=token)
            except checkout.CheckoutRefused as refusal:
                return (
                    "refused" if "already been used" in str(refusal) else str(refusal)
                )
            return "ordered" if order is not None else "unfinished"

        return work

    outcomes, seconds = _race([payer(p, t) for p, t in payments], budget=20)

    print(
        f"20 checkouts, one single-use coupon: {outcomes.count('ordered')} order, "
        f"{outcomes.count('refused')} refused before charging, in {seconds:.2f} s"
    )
    assert sorted(outcomes) == ["ordered"] + ["refused"] * 19
    order = Order.objects.get(user=user)
    assert VoucherApplication.objects.get(voucher=claim.voucher).order == order
    assert order.total_incl_tax == Decimal("130.00")
    gateway = get_gateway("stripe")
    intents = [
        gateway.intent_retrieve(p.intent_id) for p in CheckoutPayment.objects.all()
    ]
    assert [i.id for i in intents if i.charge_id] == [order.checkout_payment.intent_id]
    assert sorted(i.status for i in intents) == ["canceled"] * 19 + ["succeeded"]


def test_the_owner_paying_in_twenty_sessions_at_once_places_one_order(localstripe):
    """Over HTTP, as the shopper's browsers do it: twenty sessions of the coupon's
    owner reach the pay step with it applied and press Pay together."""
    user = shopper()
    claim = coupon_claim(coupon_id=make_coupon(amount=20, min_spend=100).pk, user=user)
    product = item("150.00", stock=100)
    basket_for(user, product)
    clients = [_logged_in(user) for _ in range(20)]
    applied = clients[0].post(reverse("coupons:apply", kwargs={"pk": claim.pk}))
    assert applied.status_code == 302
    for client in clients:
        page = steps.to_payment_step(client, email=None)
        assert page.status_code == 200
    tokens = [localstripe.card_token() for _ in clients]

    def payer(client, token):
        def work():
            page = steps.pay(client, token)
            if page.status_code == 302 and page.url == reverse("checkout:thank-you"):
                return "thank-you"
            return f"error {page.status_code} {getattr(page, 'url', '')}"

        return work

    outcomes, seconds = _race(
        [payer(c, t) for c, t in zip(clients, tokens, strict=True)], budget=20
    )

    print(f"owner in 20 sessions: {set(outcomes)} in {seconds:.2f} s")
    assert outcomes == ["thank-you"] * 20  # the same order, shown to each session
    order = Order.objects.get(user=user)
    assert VoucherApplication.objects.filter(voucher=claim.voucher).count() == 1
    assert order.basket_total_incl_tax == Decimal("130.00")
    charged = [
        p
        for p in CheckoutPayment.objects.all()
        if get_gateway("stripe").intent_retrieve(p.intent_id).charge_id
    ]
    assert [p.order for p in charged] == [order]
