from wagtail.admin.panels import Panel

from .promotion_health import history_url, page_promotions, promotion_issues
from .selectors import product_issues


class ProductHealthPanel(Panel):
    """Warns the editor about products on the page that shoppers cannot buy, and
    about its offers and vouchers that no longer work as the page promises."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "home/panels/product_health.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["issues"] = product_issues(page=self.instance)
            context["promotion_issues"] = promotion_issues(page=self.instance)
            offers, vouchers = page_promotions(self.instance)
            context["promotion_logs"] = [
                (offer.name, history_url("offer", offer.pk)) for offer in offers
            ] + [
                (voucher.code, history_url("voucher", voucher.pk))
                for voucher in vouchers
            ]
            return context
