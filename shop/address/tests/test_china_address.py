"""The China-style address form: checkout and the address book share it."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_class, get_model

from tests import checkout_steps as steps

UserAddress = get_model("address", "UserAddress")
UserAddressForm = get_class("address.forms", "UserAddressForm")
ShippingAddressForm = get_class("checkout.forms", "ShippingAddressForm")

pytestmark = pytest.mark.django_db

GUANGZHOU = {
    "first_name": "王芳",
    "phone_number": "139 1234 5678",
    "state": "广东省",
    "line4": "广州市",
    "line3": "天河区",
    "line1": "天河路 385 号 1203 室",
}


@pytest.fixture
def shopper():
    return get_user_model().objects.create_user("fang", "fang@example.com", "pw")


def test_an_address_maps_onto_oscars_fields(shopper):
    form = UserAddressForm(shopper, data={**GUANGZHOU, "is_default_for_shipping": "on"})

    assert form.is_valid(), form.errors
    address = form.save()

    assert (address.first_name, address.last_name) == ("王芳", "")
    assert str(address.phone_number) == "+8613912345678"
    assert (address.state, address.line4, address.line3) == (
        "广东省",
        "广州市",
        "天河区",
    )
    assert address.line1 == "天河路 385 号 1203 室"
    assert address.country_id == "CN"
    assert address.is_default_for_shipping


@pytest.mark.parametrize(
    "number",
    [
        "12345",  # too short
        "1381234567",  # ten digits
        "021 6888 8888",  # a Shanghai landline, not a mobile
        "+44 7700 900123",  # a UK mobile
        "not a number",
    ],
)
def test_a_number_that_is_not_a_mainland_mobile_is_refused(shopper, number):
    form = UserAddressForm(shopper, data={**GUANGZHOU, "phone_number": number})

    assert not form.is_valid()
    assert "phone_number" in form.errors


def test_the_mobile_number_is_required(shopper):
    form = UserAddressForm(shopper, data={**GUANGZHOU, "phone_number": ""})

    assert "phone_number" in form.errors


def test_a_district_not_in_the_chosen_city_is_refused(shopper):
    form = UserAddressForm(shopper, data={**GUANGZHOU, "line3": "浦东新区"})

    assert form.errors["line3"] == ["浦东新区 is not a district of 广州市."]


def test_a_city_not_in_the_chosen_province_is_refused(shopper):
    form = UserAddressForm(shopper, data={**GUANGZHOU, "line4": "杭州市"})

    assert form.errors["line4"] == ["杭州市 is not a city in 广东省."]


def test_a_province_must_come_from_the_list(shopper):
    form = UserAddressForm(shopper, data={**GUANGZHOU, "state": "Atlantis"})

    assert "state" in form.errors


def test_a_city_with_districts_needs_one_and_a_city_without_needs_none(shopper):
    without_district = {**GUANGZHOU, "line3": ""}
    assert UserAddressForm(shopper, data=without_district).errors["line3"]

    dongguan = {**without_district, "line4": "东莞市"}  # no districts
    assert UserAddressForm(shopper, data=dongguan).is_valid()


def test_a_municipality_is_its_own_city(shopper):
    data = {**GUANGZHOU, "state": "上海市", "line4": "", "line3": "黄浦区"}
    form = UserAddressForm(shopper, data=data)

    assert form.is_valid(), form.errors
    assert form.save().line4 == "上海市"


def test_the_lists_offer_the_chosen_provinces_cities_and_citys_districts(shopper):
    form = UserAddressForm(shopper, data={**GUANGZHOU, "line3": ""})

    cities = [value for value, _ in form.fields["line4"].widget.choices]
    districts = [value for value, _ in form.fields["line3"].widget.choices]
    assert "深圳市" in cities and "杭州市" not in cities
    assert "天河区" in districts and "浦东新区" not in districts


def test_checkout_uses_the_same_form():
    form = ShippingAddressForm(data=steps.ADDRESS)

    assert form.is_valid(), form.errors
    assert form.instance.country_id == "CN"
    assert "last_name" not in form.fields and "postcode" not in form.fields


def test_without_javascript_choosing_a_province_brings_back_its_cities(client, shopper):
    client.force_login(shopper)
    data = {"first_name": "王芳", "phone_number": "13912345678", "state": "广东省"}

    response = client.post(
        reverse("customer:address-create"), {**data, "address_refresh": "province"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert '<option value="广州市">' in html
    assert "Now choose the city." in html
    assert "This field is required" not in html
    assert not UserAddress.objects.filter(user=shopper).exists()


def test_the_address_book_saves_a_default_address(client, shopper):
    client.force_login(shopper)

    response = client.post(
        reverse("customer:address-create"),
        {**GUANGZHOU, "is_default_for_shipping": "on"},
    )

    assert response.status_code == 302
    assert UserAddress.objects.get(user=shopper).is_default_for_shipping


def test_the_lists_for_javascript_come_from_the_regions_endpoint(client):
    url = reverse("customer:regions")

    cities = client.get(url, {"province": "广东省"}).json()["cities"]
    districts = client.get(url, {"province": "广东省", "city": "广州市"}).json()

    assert "广州市" in cities
    assert "天河区" in districts["districts"]
    assert client.get(url, {"province": "nowhere"}).json() == {"cities": []}


def test_a_complete_address_sent_by_a_list_button_is_a_submission(shopper):
    """Without JavaScript, Enter in a text box presses "show cities" (the form's
    first button): a complete address goes through all the same."""
    data = {**GUANGZHOU, "address_refresh": "province"}
    form = UserAddressForm(shopper, data=data)

    assert form.is_valid(), form.errors


def test_with_the_lists_chosen_a_list_button_shows_the_real_errors(shopper):
    data = {**GUANGZHOU, "phone_number": "12345", "address_refresh": "city"}
    form = UserAddressForm(shopper, data=data)

    assert list(form.errors) == ["phone_number"]
