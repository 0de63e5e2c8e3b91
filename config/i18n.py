"""Django's LocaleMiddleware, minus one redirect.

Wagtail's pages sit under a language prefix (/zh-hans/…, /en/…) and its catch-all
matches any path there, so Django would answer every 404 without a prefix with a
redirect to the prefixed path, including a 404 a shop view gives on purpose (an
unknown product posted to /shop/basket/add/<pk>/ must stay a 404). Only a path
that matches no URL at all (`/`, an old link to a page) is sent on to the
shopper's language."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and request.resolver_match is not None:
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
