import oscar.apps.customer.apps as apps
from django.urls import path


class CustomerConfig(apps.CustomerConfig):
    """Oscar's account pages as the shopper's "Me": order tabs, phone-first order
    pages with confirm receipt and buy again, sign-out by POST, and the address
    lists for the China-style address form."""

    name = "shop.customer"

    def get_urls(self):
        from shop.address.views import region_choices

        return [
            path("regions/", region_choices, name="regions"),
            *super().get_urls(),
        ]
