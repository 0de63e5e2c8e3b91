"""A flash sale prices only once a second merchandiser approved it, and any change
needs approving again."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from oscar.core.loading import get_class

from shop.flashsales import services
from shop.flashsales.models import FlashSaleEvent

from .factories import flash_sale, merchandiser, product

Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


def _regular_free(kettle) -> int:
    record = kettle.stockrecords.get()
    strategy = Selector().strategy()
    return strategy.fetch_for_product(kettle, record).availability.num_available


def test_the_author_cant_approve_their_own_sale():
    kettle = product()
    sale, _session, _item = flash_sale(kettle, approve=False)
    author = merchandiser("flash-author")

    with pytest.raises(ValidationError, match="another merchandiser must approve"):
        services.sale_approve(sale=sale, by=author)

    sale.refresh_from_db()
    assert not sale.is_approved
    assert not sale.events.filter(action=FlashSaleEvent.APPROVED).exists()


def test_approving_needs_the_permission():
    sale, _session, _item = flash_sale(product(), approve=False)
    colleague = merchandiser("no-approval", approver=False)

    with pytest.raises(ValidationError, match="permission"):
        services.sale_approve(sale=sale, by=colleague)
    assert not type(sale).objects.get(pk=sale.pk).is_approved


def test_a_second_merchandiser_approves_and_who_and_when_are_recorded():
    sale, _session, _item = flash_sale(product(), approve=False)
    approver = merchandiser("flash-approver")

    sale = services.sale_approve(sale=sale, by=approver)

    assert sale.approved_by == approver and sale.approved_at is not None
    event = sale.events.get(action=FlashSaleEvent.APPROVED)
    assert (event.user, event.at) == (approver, sale.approved_at)


def test_a_change_after_approval_withdraws_it_until_someone_else_approves():
    kettle = product()
    sale, _session, item = flash_sale(kettle)
    approver = merchandiser("flash-approver")
    assert sale.is_approved

    # The approver changes the price: approved no more, and not by them again.
    services.item_update(
        item=item,
        flash_price=Decimal("45.00"),
        pool=20,
        limit_per_shopper=2,
        by=approver,
    )

    sale.refresh_from_db()
    assert not sale.is_approved
    assert sale.events.filter(action=FlashSaleEvent.UNAPPROVED, user=approver).exists()
    with pytest.raises(ValidationError, match="another merchandiser"):
        services.sale_approve(sale=sale, by=approver)
    # The original author didn't change it since: they may approve the change.
    services.sale_approve(sale=sale, by=merchandiser("flash-author"))
    assert type(sale).objects.get(pk=sale.pk).is_approved


def test_an_unapproved_sale_neither_prices_nor_sets_units_aside():
    kettle = product(stock=100)
    _sale, _session, item = flash_sale(kettle, pool=20, approve=False)
    strategy = Selector().strategy()

    assert _regular_free(kettle) == 100
    assert strategy.fetch_flash_unit_prices([]) == {}
    info = strategy.fetch_for_product(kettle)
    assert info.price.excl_tax == Decimal("100.00")
    from shop.flashsales.selectors import item_prices_at

    assert not item_prices_at(item, strategy.now)


def test_approval_sets_the_pool_aside_from_regular_stock():
    kettle = product(stock=100)
    flash_sale(kettle, pool=20)

    assert _regular_free(kettle) == 80
    record = kettle.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated or 0) == (100, 0)


def test_approval_is_refused_when_the_pool_no_longer_fits_in_free_stock():
    kettle = product(stock=30)
    sale, _session, _item = flash_sale(kettle, pool=25, approve=False)
    record = kettle.stockrecords.get()
    record.num_allocated = 10  # sold meanwhile at the regular price
    record.save()

    with pytest.raises(ValidationError, match="Only 20 units"):
        services.sale_approve(sale=sale, by=merchandiser("flash-approver"))
    assert not type(sale).objects.get(pk=sale.pk).is_approved


def test_a_pool_cant_exceed_free_stock_or_go_below_what_is_sold():
    kettle = product(stock=10)
    sale, _session, item = flash_sale(kettle, pool=5)

    with pytest.raises(ValidationError, match="Only 10 units"):
        services.item_update(
            item=item,
            flash_price=item.flash_price,
            pool=11,
            limit_per_shopper=2,
            by=merchandiser("flash-author"),
        )
    # Refused: nothing changed, the approval stands.
    assert type(sale).objects.get(pk=sale.pk).is_approved
    assert type(item).objects.get(pk=item.pk).pool == 5
    type(item).objects.filter(pk=item.pk).update(sold=3)
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="3 units are sold"):
        services.item_update(
            item=item,
            flash_price=item.flash_price,
            pool=2,
            limit_per_shopper=2,
            by=merchandiser("flash-author"),
        )


@pytest.mark.parametrize(
    "price, pool, limit",
    [("0.00", 5, 1), ("10.00", 0, 1), ("10.00", 5, 0), ("100.00", 5, 1)],
)
def test_the_services_refuse_terms_no_form_would_send(price, pool, limit):
    _sale, session, _item = flash_sale(product(price="100.00"))

    with pytest.raises(ValidationError):
        services.item_add(
            session=session,
            product=product(title="Flash teapot"),
            flash_price=Decimal(price),
            pool=pool,
            limit_per_shopper=limit,
            by=merchandiser("flash-author"),
        )
    assert session.items.count() == 1
