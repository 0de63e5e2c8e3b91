from django.core.management.base import BaseCommand
from django.db import transaction
from oscar.core.loading import get_model
from tqdm import tqdm

from home.demo import catalogue, content, coupons, offers, users
from search.indexing import product_index_rebuild

Product = get_model("catalogue", "Product")

HOME_PICKS = [
    "MAL-4001",
    "MAL-1001",
    "MAL-2001",
    "MAL-3001",
    "MAL-1002",
    "MAL-4004",
    "MAL-5000",
    "MAL-1008",
]
HOME_FRESH = ["MAL-1003", "MAL-1004", "MAL-1005", "MAL-1006", "MAL-1007", "MAL-1009"]


class Command(BaseCommand):
    help = (
        "Create (or top up) the demo mall. Safe to run again: nothing is created twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products",
            type=int,
            default=0,
            help="Grow the catalogue to at least this many products (generated ones).",
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the existing demo users new passwords and print them.",
        )
        parser.add_argument("--domain", default="127.0.0.1:8000")

    def handle(self, *args, products, reset_passwords, domain, **options):
        with transaction.atomic():
            catalogue.seed_site(domain=domain)
            catalogue.seed_countries()
            catalogue.seed_shipping()
            categories = catalogue.seed_categories()
            classes = catalogue.seed_product_classes()
            partner = catalogue.seed_partner()
            created = catalogue.seed_products(
                categories=categories, classes=classes, partner=partner
            )
            by_upc = Product.objects.in_bulk(HOME_PICKS + HOME_FRESH, field_name="upc")
            homes = content.seed_home_page(
                picks=[by_upc[upc] for upc in HOME_PICKS],
                fresh=[by_upc[upc] for upc in HOME_FRESH],
            )
            content.seed_help_pages(homes)
            sale, spring, voucher = offers.seed_offers()
            coupons.seed_coupons()
            content.seed_campaigns(
                homes,
                sale=sale,
                spring=spring,
                voucher=voucher,
                spotlight=by_upc["MAL-4001"],
                categories=[
                    categories[key] for key in ("fruit", "tea", "audio", "tops")
                ],
            )
            editors, merchandisers = users.seed_groups(homes=list(homes.values()))
            demo_users = users.seed_users(
                editors=editors,
                merchandisers=merchandisers,
                reset_passwords=reset_passwords,
            )

        if products > Product.objects.count():
            with tqdm(
                total=products - Product.objects.count(),
                unit="product",
                file=self.stderr,
                disable=options["verbosity"] == 0,
            ) as bar:
                created += catalogue.seed_generated_products(
                    total=products,
                    categories=categories,
                    classes=classes,
                    partner=partner,
                    progress=bar.update,
                )

        # Seeding writes in bulk, past the signals that keep the search index current.
        product_index_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo mall ready: {Product.objects.count()} products "
                f"({created} created this run)."
            )
        )
        self._print_logins(demo_users, domain)

    def _print_logins(self, demo_users, domain):
        self.stdout.write(
            "\nDemo logins (Wagtail admin /admin/, Oscar dashboard /dashboard/, "
            "shop /shop/accounts/login/):"
        )
        for user in demo_users:
            password = user.password or "(unchanged; run with --reset-passwords)"
            self.stdout.write(f"  {user.role:<17} {user.username:<13} {password}")
        self.stdout.write(f"\nShop: http://{domain}/")
