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


def add(client, upc_or_product, quantity=1):
    product = (
        upc_or_product
        if isinstance(upc_or_product, Product)
        else Product.objects.get(upc=upc_or_product)
    )
    return client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": quantity},
        HTTP_REFERER="/",
    )


def add_voucher(client, code):
    return client.post(reverse("basket:vouchers-add"), {"code": code})


def to_payment_step(client, *, email="guest@example.com", method="standard"):
    """Guest e-mail (not for a signed-in shopper: email=None), shipping address and
    method: returns the payment page."""
    if email is not None:
        client.post(
            reverse("checkout:index"), {"username": email, "options": "anonymous"}
        )
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    # What the browser's redirect does: for goods that need no shipping, Oscar's
    # method step records "no shipping required" and moves on.
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:shipping-method"), {"method_code": method})
    return client.get(reverse("checkout:payment-details"))


def pay(client, token):
    return client.post(reverse("checkout:payment-details"), {"stripe_token": token})
