"""{{ order.status|status_label }}: an order or line status as the reader's
language names it."""

from django import template

from shop.fulfilment.statuses import label

register = template.Library()

register.filter("status_label", label)
