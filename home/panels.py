from wagtail.admin.panels import Panel

from .promotion_health import promotion_issues
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
            return context
