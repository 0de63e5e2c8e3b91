"""The China-style address posted through checkout and the address book: bad
input comes back with field errors and saves nothing; without JavaScript, a
chosen province comes back with its cities."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from tests import checkout_steps as steps
from tests.factories import product_for_sale

UserAddress = get_model("address", "UserAddress")

pytestmark = pytest.mark.django_db

BAD = [
    ({"phone_number": "021 6888 8888"}, "phone_number"),  # a landline
    ({"phone_number": "1380013800"}, "phone_number"),  # ten digits
    ({"phone_number": ""}, "phone_number"),
    ({"line3": "天河区"}, "line3"),  # Guangzhou's, not Shanghai's
    ({"state": "广东省", "line4": "上海市"}, "line4"),
]


@pytest.fixture
def at_the_address_step(client):
    steps.add(client, product_for_sale())
    client.post(
        reverse("checkout:index"), {"username": "g@example.com", "options": "anonymous"}
    )
    return client


@pytest.fixture
def shopper(client):
    user = get_user_model().objects.create_user("fang", "fang@example.com", "pw")
    client.force_login(user)
    return user


@pytest.mark.parametrize("change, field", BAD)
def test_checkout_refuses_a_bad_address_with_field_errors(
    at_the_address_step, change, field
):
    client = at_the_address_step
    url = reverse("checkout:shipping-address")

    response = client.post(url, {**steps.ADDRESS, **change})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    # Nothing was kept: the method step sends the shopper back for an address.
    assert client.get(reverse("checkout:shipping-method")).status_code == 302


def test_checkout_accepts_a_good_address(at_the_address_step):
    client = at_the_address_step

    response = client.post(reverse("checkout:shipping-address"), steps.ADDRESS)

    assert response.status_code == 302
    assert response.url == reverse("checkout:shipping-method")


def test_checkout_without_javascript_brings_back_the_provinces_cities(
    at_the_address_step,
):
    response = at_the_address_step.post(
        reverse("checkout:shipping-address"),
        {"first_name": "王芳", "state": "浙江省", "address_refresh": "province"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="杭州市">' in html and '<option value="广州市">' not in html
    assert "Now choose the city." in html


@pytest.mark.parametrize("change, field", BAD)
def test_the_address_book_refuses_a_bad_address_with_field_errors(
    client, shopper, change, field
):
    response = client.post(
        reverse("customer:address-create"), {**steps.ADDRESS, **change}
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not UserAddress.objects.filter(user=shopper).exists()


def test_editing_an_address_to_a_district_elsewhere_changes_nothing(client, shopper):
    client.post(reverse("customer:address-create"), steps.ADDRESS)
    address = UserAddress.objects.get(user=shopper)
    url = reverse("customer:address-detail", kwargs={"pk": address.pk})

    response = client.post(url, {**steps.ADDRESS, "line3": "西湖区"})

    assert response.status_code == 200
    assert "西湖区 is not a district of 上海市." in response.content.decode()
    address.refresh_from_db()
    assert address.line3 == "浦东新区"


def test_another_shoppers_address_is_not_found(client, shopper):
    other = get_user_model().objects.create_user("li", "li@example.com", "pw")
    client.force_login(other)
    client.post(reverse("customer:address-create"), steps.ADDRESS)
    address = UserAddress.objects.get(user=other)
    client.force_login(shopper)
    url = reverse("customer:address-detail", kwargs={"pk": address.pk})

    assert client.get(url).status_code == 404
    assert client.post(url, {**steps.ADDRESS, "line1": "elsewhere"}).status_code == 404
    address.refresh_from_db()
    assert address.line1 == steps.ADDRESS["line1"]


def test_a_signed_in_shopper_ships_to_a_saved_address(client, shopper):
    client.post(
        reverse("customer:address-create"),
        {**steps.ADDRESS, "is_default_for_shipping": "on"},
    )
    address = UserAddress.objects.get(user=shopper)
    steps.add(client, product_for_sale())
    url = reverse("checkout:shipping-address")

    html = client.get(url).content.decode()
    response = client.post(url, {"action": "ship_to", "address_id": address.pk})

    assert 'class="cn-address"' in html and "浦东新区" in html
    assert "dropdown-toggle" not in html
    assert response.status_code == 302
    assert response.url == reverse("checkout:shipping-method")
