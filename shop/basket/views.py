from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, JsonResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from oscar.apps.basket import views as oscar_views
from oscar.core.utils import redirect_to_referrer

from insights.attribution import basket_add_record

from .voucher_reasons import basket_apply_voucher


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _drain_messages(request) -> list[str]:
    # Messages were meant for the next page; a fetch() caller shows them itself.
    return [
        strip_tags(str(message)).strip() for message in messages.get_messages(request)
    ]


class BasketAddView(oscar_views.BasketAddView):
    """Oscar's add-to-basket, refusing products shoppers cannot see, and answering
    JSON to the storefront's script (the plain form post still works without it)."""

    def post(self, request, *args, **kwargs):
        try:
            product = self.product_model.objects.select_related("parent").get(
                pk=kwargs["pk"]
            )
        except (self.product_model.DoesNotExist, ValueError):
            return self._refuse(request, _("This product does not exist."), status=404)
        if not (
            product.is_public and (product.parent is None or product.parent.is_public)
        ):
            return self._refuse(request, _("This product is not for sale."), status=404)
        return super().post(request, *args, **kwargs)

    def _refuse(self, request, message, *, status):
        if wants_json(request):
            return JsonResponse({"ok": False, "messages": [message]}, status=status)
        raise Http404(message)

    def form_valid(self, form):
        response = super().form_valid(form)
        basket_add_record(
            request=self.request,
            line=self.line,
            quantity=form.cleaned_data["quantity"],
        )
        if not wants_json(self.request):
            return response
        return JsonResponse(
            {
                "ok": True,
                "messages": _drain_messages(self.request),
                "num_items": self.request.basket.num_items,
            }
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if not wants_json(self.request):
            return response
        self.request.session.pop(
            f"add_to_basket_form_post_data_{self.product.pk}", None
        )
        return JsonResponse(
            {"ok": False, "messages": _drain_messages(self.request)}, status=400
        )


class VoucherAddView(oscar_views.VoucherAddView):
    """Oscar's voucher form, telling the shopper why a voucher doesn't apply
    (shop/basket/voucher_reasons.py) instead of "does not qualify"."""

    def form_valid(self, form):
        if not self.request.basket.id:  # Oscar's would say nothing at all
            messages.warning(
                self.request,
                _("Add something to your basket first, then use %(code)s.")
                % {"code": form.cleaned_data["code"]},
            )
            return redirect_to_referrer(self.request, "basket:summary")
        return super().form_valid(form)

    def apply_voucher_to_basket(self, voucher):
        result = basket_apply_voucher(
            basket=self.request.basket,
            voucher=voucher,
            user=self.request.user,
            request=self.request,
        )
        if result.applied:
            self.add_signal.send(
                sender=self, basket=self.request.basket, voucher=voucher
            )
            messages.info(self.request, result.message)
        else:
            messages.warning(self.request, result.message)


class BasketView(oscar_views.BasketView):
    def formset_invalid(self, formset):
        # Oscar re-posts the management form's fields as they came when it redraws
        # the formset; one missing (a hand-made post) crashed it with a KeyError.
        management = formset.management_form
        posted = all(
            management.add_prefix(name) in formset.data for name in management.fields
        )
        if not (posted and management.is_valid()):
            raise BadRequest("The basket form was incomplete.")
        return super().formset_invalid(formset)


class SavedView(oscar_views.SavedView):
    """Oscar's saved-for-later lines, safe for shoppers with nothing saved."""

    def get_queryset(self):
        # Oscar answers a plain list when there is no saved basket (a guest, or a
        # shopper who never saved a line), and the formset needs a queryset: a
        # posted form then crashed instead of being refused.
        lines = super().get_queryset()
        return lines if lines != [] else self.model.objects.none()

    def formset_valid(self, formset):
        # A form marked for deletion skips validation, so an id that is none of the
        # shopper's saved lines gets this far; Oscar would move its empty line.
        if any(form.instance.pk is None for form in formset.initial_forms):
            return self.formset_invalid(formset)
        return super().formset_valid(formset)
