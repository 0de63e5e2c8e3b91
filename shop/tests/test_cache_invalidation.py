"""Which shop writes make cached pages stale, and which (what every order writes)
don't. An "entry" here is what a page render records before reading the data."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from oscar.core.loading import get_class, get_model
from oscar.test.factories import (
    ConditionalOfferFactory,
    VoucherFactory,
    create_basket,
    create_order,
    create_product,
)

from pagecache import entries
from pagecache.recording import Dependencies
from pagecache.tags import (
    SITE_OFFERS,
    offer_tag,
    product_tag,
    range_tag,
    stock_tag,
    voucher_tag,
)
from shop.partner.services import stock_release_basket, stock_reserve_basket

Voucher = get_model("voucher", "Voucher")
Range = get_model("offer", "Range")

pytestmark = pytest.mark.django_db


def _entry(*tags):
    dependencies = Dependencies()
    dependencies.add(tags)
    return {"versions": dependencies.versions, "until": min(dependencies.until, 1e12)}


def _dirty(tag) -> bool:
    """Marked to go stale when the stock window ends."""
    return entries.valid_until(_entry(tag), known={}) < 1e12


@pytest.fixture
def product():
    return create_product(price=Decimal("20.00"), num_in_stock=50)


def test_a_price_change_makes_the_products_tiles_stale(product):
    entry = _entry(product_tag(product.pk))
    record = product.stockrecords.get()

    record.price = Decimal("18.00")
    record.save()

    assert not entries.is_fresh(entry)


def test_stock_changes_are_coalesced_not_immediate(product):
    entry = _entry(stock_tag(product.pk), product_tag(product.pk))
    record = product.stockrecords.get()

    record.num_in_stock = 40
    record.save()
    record.allocate(3)

    assert entries.is_fresh(entry)  # until the window ends
    assert _dirty(stock_tag(product.pk))


def test_selling_out_is_immediate(product):
    entry = _entry(stock_tag(product.pk))

    product.stockrecords.get().allocate(50)

    assert not entries.is_fresh(entry)


def test_reservations_are_coalesced_stock_changes(product):
    entry = _entry(stock_tag(product.pk))
    basket = create_basket(empty=True)
    basket.add_product(product, 2)

    stock_reserve_basket(basket=basket)

    assert entries.is_fresh(entry) and _dirty(stock_tag(product.pk))


def test_releasing_a_reservation_marks_the_stock_too(product):
    basket = create_basket(empty=True)
    basket.add_product(product, 2)
    stock_reserve_basket(basket=basket)
    entry = _entry(stock_tag(product.pk))

    stock_release_basket(basket=basket)

    assert entries.is_fresh(entry) and _dirty(stock_tag(product.pk))


def test_offer_usage_leaves_pages_alone_until_the_offer_is_used_up(product):
    offer = ConditionalOfferFactory(max_global_applications=2)
    entry = _entry(offer_tag(offer.pk), SITE_OFFERS)

    offer.record_usage({"freq": 1, "discount": Decimal("2.00")})
    assert entries.is_fresh(entry)

    offer.record_usage({"freq": 1, "discount": Decimal("2.00")})
    assert offer.status == offer.CONSUMED
    assert not entries.is_fresh(entry)


def test_editing_an_offer_makes_only_its_tag_stale():
    offer, other = ConditionalOfferFactory(), ConditionalOfferFactory()
    mine = _entry(offer_tag(offer.pk))
    theirs = _entry(offer_tag(other.pk), SITE_OFFERS)

    offer.benefit.value = 5
    offer.benefit.save()

    assert not entries.is_fresh(mine)
    assert entries.is_fresh(theirs)
    mine = _entry(offer_tag(offer.pk))
    offer.description = "Now with more"
    offer.save()
    assert not entries.is_fresh(mine)
    assert entries.is_fresh(theirs)


def test_scheduling_an_offer_changes_which_site_offers_are_open():
    offer = ConditionalOfferFactory()
    entry = _entry(SITE_OFFERS)

    offer.suspend()

    assert not entries.is_fresh(entry)


def test_a_range_gaining_or_losing_a_product_makes_the_range_stale(product):
    range_ = Range.objects.create(name="Cache test range")
    entry = _entry(range_tag(range_.pk))
    range_.add_product(product)
    assert not entries.is_fresh(entry)

    entry = _entry(range_tag(range_.pk))
    range_.remove_product(product)
    assert not entries.is_fresh(entry)


def test_filing_a_product_in_a_category_reaches_ranges_over_that_category(product):
    Category = get_model("catalogue", "Category")
    fruit = Category.objects.get(name="Fruit")
    range_ = Range.objects.create(name="All fruit")
    range_.included_categories.add(fruit)
    entry = _entry(range_tag(range_.pk))

    product.categories.add(fruit)

    assert not entries.is_fresh(entry)


def test_voucher_usage_leaves_pages_alone_unless_it_uses_the_voucher_up():
    multi = VoucherFactory(name="Multi", code="MULTI", usage=Voucher.MULTI_USE)
    single = VoucherFactory(name="Single", code="SINGLE", usage=Voucher.SINGLE_USE)
    multi_entry = _entry(voucher_tag(multi.pk))
    single_entry = _entry(voucher_tag(single.pk))
    order = create_order()

    order_placed = get_class("order.signals", "order_placed")
    multi.record_usage(order, AnonymousUser())
    multi.record_discount({"discount": Decimal("1.00")})
    order_placed.send(sender=None, order=order, user=None)  # as Oscar does next
    assert entries.is_fresh(multi_entry)

    single.record_usage(order, AnonymousUser())
    order_placed.send(sender=None, order=order, user=None)
    assert not entries.is_fresh(single_entry)
    assert entries.is_fresh(multi_entry)


def test_editing_a_voucher_makes_its_tag_stale():
    voucher = VoucherFactory()
    entry = _entry(voucher_tag(voucher.pk))

    voucher.name = "Spring sale"
    voucher.save()

    assert not entries.is_fresh(entry)
