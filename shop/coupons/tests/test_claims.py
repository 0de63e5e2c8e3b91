"""Claiming a coupon: a personal single-use Oscar voucher per claim, within the
batch, the shopper's limit and the claim window; refusals change nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_model

from shop.coupons.models import Coupon, CouponClaim
from shop.coupons.services import CouponNotFound, CouponRefused, coupon_claim

from .factories import make_coupon, shopper

Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db


def _refusal(coupon, user, **kwargs) -> CouponRefused:
    with pytest.raises(CouponRefused) as refused:
        coupon_claim(coupon_id=coupon.pk, user=user, **kwargs)
    return refused.value


def test_a_claim_issues_a_personal_single_use_voucher_valid_n_days():
    coupon = make_coupon(valid_days=3)
    user = shopper()
    moment = timezone.now()

    claim = coupon_claim(coupon_id=coupon.pk, user=user, now=moment)

    voucher = claim.voucher
    assert claim.user == user and claim.coupon == coupon
    assert voucher.usage == Voucher.SINGLE_USE
    assert list(voucher.offers.all()) == [coupon.offer]
    assert voucher.voucher_set == coupon.voucher_set
    assert voucher.start_datetime == moment
    assert voucher.end_datetime == moment + timedelta(days=3)
    coupon.refresh_from_db()
    assert coupon.num_claimed == 1
    assert coupon.voucher_set.vouchers.count() == coupon.voucher_set.count == 1


def test_fixed_validity_gives_every_claim_the_same_dates():
    now = timezone.now()
    coupon = make_coupon(
        valid_from=now + timedelta(days=1), valid_until=now + timedelta(days=2)
    )

    claim = coupon_claim(coupon_id=coupon.pk, user=shopper())

    assert claim.voucher.start_datetime == coupon.valid_from
    assert claim.voucher.end_datetime == coupon.valid_until


def test_the_shopper_limit_and_the_batch_are_kept():
    coupon = make_coupon(total=3, per_shopper=2)
    first, second = shopper(), shopper()

    coupon_claim(coupon_id=coupon.pk, user=first)
    coupon_claim(coupon_id=coupon.pk, user=first)
    assert _refusal(coupon, first).code == "limit_reached"
    coupon_claim(coupon_id=coupon.pk, user=second)
    refusal = _refusal(coupon, shopper())

    assert refusal.code == "sold_out" and "all been claimed" in str(refusal)
    coupon.refresh_from_db()
    assert coupon.num_claimed == 3 == CouponClaim.objects.filter(coupon=coupon).count()


@pytest.mark.parametrize(
    ("window", "code"),
    [
        (
            {"claim_start": timedelta(hours=1), "claim_end": timedelta(days=1)},
            "not_started",
        ),
        ({"claim_start": -timedelta(days=2), "claim_end": -timedelta(days=1)}, "ended"),
    ],
)
def test_outside_the_claim_window_nothing_is_issued(window, code):
    now = timezone.now()
    coupon = make_coupon(**{k: now + v for k, v in window.items()})
    vouchers = Voucher.objects.count()

    assert _refusal(coupon, shopper()).code == code
    assert Voucher.objects.count() == vouchers
    assert not CouponClaim.objects.exists()


def test_a_fixed_validity_already_over_can_not_be_claimed():
    now = timezone.now()
    coupon = make_coupon(
        claim_start=now - timedelta(days=5),
        valid_from=now - timedelta(days=5),
        valid_until=now - timedelta(days=1),
    )

    assert _refusal(coupon, shopper()).code == "ended"


def test_guests_and_unknown_coupons_are_refused():
    coupon = make_coupon()

    assert _refusal(coupon, AnonymousUser()).code == "sign_in"
    with pytest.raises(CouponNotFound):
        coupon_claim(coupon_id=999_999, user=shopper())
    assert not CouponClaim.objects.exists()


# --- Over HTTP --------------------------------------------------------------------


def test_a_guest_is_sent_to_sign_in_and_back_to_the_page(client):
    coupon = make_coupon()

    response = client.post(
        reverse("coupons:claim", kwargs={"pk": coupon.pk}), {"next": "/campaigns/x/"}
    )

    assert response.status_code == 302
    assert response.url == reverse("customer:login") + "?next=%2Fcampaigns%2Fx%2F"
    assert not CouponClaim.objects.exists()


def test_a_shopper_claims_with_a_form_post_and_comes_back(client):
    coupon = make_coupon(name="¥20 off")
    user = shopper()
    client.force_login(user)

    response = client.post(
        reverse("coupons:claim", kwargs={"pk": coupon.pk}),
        {"next": "/campaigns/x/"},
        follow=False,
    )

    assert response.status_code == 302 and response.url == "/campaigns/x/"
    assert CouponClaim.objects.filter(coupon=coupon, user=user).count() == 1
    said = [str(m) for m in client.get(reverse("coupons:list")).context["messages"]]
    assert any("¥20 off is in your wallet" in m for m in said)


def test_bad_claims_answer_4xx_or_a_clear_message_and_change_nothing(client):
    ended = make_coupon(
        claim_start=timezone.now() - timedelta(days=3),
        claim_end=timezone.now() - timedelta(days=1),
    )
    sold_out = make_coupon(total=1)
    coupon_claim(coupon_id=sold_out.pk, user=shopper())
    client.force_login(shopper())
    claims = CouponClaim.objects.count()

    unknown = client.post(reverse("coupons:claim", kwargs={"pk": 999_999}))
    assert unknown.status_code == 404
    assert (
        client.get(reverse("coupons:claim", kwargs={"pk": ended.pk})).status_code == 405
    )
    offsite = client.post(
        reverse("coupons:claim", kwargs={"pk": ended.pk}),
        {"next": "https://evil.example/"},
    )
    assert offsite.status_code == 302 and offsite.url == reverse("coupons:list")
    said = [str(m) for m in client.get(reverse("coupons:list")).context["messages"]]
    assert said == [f"{ended.name} can no longer be claimed."]
    json = client.post(
        reverse("coupons:claim", kwargs={"pk": sold_out.pk}),
        headers={"Accept": "application/json"},
    )
    assert json.status_code == 409
    assert json.json()["state"] == "sold_out"
    assert CouponClaim.objects.count() == claims
    assert Coupon.objects.get(pk=sold_out.pk).num_claimed == 1


def test_the_state_endpoint_says_what_this_shopper_can_do(client):
    mine, open_ = make_coupon(), make_coupon()
    user = shopper()
    coupon_claim(coupon_id=mine.pk, user=user)
    url = reverse("coupons:state")

    guest = client.get(url, {"ids": f"{mine.pk},{open_.pk},999999"}).json()
    client.force_login(user)
    signed_in = client.get(url, {"ids": f"{mine.pk},{open_.pk}"})

    assert guest["coupons"][str(open_.pk)]["state"] == "sign_in"
    assert "999999" not in guest["coupons"]
    states = signed_in.json()["coupons"]
    assert states[str(mine.pk)]["state"] == "claimed"
    assert states[str(mine.pk)]["can_claim"] is False
    assert states[str(open_.pk)] == {
        "state": "claimable",
        "can_claim": True,
        "yours": 0,
        "left": 20,
        "label": "Claim",
    }
    assert "no-store" in signed_in["Cache-Control"]
    assert client.get(url, {"ids": "1,x"}).status_code == 400
    assert client.get(url, {"ids": ",".join(map(str, range(60)))}).status_code == 400


def test_the_coupon_centre_lists_claimable_coupons_with_my_state(client):
    coupon = make_coupon(name="¥20 off orders over ¥100")
    user = shopper()
    coupon_claim(coupon_id=coupon.pk, user=user)
    client.force_login(user)

    page = client.get(reverse("coupons:list"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "¥20 off orders over ¥100" in html
    (card,) = [c for c in page.context["cards"] if c["coupon"] == coupon]
    assert card["state"].code == "claimed"
    assert card["claimed_percent"] == 5


def test_the_coupon_centre_speaks_chinese(client):
    coupon = make_coupon(amount=20, min_spend=199)
    # The language a request activates stays with the thread: give it back after.
    with translation.override(translation.get_language()):
        client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
        html = client.get(reverse("coupons:list")).content.decode()
        client.force_login(shopper())
        client.post(reverse("coupons:claim", kwargs={"pk": coupon.pk}))
        page = client.get(reverse("coupons:list"))
        said = [str(m) for m in page.context["messages"]]

    assert "领券中心" in html and "减 ¥20.00" in html and "满 ¥199.00 可用" in html
    assert ">登录后领取<" in html and "领取后 7 天内有效" in html
    assert said and "已放入您的卡包" in said[0]


def test_hostile_ids_and_parameters_get_4xx_or_are_ignored(client):
    client.force_login(shopper())
    huge = "9" * 30

    assert client.post(f"/shop/coupons/{huge}/claim/").status_code == 404
    assert client.post(f"/shop/coupons/mine/{huge}/apply/").status_code == 404
    state = client.get(reverse("coupons:state"), {"ids": f"{huge},-1"})
    assert state.status_code == 200 and state.json()["coupons"] == {}
    assert client.get(reverse("coupons:wallet"), {"state": "<x>"}).status_code == 200
    coupon = make_coupon()
    sneaky = client.post(
        reverse("coupons:claim", kwargs={"pk": coupon.pk}),
        {"next": "javascript:alert(1)"},
    )
    assert sneaky.status_code == 302 and sneaky.url == reverse("coupons:list")
