import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import create_basket, create_product

from shop.partner.services import (
    InsufficientStock,
    stock_available,
    stock_confirm_for_order,
    stock_release_basket,
    stock_release_expired,
    stock_reserve_basket,
)
from shop.partner.tasks import release_expired_reservations
from tests.markers import committed

StockReservation = get_model("partner", "StockReservation")
StockRecord = get_model("partner", "StockRecord")

db = pytest.mark.django_db


def _product(stock):
    return create_product(price=10, num_in_stock=stock)


def _basket(product, quantity=1):
    basket = create_basket(empty=True)
    basket.add_product(product, quantity)
    return basket


@db
def test_a_reservation_holds_units_against_other_baskets_only():
    product = _product(stock=3)
    mine, theirs = _basket(product, 2), _basket(product, 2)
    record = product.stockrecords.get()

    stock_reserve_basket(basket=mine)

    assert stock_available(stockrecord=record) == 1
    assert stock_available(stockrecord=record, exclude_basket=mine) == 3
    with pytest.raises(InsufficientStock) as refused:
        stock_reserve_basket(basket=theirs)
    assert refused.value.shortages[0].available == 1
    assert "1 left, 2 wanted" in str(refused.value)
    assert not StockReservation.objects.filter(basket=theirs).exists()


@db
def test_reserving_again_replaces_the_hold_instead_of_adding_to_it():
    product = _product(stock=2)
    basket = _basket(product, 2)

    stock_reserve_basket(basket=basket)
    stock_reserve_basket(basket=basket)

    assert StockReservation.objects.get(basket=basket).quantity == 2


@db
def test_expired_holds_are_released_by_the_beat_task_and_free_the_stock():
    product = _product(stock=1)
    first, second = _basket(product), _basket(product)
    stock_reserve_basket(basket=first)
    StockReservation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert release_expired_reservations.delay().get() == 1

    stock_reserve_basket(basket=second)
    assert StockReservation.objects.get().basket == second


@db
def test_confirming_for_an_order_rechecks_allocations_made_meanwhile():
    product = _product(stock=1)
    basket = _basket(product)
    stock_reserve_basket(basket=basket)
    StockRecord.objects.filter(product=product).update(num_allocated=1)

    with pytest.raises(InsufficientStock):
        stock_confirm_for_order(basket=basket)
    stock_release_basket(basket=basket)
    assert stock_release_expired() == 0


@committed
@pytest.mark.postgres
def test_fifty_shoppers_racing_for_ten_units_get_exactly_ten_holds():
    product = _product(stock=10)
    baskets = [_basket(product) for _ in range(50)]
    outcomes = []
    start = threading.Barrier(50, timeout=60)

    def shopper(basket):
        try:
            start.wait()
            stock_reserve_basket(basket=basket)
            outcomes.append("held")
        except InsufficientStock:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=shopper, args=(b,)) for b in baskets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("held") == 10
    assert outcomes.count("refused") == 40
    record = product.stockrecords.get()
    assert stock_available(stockrecord=record) == 0
    assert sum(StockReservation.objects.values_list("quantity", flat=True)) == 10


@committed
@pytest.mark.postgres
def test_a_checkout_holding_stock_locks_leaves_the_product_row_free():
    """The dashboard saves a product while checkouts hold its stock row; locking the
    product too let the two take the rows in opposite orders (a deadlock)."""
    product = _product(stock=5)
    basket = _basket(product)
    held, done = threading.Event(), threading.Event()
    seen = {}

    def checkout():
        try:
            with transaction.atomic():
                stock_confirm_for_order(basket=basket)
                held.set()
                done.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=checkout)
    thread.start()
    try:
        assert held.wait(timeout=30)
        seen["product"] = _row_lock(type(product).objects.filter(pk=product.pk))
        seen["stock"] = _row_lock(StockRecord.objects.filter(product=product))
    finally:
        done.set()
        thread.join()

    assert seen == {"product": "free", "stock": "locked"}


def _row_lock(rows) -> str:
    """Whether another connection holds a lock on these rows, without waiting."""
    try:
        with transaction.atomic():
            list(rows.select_for_update(nowait=True))
        return "free"
    except DatabaseError:
        return "locked"
