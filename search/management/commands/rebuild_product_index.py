from django.core.management.base import BaseCommand
from oscar.core.loading import get_model
from tqdm import tqdm

from search.indexing import product_index_rebuild

Product = get_model("catalogue", "Product")


class Command(BaseCommand):
    help = "Recompute every product's search price and stock, and re-index it."

    def handle(self, *args, **options):
        total = Product.objects.filter(parent__isnull=True).count()
        with tqdm(
            total=total,
            unit="product",
            file=self.stderr,
            disable=options["verbosity"] == 0,
        ) as bar:
            indexed = product_index_rebuild(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indexed {indexed} browsable products."))
