from django.db.models import Q
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


def in_category(products, category):
    """`products` narrowed to `category` and its subcategories. A parent counts when
    one of its variants is filed there; the subquery keeps rows unique."""
    categories = category.get_descendants_and_self()
    filed = Product.objects.filter(
        Q(categories__in=categories) | Q(children__categories__in=categories)
    )
    return products.filter(pk__in=filed.values("pk"))
