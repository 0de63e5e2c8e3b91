from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.models import *  # noqa: F403  Oscar's forking convention


class StockReservation(models.Model):
    """Units of a stock record held for one basket while its shopper pays.

    Held units count against availability for every other basket until the order
    is placed (they become Oscar's allocation) or the hold expires.
    """

    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.CASCADE, related_name="reservations"
    )
    basket = models.ForeignKey(
        "basket.Basket", on_delete=models.CASCADE, related_name="stock_reservations"
    )
    quantity = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stockrecord", "basket"], name="one_reservation_per_basket_line"
            )
        ]
        verbose_name = _("stock reservation")

    def __str__(self):
        return f"{self.quantity} × {self.stockrecord} for basket {self.basket_id}"
