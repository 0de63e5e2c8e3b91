"""Bench data on top of `seed_demo --products 10000`: campaign pages of 4, 48 and 96
hand-picked tiles, a category holding the same 48 products (so Oscar's category listing
shows exactly what the 48-tile campaign shows), one product with endless stock for
add-to-basket and checkout under load, and a sale: a site offer on that product and a
48-tile campaign showing it, for checkouts to buy from while the page is loaded.
Idempotent; prints the URLs it made as JSON.

`python -m bench.fixtures flash --starts-in S --pool M --limit L` makes a flash sale
whose session starts S seconds from now, selling M units of a product of its own
(at most L per shopper), and a campaign page showing it above 48 tiles; it prints
that page's URL, the flash basket button's URL and the session's start. A new sale
each run (orders keep earlier ones).

Run inside the bench environment: `python -m bench.fixtures` (run.py does).
"""

import json
import sys

TILE_COUNTS = (4, 48, 96)
LISTED = 48
CATEGORY_PATH = "Bench > Campaign 48 tiles"
CAMPAIGN_SLUG = "bench-{n}-tiles"
SALE_SLUG = "bench-sale"
SALE_OFFER = "Bench sale: 10% off"
SEARCH_QUERY = "tea"
BROWSE_CATEGORY = "Fresh food"
ENDLESS = 10**9


def _setup():
    import django

    django.setup()


def bench_fixtures() -> dict:
    from django.db import transaction
    from django.urls import reverse
    from oscar.apps.catalogue.categories import create_from_breadcrumbs
    from oscar.core.loading import get_model
    from wagtail.images import get_image_model

    from home.demo.catalogue import GENERATED_PREFIX
    from home.demo.content import HERO_TITLE
    from home.models import CampaignIndexPage, CampaignPage

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    ProductCategory = get_model("catalogue", "ProductCategory")
    StockRecord = get_model("partner", "StockRecord")

    # The first generated products in stock, by id: the same picks every run.
    picks = list(
        Product.objects.browsable()
        .filter(upc__startswith=GENERATED_PREFIX, stockrecords__num_in_stock__gt=0)
        .order_by("pk")
        .distinct()[: max(TILE_COUNTS) + 1]
    )
    if len(picks) < max(TILE_COUNTS) + 1:
        raise SystemExit("Not enough generated products: seed_demo --products 10000")
    tiles, buy = picks[: max(TILE_COUNTS)], picks[max(TILE_COUNTS)]

    with transaction.atomic():
        index = CampaignIndexPage.objects.first()
        if index is None:
            raise SystemExit("No campaign index: run seed_demo first")
        hero = get_image_model().objects.filter(title=HERO_TITLE).first()
        campaigns = {}
        for count in TILE_COUNTS:
            campaigns[count] = _campaign(
                CampaignPage, index, count=count, products=tiles[:count], hero=hero
            )

        category = create_from_breadcrumbs(CATEGORY_PATH)
        listed = tiles[:LISTED]
        ProductCategory.objects.filter(category=category).exclude(
            product__in=listed
        ).delete()
        have = set(
            ProductCategory.objects.filter(category=category).values_list(
                "product_id", flat=True
            )
        )
        ProductCategory.objects.bulk_create(
            ProductCategory(product=p, category=category)
            for p in listed
            if p.pk not in have
        )

        # Add-to-basket and checkout under load take from one product that never
        # runs out; earlier runs' allocations are forgotten.
        StockRecord.objects.filter(product=buy).update(
            num_in_stock=ENDLESS, num_allocated=0
        )
        sale = _campaign(
            CampaignPage,
            index,
            count=LISTED,
            products=[*tiles[: LISTED - 1], buy],
            hero=hero,
            slug=SALE_SLUG,
        )
        _sale_offer(buy)

    # The seeded (English) name: a bare `name` lookup is the active language's.
    browse = Category.objects.get(name_en=BROWSE_CATEGORY, depth=1)
    return {
        "campaign_urls": {str(n): page.url for n, page in campaigns.items()},
        "campaign_ids": {str(n): page.pk for n, page in campaigns.items()},
        "sale_url": sale.url,
        "campaign_product_ids": [p.pk for p in tiles[:LISTED]],
        "listing_url": category.get_absolute_url(),
        "product_url": tiles[0].get_absolute_url(),
        "category_url": browse.get_absolute_url(),
        "search_url": f"{reverse('search:search')}?q={SEARCH_QUERY}",
        "home_url": "/",
        "floor_url": "/bench/floor/",
        "buy_product_id": buy.pk,
        "basket_add_url": reverse("basket:add", kwargs={"pk": buy.pk}),
        "checkout_urls": {
            name: reverse(f"checkout:{name}")
            for name in (
                "index",
                "shipping-address",
                "shipping-method",
                "payment-details",
                "thank-you",
            )
        },
        "products": Product.objects.count(),
    }


def _campaign(CampaignPage, index, *, count, products, hero, slug=None):
    """A campaign of `count` hand-picked tiles; republished only when the picks
    change, so re-runs leave it (and its revisions) alone."""
    slug = slug or CAMPAIGN_SLUG.format(n=count)
    ids = [p.pk for p in products]
    page = CampaignPage.objects.child_of(index).filter(slug=slug).first()
    if page is not None and page.live and page.product_ids() == ids:
        return page
    body = [
        (
            "product_grid",
            {
                "heading": f"{count} picks",
                "source": "picked",
                "products": products,
                "when_unavailable": "sold_out",
            },
        )
    ]
    if page is None:
        page = CampaignPage(
            title=f"Bench: {count} tiles",
            slug=slug,
            intro="Load-test campaign: hand-picked products.",
            hero_image=hero,
            body=body,
        )
        index.add_child(instance=page)
    else:
        page.body = body
    page.save_revision().publish()
    return page


def _sale_offer(product) -> None:
    """A site offer on `product` with no limits: every checkout of it is discounted,
    so Oscar records the offer's usage with every order, as on a sale day."""
    from oscar.core.loading import get_model

    ConditionalOffer = get_model("offer", "ConditionalOffer")
    Range = get_model("offer", "Range")
    range_, _ = Range.objects.get_or_create(name=SALE_OFFER)
    range_.add_product(product)
    if ConditionalOffer.objects.filter(name=SALE_OFFER).exists():
        return
    ConditionalOffer.objects.create(
        name=SALE_OFFER,
        offer_type=ConditionalOffer.SITE,
        condition=get_model("offer", "Condition").objects.create(
            range=range_, type="Count", value=1
        ),
        benefit=get_model("offer", "Benefit").objects.create(
            range=range_, type="Percentage", value=10
        ),
    )


FLASH_SLUG = "bench-flash"
FLASH_STOCK = 10**6


def flash_fixture(*, starts_in: float, pool: int, limit: int) -> dict:
    """A flash sale starting `starts_in` seconds from now on a product of its own,
    approved by a second merchandiser, shown by a campaign page above 48 tiles."""
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.urls import reverse
    from django.utils import timezone
    from oscar.core.loading import get_model

    from home.demo.catalogue import GENERATED_PREFIX
    from home.models import CampaignIndexPage, CampaignPage
    from shop.flashsales import services

    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    picks = list(
        Product.objects.browsable()
        .filter(upc__startswith=GENERATED_PREFIX, stockrecords__num_in_stock__gt=0)
        .order_by("pk")
        .distinct()[: max(TILE_COUNTS) + 2]
    )
    tiles, kettle = picks[:LISTED], picks[max(TILE_COUNTS) + 1]
    # Its own product, with stock outside the pool that must stay untouched.
    StockRecord.objects.filter(product=kettle).update(
        num_in_stock=FLASH_STOCK, num_allocated=0
    )
    users = []
    for username in ("bench-flash-author", "bench-flash-approver"):
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True}
        )
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label="flashsales")
        )
        users.append(get_user_model().objects.get(pk=user.pk))
    author, approver = users
    start = timezone.now() + timedelta(seconds=starts_in)
    sale = services.sale_create(name=f"Bench flash sale {start:%H:%M:%S}", by=author)
    session = services.session_add(
        sale=sale, starts_at=start, ends_at=start + timedelta(hours=1), by=author
    )
    record = kettle.stockrecords.first()
    item = services.item_add(
        session=session,
        product=kettle,
        flash_price=(record.price / 2).quantize(Decimal("0.01")),
        pool=pool,
        limit_per_shopper=limit,
        by=author,
    )
    services.sale_approve(sale=sale, by=approver)

    index = CampaignIndexPage.objects.first()
    body = [
        ("flash_sale", {"sale": sale, "heading": "Flash sale"}),
        (
            "product_grid",
            {
                "heading": f"{LISTED} picks",
                "source": "picked",
                "products": tiles,
                "when_unavailable": "sold_out",
            },
        ),
    ]
    page = CampaignPage.objects.child_of(index).filter(slug=FLASH_SLUG).first()
    if page is None:
        page = CampaignPage(title="Bench: flash sale", slug=FLASH_SLUG, body=body)
        index.add_child(instance=page)
    else:
        page.body = body
    page.save_revision().publish()
    return {
        "flash_url": page.url,
        "flash_add_url": reverse("flashsales:add", kwargs={"pk": item.pk}),
        "flash_item_id": item.pk,
        "flash_starts_at": start.timestamp(),
        "flash_pool": pool,
        "flash_limit": limit,
        "flash_stock": FLASH_STOCK,
    }


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("what", nargs="?", default="all", choices=["all", "flash"])
    parser.add_argument("--starts-in", type=float, default=20)
    parser.add_argument("--pool", type=int, default=50)
    parser.add_argument("--limit", type=int, default=2)
    args = parser.parse_args()
    _setup()
    if args.what == "flash":
        made = flash_fixture(starts_in=args.starts_in, pool=args.pool, limit=args.limit)
    else:
        made = bench_fixtures()
    json.dump(made, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
