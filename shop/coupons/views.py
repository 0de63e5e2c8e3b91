"""The coupon centre's pages and endpoints. Thin: services.py writes, selectors.py
and progress.py read.

Claiming is a plain form post (works without JavaScript): the shopper comes back to
the page they claimed on with a message. The coupon block on cached Wagtail pages
shows the same HTML to everyone and asks `state/` (never cached) what this shopper
can do with each coupon.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, View
from oscar.apps.basket.signals import voucher_addition

from .progress import basket_thresholds
from .selectors import (
    AVAILABLE,
    WALLET_STATES,
    claim_states,
    coupon_card,
    coupons_listed,
    wallet,
)
from .services import (
    CouponNotFound,
    CouponRefused,
    claim_apply_to_basket,
    coupon_claim,
)

MAX_STATE_IDS = 50
MAX_ID = 2**31 - 1  # the primary key's column


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _next_url(request, default: str) -> str:
    """Where to send the shopper back to: the page they came from (a `next` field
    the form carries), if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def _login_url(next_url: str) -> str:
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"


def _currency() -> str:
    return settings.OSCAR_DEFAULT_CURRENCY


class CouponListView(TemplateView):
    """/shop/coupons/: every coupon shoppers can claim now or soon, with what this
    shopper can do with each (an Oscar page, not page-cached)."""

    template_name = "coupons/coupon_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coupons = list(coupons_listed())
        states = claim_states(coupons=coupons, user=self.request.user)
        context["cards"] = [
            {**coupon_card(c, currency=_currency()), "state": states[c.pk]}
            for c in coupons
        ]
        return context


class CouponClaimView(View):
    """POST: put one of the coupon in the shopper's wallet. Guests are sent to sign
    in and brought back to the page they were on."""

    http_method_names = ["post"]

    def post(self, request, pk):
        back = _next_url(request, "coupons:list")
        if not request.user.is_authenticated:
            login = _login_url(back)
            if _wants_json(request):
                return JsonResponse(
                    {"ok": False, "state": "sign_in", "login_url": login}, status=401
                )
            return redirect(login)
        try:
            claim = coupon_claim(coupon_id=pk, user=request.user)
        except CouponNotFound as refusal:
            if _wants_json(request):
                return JsonResponse(
                    {"ok": False, "state": refusal.code, "message": str(refusal)},
                    status=404,
                )
            raise Http404(str(refusal)) from refusal
        except CouponRefused as refusal:
            if _wants_json(request):
                return JsonResponse(
                    {"ok": False, "state": refusal.code, "message": str(refusal)},
                    status=409,
                )
            messages.warning(request, str(refusal))
            return redirect(back)
        message = _(
            "%(name)s is in your wallet, valid until %(end)s. It is waiting for you "
            "at checkout."
        ) % {
            "name": claim.coupon.name,
            "end": timezone.localtime(claim.voucher.end_datetime).strftime(
                "%Y-%m-%d %H:%M"
            ),
        }
        if _wants_json(request):
            return JsonResponse({"ok": True, "message": message})
        messages.success(request, message)
        return redirect(back)


@method_decorator(never_cache, name="dispatch")
class CouponStateView(View):
    """GET ?ids=1,2: what this shopper can do with each coupon, for the coupon block
    on cached pages. Never cached; unknown ids are left out."""

    def get(self, request):
        raw = request.GET.get("ids", "")
        try:
            ids = {int(part) for part in raw.split(",") if part.strip()}
        except ValueError:
            return HttpResponseBadRequest("ids: comma-separated coupon numbers")
        if len(ids) > MAX_STATE_IDS:
            return HttpResponseBadRequest(f"ids: at most {MAX_STATE_IDS}")
        ids = {pk for pk in ids if 0 < pk <= MAX_ID}  # others name no coupon
        coupons = coupons_listed().filter(pk__in=ids) if ids else []
        states = claim_states(coupons=coupons, user=request.user)
        return JsonResponse(
            {
                "signed_in": request.user.is_authenticated,
                "coupons": {str(pk): s.as_json() for pk, s in states.items()},
            }
        )


@method_decorator(never_cache, name="dispatch")
class ProgressView(TemplateView):
    """GET: this shopper's threshold progress as an HTML fragment, for the progress
    block on cached pages."""

    template_name = "coupons/partials/progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["thresholds"] = basket_thresholds(
            basket=self.request.basket, user=self.request.user
        )
        return context


class WalletView(LoginRequiredMixin, TemplateView):
    """My coupons: available, used and expired, in the customer's account."""

    template_name = "coupons/wallet.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = wallet(user=self.request.user)
        state = self.request.GET.get("state")
        state = state if state in entries else AVAILABLE
        context.update(
            page_title=_("My coupons"),
            active_tab="coupons",
            state=state,
            entries=entries[state],
            tabs=[
                {"code": code, "label": label, "count": len(entries[code])}
                for code, label in WALLET_STATES
            ],
        )
        return context


class ClaimApplyView(LoginRequiredMixin, View):
    """POST: use one of my coupons on my basket (the basket's one-tap suggestion and
    the wallet's "Use" button)."""

    http_method_names = ["post"]

    def handle_no_permission(self):
        # A post can't be replayed after signing in: come back to the basket.
        return redirect(_login_url(resolve_url("basket:summary")))

    def post(self, request, pk):
        try:
            result = claim_apply_to_basket(
                claim_id=pk, user=request.user, basket=request.basket, request=request
            )
        except CouponNotFound as missing:
            raise Http404(str(missing)) from missing
        if result.applied:
            # Oscar's own voucher form sends it too (basket additions are counted).
            voucher_addition.send(
                sender=self, basket=request.basket, voucher=result.voucher
            )
            messages.success(request, result.message)
        else:
            messages.warning(request, result.message)
        return redirect(_next_url(request, "basket:summary"))
