"""A shopper's way through Oscar's checkout, step by step, with the test client."""

from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

# China-style (shop/address/forms.py): recipient, mobile, province → city →
# district, detailed address.
ADDRESS = {
    "first_name": "Li Wei",
    "phone_number": "13800138000",
    "state": "上海市",
    "line4": "上海市",
    "line3": "浦东新区",
    "line1": "88 Century Avenue",
}


def add(client, upc, quantity=1):
    product = Product.objects.get(upc=upc)
    return client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": quantity},
        HTTP_REFERER="/",
    )


def to_payment_step(client, *, email="guest@example.com", method="standard"):
    """Guest e-mail (not for a signed-in shopper: email=None), shipping address and
    method: returns the payment page."""
    if email is not None:
        client.post(
            reverse("checkout:index"), {"username": email, "options": "anonymous"}
        )
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": method})
    return client.get(reverse("checkout:payment-details"))


def pay(client, token):
    return client.post(reverse("checkout:payment-details"), {"stripe_token": token})
