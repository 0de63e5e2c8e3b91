from django.db import models
from django.utils.translation import gettext_lazy as _
from modelsearch import index
from oscar.apps.catalogue.abstract_models import AbstractProduct

from .search_fields import TranslatedAutocompleteField, TranslatedSearchField


class Product(index.Indexed, AbstractProduct):
    """Oscar's product, indexed for the site's one search.

    `search_price` and `search_in_stock` are the shopper-facing price and
    availability, copied from stock records by search.indexing after each change
    (through Celery), so search filters and sorts never join stock records.
    """

    search_price = models.DecimalField(
        _("price for search"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        db_index=True,
    )
    search_in_stock = models.BooleanField(
        _("in stock, for search"), default=False, editable=False, db_index=True
    )

    # Oscar's dashboard and our checkout change stock without saving the product:
    # search.indexing keeps the index current instead of modelsearch's own signal.
    search_auto_update = False

    search_fields = [
        # Titles, descriptions and category names in every language.
        TranslatedSearchField("title", boost=3),
        TranslatedAutocompleteField("title"),
        index.SearchField("upc", boost=5),
        TranslatedSearchField("description"),
        index.RelatedFields("categories", [TranslatedSearchField("name", boost=2)]),
        index.RelatedFields("attribute_values", [index.SearchField("value_text")]),
        index.FilterField("id"),
        index.FilterField("parent"),
        index.FilterField("is_public"),
        index.FilterField("structure"),
        index.FilterField("search_price"),
        index.FilterField("search_in_stock"),
        index.FilterField("date_created"),
    ]

    class Meta(AbstractProduct.Meta):
        app_label = "catalogue"

    def is_review_permitted(self, user):
        """Oscar's hook: a review comes from a shopper whose order with this
        product arrived (shop/customer_orders.py), once per shopper."""
        # Imported here: the services module loads Oscar models, which need this one.
        from shop.customer_orders import user_may_review

        return (
            user.is_authenticated
            and not self.has_review_by(user)
            and user_may_review(user=user, product=self)
        )

    @classmethod
    def get_indexed_objects(cls):
        # Shoppers search what they can browse: public parents and standalones.
        return cls.objects.browsable().prefetch_related(
            "categories", "attribute_values"
        )


from oscar.apps.catalogue.models import *  # noqa: E402,F403  Oscar's forking convention
