from django.db.models import Q
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


def in_category(products, category):
    """`products` narrowed to `category` and its subcategories. A parent counts when
    one of its variants is filed there; the subquery keeps rows unique."""
    categories = category.get_descendants_and_self()
    # Two indexed semi-joins: OR-ing across the two outer joins made PostgreSQL scan.
    filed = Product.objects.filter(categories__in=categories).values("pk")
    parents = Product.objects.filter(children__categories__in=categories).values("pk")
    return products.filter(Q(pk__in=filed) | Q(pk__in=parents))
