"""The storefront's flash sale add-to-basket: a plain form post (no JavaScript
needed) that answers JSON to the storefront's script, like Oscar's basket add."""

from django import forms
from django.contrib import messages
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from oscar.core.loading import get_class

from insights.attribution import basket_add_record
from shop.basket.views import wants_json

from .basket import flash_basket_add
from .models import FlashItem

basket_addition = get_class("basket.signals", "basket_addition")


class AddForm(forms.Form):
    quantity = forms.IntegerField(min_value=1, max_value=99, required=False)


class FlashBasketAddView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        item = (
            FlashItem.objects.select_related(
                "session__sale", "product__parent", "stockrecord"
            )
            .filter(pk=pk)
            .first()
        )
        if item is None:
            if wants_json(request):
                return JsonResponse(
                    {"ok": False, "messages": [_("This flash sale does not exist.")]},
                    status=404,
                )
            raise Http404("no such flash sale item")
        form = AddForm(request.POST)
        if not form.is_valid():
            text = _("Enter a quantity from 1 to 99.")
            if wants_json(request):
                return JsonResponse({"ok": False, "messages": [text]}, status=400)
            return HttpResponseBadRequest(text)
        result = flash_basket_add(
            basket=request.basket,
            item=item,
            quantity=form.cleaned_data["quantity"] or 1,
        )
        if result.ok:
            basket_addition.send(
                sender=self, product=item.product, user=request.user, request=request
            )
            # The campaign block the shopper bought from, as for any tile.
            basket_add_record(request=request, line=result.line, quantity=result.added)
        if wants_json(request):
            return JsonResponse(
                {
                    "ok": result.ok,
                    "messages": [result.message],
                    "num_items": request.basket.num_items,
                },
                status=200 if result.ok else 409,
            )
        (messages.success if result.ok else messages.warning)(request, result.message)
        return self._back(request)

    def _back(self, request):
        """To the page the button was on (`next`, else the referrer) when it is
        this site's; else the basket."""
        for candidate in (request.POST.get("next"), request.headers.get("Referer")):
            if (
                candidate
                and (candidate.startswith("/") or "://" in candidate)
                and url_has_allowed_host_and_scheme(
                    candidate,
                    allowed_hosts={request.get_host()},
                    require_https=request.is_secure(),
                )
            ):
                return HttpResponseRedirect(candidate)
        return redirect("basket:summary")
