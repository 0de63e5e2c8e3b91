from oscar.apps.shipping import repository
from oscar.core.loading import get_model

OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
WeightBased = get_model("shipping", "WeightBased")


class Repository(repository.Repository):
    """The shipping methods merchandisers manage in Oscar's dashboard (flat rates,
    free over a threshold, weight bands), offered where they ship to, cheapest first.
    """

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        methods = [
            *OrderAndItemCharges.objects.prefetch_related("countries"),
            *WeightBased.objects.prefetch_related("countries", "bands"),
        ]
        if not methods:
            # Nothing configured yet: Oscar's free shipping keeps the shop usable.
            return super().get_available_shipping_methods(basket, shipping_addr)
        if shipping_addr is not None:
            methods = [m for m in methods if _ships_to(m, shipping_addr.country_id)]
        return sorted(methods, key=lambda method: method.calculate(basket).incl_tax)


def _ships_to(method, country_code) -> bool:
    countries = {country.pk for country in method.countries.all()}
    # A method with no countries listed ships everywhere.
    return not countries or country_code in countries
