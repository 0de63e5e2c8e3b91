from decimal import Decimal

import pytest
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_basket

Repository = get_class("shipping.repository", "Repository")
Country = get_model("address", "Country")
ShippingAddress = get_model("order", "ShippingAddress")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def _basket_with(upc, quantity):
    basket = create_basket(empty=True)
    product = Product.objects.get(upc=upc)
    basket.add_product(product, quantity)
    return basket


def _address(country_code):
    return ShippingAddress(country=Country.objects.get(pk=country_code))


def _charges(basket, country_code):
    methods = Repository().get_shipping_methods(
        basket, shipping_addr=_address(country_code)
    )
    return {m.code: m.calculate(basket).incl_tax for m in methods}


def test_flat_rate_express_and_weight_bands_are_offered_where_they_ship():
    basket = _basket_with("MAL-1005", 1)  # 26.80

    charges = _charges(basket, "CN")

    assert charges == {
        "standard": Decimal("8.00"),
        "bulky": Decimal("10.00"),
        "express": Decimal("20.00"),
    }
    assert list(charges) == ["standard", "bulky", "express"]  # cheapest first


def test_standard_delivery_is_free_over_the_threshold():
    basket = _basket_with("MAL-2001", 1)  # 199.00 wok

    assert _charges(basket, "CN")["standard"] == Decimal("0.00")


def test_no_method_ships_to_a_country_merchandisers_have_not_enabled():
    basket = _basket_with("MAL-1005", 1)

    assert _charges(basket, "US") == {}


def test_a_basket_of_digital_goods_is_offered_no_shipping_required_only():
    from tests.factories import product_for_sale

    basket = create_basket(empty=True)
    basket.add_product(product_for_sale(shipped=False), 1)
    basket.add_product(product_for_sale(shipped=False, variant=True), 1)

    methods = Repository().get_shipping_methods(basket, shipping_addr=None)

    assert [m.code for m in methods] == ["no-shipping-required"]
    assert methods[0].calculate(basket).incl_tax == 0
