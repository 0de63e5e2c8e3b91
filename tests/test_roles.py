"""Each role reaches its own admin and is refused the other's."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage, StandardPage

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def _reaches_wagtail_admin(client) -> bool:
    response = client.get(reverse("wagtailadmin_home"))
    return response.status_code == 200


def _reaches_dashboard(client) -> bool:
    response = client.get(reverse("dashboard:index"))
    return response.status_code == 200


def _publish_new_page(client, parent, **fields):
    url = reverse("wagtailadmin_pages:add", args=("home", "standardpage", parent.pk))
    data = nested_form_data(
        {
            "title": fields.get("title", "Delivery times"),
            "slug": fields.get("slug", "delivery-times"),
            "body": streamfield(
                [("rich_text", rich_text("<p>Next-day delivery.</p>"))]
            ),
            "action-publish": "publish",
        }
    )
    return client.post(url, data)


def test_editor_reaches_wagtail_and_publishes_but_is_refused_the_dashboard(
    client, demo_user
):
    client.force_login(demo_user("editor"))
    home = HomePage.objects.get(locale__language_code="en")

    assert _reaches_wagtail_admin(client)
    response = _publish_new_page(client, home)

    assert response.status_code == 302
    page = StandardPage.objects.get(slug="delivery-times", locale__language_code="en")
    assert page.live
    assert client.get(page.url).status_code == 200
    assert not _reaches_dashboard(client)
    assert client.get(reverse("dashboard:catalogue-product-list")).status_code in (
        302,
        403,
    )


def test_merchandiser_reaches_the_dashboard_but_cannot_publish_pages(client, demo_user):
    client.force_login(demo_user("merchandiser"))
    home = HomePage.objects.get(locale__language_code="en")

    for name in [
        "dashboard:index",
        "dashboard:catalogue-product-list",
        "dashboard:order-list",
        "dashboard:offer-list",
        "dashboard:voucher-list",
        "dashboard:stock-alert-list",
        "dashboard:shipping-method-list",
    ]:
        assert client.get(reverse(name)).status_code == 200, name
    assert not _reaches_wagtail_admin(client)
    response = _publish_new_page(client, home, slug="sneaky")

    assert response.status_code in (302, 403)
    assert not Page.objects.filter(slug="sneaky").exists()
    home.refresh_from_db()
    assert not home.permissions_for_user(demo_user("merchandiser")).can_publish()


def test_shopper_reaches_neither_admin(client, demo_user):
    client.force_login(demo_user("shopper"))

    assert not _reaches_wagtail_admin(client)
    assert not _reaches_dashboard(client)
    assert client.get(reverse("customer:profile-view")).status_code == 200


def test_editor_cannot_take_a_slug_the_shop_uses(client, demo_user):
    client.force_login(demo_user("editor"))

    response = _publish_new_page(
        client,
        HomePage.objects.get(locale__language_code="en"),
        title="Shop",
        slug="shop",
    )

    assert response.status_code == 200
    assert "is used by the shop itself" in response.content.decode()
    assert not StandardPage.objects.filter(slug="shop").exists()


def test_only_administrators_reach_the_django_admin(client, demo_user):
    product = Product.objects.filter(parent__isnull=True).first()
    change = reverse("admin:catalogue_product_change", args=(product.pk,))
    pages = [
        reverse("admin:index"),
        reverse("admin:catalogue_product_changelist"),
        change,
        reverse("admin:order_order_changelist"),
    ]
    # Staff with permissions on these very models, but not a superuser.
    client.force_login(demo_user("merchandiser"))

    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login"))
    client.post(change, {"title": "Changed behind the dashboard's back"})
    assert Product.objects.get(pk=product.pk).title == product.title
    assert _reaches_dashboard(client)  # the merchandiser's own admin is untouched

    client.force_login(demo_user("admin"))
    for url in pages:
        assert client.get(url).status_code == 200, url
