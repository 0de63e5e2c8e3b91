"""One price everywhere: every surface that shows a product shows what the basket
charges for one unit, offers (stacked, exclusive, fixed-price) and held stock
included, because every surface asks the partner strategy."""

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from oscar.test.factories import (
    BenefitFactory,
    ConditionalOfferFactory,
    ConditionFactory,
    RangeFactory,
    create_product,
)

from search.indexing import product_index_refresh
from tests.factories import campaign, product_grid

Basket = get_model("basket", "Basket")
Benefit = get_model("offer", "Benefit")
Category = get_model("catalogue", "Category")
Condition = get_model("offer", "Condition")
ConditionalOffer = get_model("offer", "ConditionalOffer")
ProductCategory = get_model("catalogue", "ProductCategory")
StockReservation = get_model("partner", "StockReservation")
WishList = get_model("wishlists", "WishList")

PRICE = re.compile(r"¥([\d,]+\.\d\d)")


def _offer(name, range_, benefit_type, value, *, priority=0, exclusive=True):
    return ConditionalOfferFactory(
        name=name,
        offer_type=ConditionalOffer.SITE,
        priority=priority,
        exclusive=exclusive,
        condition=ConditionFactory(range=range_, type=Condition.COUNT, value=1),
        benefit=BenefitFactory(range=range_, type=benefit_type, value=value),
    )


@pytest.fixture
def catalogue(db):
    """Products on every kind of price, with the unit price Oscar's offer engine
    gives each (worked out by hand, so a wrong engine can't agree with itself)."""
    made = {}

    def product(key, title, price, stock=50, **kwargs):
        made[key] = create_product(
            title=title,
            price=Decimal(price) if price else None,
            num_in_stock=stock,
            product_class="Agreement goods",
            **kwargs,
        )
        return made[key]

    product("plain", "Agreement plain tea", "50.00")
    percent = RangeFactory(name="Agreement percent")
    percent.add_product(product("percent", "Agreement percent mango", "80.00"))
    _offer("Agreement 25% off", percent, Benefit.PERCENTAGE, 25)

    fixed = RangeFactory(name="Agreement fixed")
    fixed.add_product(product("fixed", "Agreement fixed-price kettle", "120.00"))
    _offer("Agreement kettle for 99", fixed, Benefit.FIXED_PRICE, 99)

    stacked = RangeFactory(name="Agreement stacked")
    stacked.add_product(product("stacked", "Agreement stacked lamp", "200.00"))
    _offer("Agreement lamp 10%", stacked, Benefit.PERCENTAGE, 10, exclusive=False)
    _offer("Agreement lamp 10 off", stacked, Benefit.FIXED, 10, exclusive=False)

    exclusive = RangeFactory(name="Agreement exclusive")
    exclusive.add_product(product("exclusive", "Agreement exclusive chair", "300.00"))
    # The higher-priority offer wins and, being exclusive, stops the bigger one.
    _offer("Agreement chair 10%", exclusive, Benefit.PERCENTAGE, 10, priority=5)
    _offer("Agreement chair 20%", exclusive, Benefit.PERCENTAGE, 20, priority=1)

    parent = product("parent", "Agreement tee", None, structure="parent")
    product("variant", "Agreement tee, size M", "40.00", parent=parent)
    percent.add_product(made["variant"])

    held = product("held", "Agreement held honey", "20.00", stock=10)
    record = held.stockrecords.get()
    record.low_stock_threshold = 20
    record.save()
    StockReservation.objects.create(
        stockrecord=record,
        basket=Basket.objects.create(),
        quantity=4,
        expires_at=timezone.now() + timedelta(minutes=10),
    )

    category = Category.add_root(name="Agreement aisle")
    for key in made:
        if key != "variant":
            ProductCategory.objects.create(product=made[key], category=category)
    made["category"] = category
    return made


EXPECTED = {
    "plain": Decimal("50.00"),
    "percent": Decimal("60.00"),
    "fixed": Decimal("99.00"),
    "stacked": Decimal("170.00"),  # 10% off 200, then 10 off
    "exclusive": Decimal("270.00"),  # 10% (priority) and not also 20%
    "variant": Decimal("30.00"),
    "parent": Decimal("30.00"),  # "from" its variant's price, offer included
    "held": Decimal("20.00"),
}
TILED = ["plain", "percent", "fixed", "stacked", "exclusive", "parent", "held"]


def _price_now(fragment) -> Decimal:
    """The price a shopper pays, as shown: the offer price where there is one."""
    now = fragment.select_one(".price-now") or fragment.select_one(".tile__price")
    return Decimal(PRICE.search(now.get_text()).group(1).replace(",", ""))


def _shown(html, product) -> tuple[Decimal, str]:
    """Price and stock shown beside `product` in a list (tiles, or table rows)."""
    soup = BeautifulSoup(html, "html.parser")
    for item in soup.select(".tile:not(.flash-card), .item-card, tr"):
        titles = {t.get_text(strip=True) for t in item.select(".tile__title, a")}
        if product.get_title() in titles:
            stock = item.select_one(".tile__stock").get_text(" ", strip=True)
            return _price_now(item), stock
    raise AssertionError(f"{product.get_title()} is not shown")


def _basket_charge(client, product, *, signed_in=False) -> Decimal:
    """What a fresh basket charges for one unit of `product`, before delivery (a
    signed-in shopper's basket must start empty)."""
    if not signed_in:
        client.cookies.clear()
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}
    )
    assert response.status_code == 302
    basket = client.get(reverse("basket:summary")).context["basket"]
    assert basket.num_items == 1
    return basket.total_incl_tax


@pytest.mark.django_db
def test_every_surface_shows_what_the_basket_charges_for_one_unit(
    client, catalogue, django_user_model
):
    page = campaign(
        slug="agreement", body=[product_grid(catalogue[key] for key in TILED)]
    )
    shopper = django_user_model.objects.create_user(
        "agreement", "agreement@example.com", "pw"
    )
    wish_list = WishList.objects.create(owner=shopper, name="Agreement")
    for key in TILED:
        wish_list.add(catalogue[key])
    product_index_refresh(product_ids=[catalogue[key].pk for key in TILED])

    surfaces = {
        "campaign page": client.get(page.url).content.decode(),
        "category listing": client.get(
            catalogue["category"].get_absolute_url()
        ).content.decode(),
        "search results": client.get(
            reverse("search:search"), {"q": "Agreement"}
        ).content.decode(),
    }
    offer = ConditionalOffer.objects.get(name="Agreement 25% off")
    offer_page = client.get(offer.get_absolute_url()).content.decode()
    # Recently viewed: every product page visited, then one more shows the strip.
    product_pages = {
        key: client.get(catalogue[key].get_absolute_url()).content.decode()
        for key in [*TILED, "variant"]
    }
    recently_viewed = client.get(catalogue["plain"].get_absolute_url())
    client.force_login(shopper)
    wish_list_page = client.get(
        reverse("customer:wishlists-detail", kwargs={"key": wish_list.key})
    ).content.decode()
    suggestions = {
        item["title"]: item["price"]
        for item in client.get(reverse("search:suggest"), {"q": "Agreement"}).json()[
            "products"
        ]
    }
    client.logout()

    for key in TILED:
        product, expected = catalogue[key], EXPECTED[key]
        for name, html in surfaces.items():
            assert _shown(html, product)[0] == expected, (key, name)
        assert _shown(wish_list_page, product)[0] == expected, (key, "wish list")
        if key not in ("plain",):
            assert _shown(recently_viewed.content.decode(), product)[0] == expected, (
                key,
                "recently viewed",
            )
        shown_on_page = BeautifulSoup(product_pages[key], "html.parser").select_one(
            ".product__summary"
        )
        assert _price_now(shown_on_page) == expected, (key, "product page")
        if product.get_title() in suggestions:
            assert suggestions[product.get_title()] == f"¥{expected}", key
    # Oscar's offer page lists the browsable products of the offer's range.
    assert _shown(offer_page, catalogue["percent"])[0] == EXPECTED["percent"]

    variant_page = BeautifulSoup(product_pages["variant"], "html.parser")
    assert _price_now(variant_page.select_one(".product__summary")) == Decimal("30.00")
    assert variant_page.select_one("form.buy-bar"), "a variant's own page sells it"

    for key in [k for k in TILED if k != "parent"] + ["variant"]:
        assert _basket_charge(client, catalogue[key]) == EXPECTED[key], key


@pytest.mark.django_db
def test_units_held_at_another_shoppers_pay_step_are_not_offered(client, catalogue):
    held = catalogue["held"]
    page = campaign(slug="held", body=[product_grid([held])])

    price, stock = _shown(client.get(page.url).content.decode(), held)

    assert stock == "Only 6 left"
    response = client.post(
        reverse("basket:add", kwargs={"pk": held.pk}), {"quantity": 7}
    )
    assert Basket.objects.order_by("-pk").first().num_items == 0
    assert response.status_code in (302, 400)


@pytest.mark.django_db
def test_the_last_units_held_by_one_buyer_come_back_when_the_hold_lapses(
    client, localstripe
):
    from django.test import Client

    from tests import checkout_steps as steps

    honey = create_product(
        title="Last jars of honey", price=Decimal("30.00"), num_in_stock=4
    )
    page = campaign(slug="last-jars", body=[product_grid([honey])])
    buyer_a = Client()
    buyer_a.post(reverse("basket:add", kwargs={"pk": honey.pk}), {"quantity": 4})
    assert steps.to_payment_step(buyer_a).status_code == 200  # A holds all 4
    # A's hold has a second to run (instead of STOCK_RESERVATION_MINUTES).
    lapse = timezone.now() + timedelta(seconds=1)
    StockReservation.objects.update(expires_at=lapse)

    assert _shown(client.get(page.url).content.decode(), honey)[1] == "Sold out"
    client.post(reverse("basket:add", kwargs={"pk": honey.pk}), {"quantity": 1})
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 0

    time.sleep(max(0, (lapse - timezone.now()).total_seconds()) + 0.1)

    # The page, cached while the units were held, is not served past the lapse.
    assert _shown(client.get(page.url).content.decode(), honey)[1] == "In stock"
    client.post(reverse("basket:add", kwargs={"pk": honey.pk}), {"quantity": 1})
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 1


@pytest.mark.django_db
def test_a_shopper_who_used_up_a_once_per_customer_offer_sees_the_full_price(
    client, django_user_model
):
    from oscar.test.factories import create_order

    OrderDiscount = get_model("order", "OrderDiscount")
    kettle = create_product(
        title="Once-only kettle", price=Decimal("100.00"), num_in_stock=20
    )
    deal = RangeFactory(name="Once-only")
    deal.add_product(kettle)
    offer = _offer("First kettle half price", deal, Benefit.PERCENTAGE, 50)
    offer.max_user_applications = 1
    offer.save()
    page = campaign(slug="once-only", body=[product_grid([kettle])])
    returning = django_user_model.objects.create_user("back", "back@example.com", "p")
    newcomer = django_user_model.objects.create_user("new", "new@example.com", "p")
    order = create_order(user=returning)
    OrderDiscount.objects.create(
        order=order, offer_id=offer.pk, frequency=1, amount=Decimal("50.00")
    )

    client.force_login(newcomer)
    assert _shown(client.get(page.url).content.decode(), kettle)[0] == 50
    client.force_login(returning)
    # The page body is cached by now; this shopper's is another.
    assert _shown(client.get(page.url).content.decode(), kettle)[0] == 100
    assert _basket_charge(client, kettle, signed_in=True) == 100


def _flash_card_price(html, product) -> Decimal:
    soup = BeautifulSoup(html, "html.parser")
    for card in soup.select(".flash-card"):
        if card.select_one(".tile__title").get_text(strip=True) == product.get_title():
            return _price_now(card)
    raise AssertionError(f"{product.get_title()} has no flash card")


@pytest.mark.django_db
def test_the_flash_price_agrees_on_tile_basket_pay_page_and_order_in_session_only(
    client, localstripe
):
    """In the session the flash card, the basket, the pay page and the order all
    charge the flash price (a site offer on the product applies on top, as it
    would to any price); outside it everything charges the regular price."""
    from django.test import Client

    from shop.flashsales.models import FlashSession
    from shop.flashsales.returns import sessions_close_ended
    from shop.flashsales.tests.factories import flash_sale
    from tests import checkout_steps as steps

    Order = get_model("order", "Order")
    CheckoutPayment = get_model("checkout", "CheckoutPayment")
    kettle = create_product(
        title="Agreement flash kettle",
        price=Decimal("100.00"),
        num_in_stock=50,
        product_class="Agreement goods",
    )
    kettles = RangeFactory(name="Agreement kettles")
    kettles.add_product(kettle)
    _offer("Agreement kettles 10%", kettles, Benefit.PERCENTAGE, 10, exclusive=False)
    sale, session, item = flash_sale(kettle, price="50.00", pool=10, limit=2)
    page = campaign(
        slug="agreement-flash",
        body=[
            ("flash_sale", {"sale": sale, "heading": "Flash"}),
            product_grid([kettle]),
        ],
    )

    html = client.get(page.url).content.decode()
    flash_price = _flash_card_price(html, kettle)
    assert flash_price == Decimal("45.00")  # 50.00 flash, 10% off
    assert _shown(html, kettle)[0] == Decimal("90.00")  # the regular tile
    form = BeautifulSoup(html, "html.parser").select_one(".flash-card form")
    client.post(form["action"], {"quantity": 1})
    assert client.get(reverse("basket:summary")).context[
        "basket"
    ].total_incl_tax == Decimal("45.00")
    pay_page = steps.to_payment_step(client)
    delivery = pay_page.context["order_total"].incl_tax - Decimal("45.00")
    assert CheckoutPayment.objects.get().amount == Decimal("45.00") + delivery
    steps.pay(client, localstripe.card_token())
    order = Order.objects.get()
    assert order.basket_total_incl_tax == Decimal("45.00")
    line = order.lines.get()
    assert (line.unit_price_incl_tax, line.line_price_incl_tax) == (
        Decimal("50.00"),
        Decimal("45.00"),
    )
    confirmation = client.get(reverse("checkout:thank-you")).content.decode()
    assert "Agreement flash kettle (flash sale)" in confirmation

    # The session is over: the card is gone, a flash line left in a basket is
    # repriced at the pay step, and every surface says 90.00.
    late = Client()
    late.post(form["action"], {"quantity": 1})
    FlashSession.objects.filter(pk=session.pk).update(
        ends_at=timezone.now() - timedelta(seconds=1)
    )
    # (Cached pages expire at the end they knew of; this test moved the end, so
    # it runs the beat task that closes the session, which invalidates them too.)
    sessions_close_ended()
    html = late.get(page.url).content.decode()
    assert "flash-card" not in html
    assert _shown(html, kettle)[0] == Decimal("90.00")
    assert late.get(reverse("basket:summary")).context[
        "basket"
    ].total_incl_tax == Decimal("90.00")
    steps.to_payment_step(late, email="late@example.com")
    steps.pay(late, localstripe.card_token())
    assert Order.objects.latest("pk").basket_total_incl_tax == Decimal("90.00")
