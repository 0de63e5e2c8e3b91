from django.http import JsonResponse
from django.views.decorators.http import require_GET

from shop.address import regions


@require_GET
def region_choices(request):
    """The cities of `province`, or with `city` too, that city's districts: what
    mallard.js puts in the next list when a shopper picks a province or city."""
    province = request.GET.get("province", "")
    city = request.GET.get("city")
    if city is None:
        return JsonResponse({"cities": regions.cities(province)})
    return JsonResponse({"districts": regions.districts(province, city)})
