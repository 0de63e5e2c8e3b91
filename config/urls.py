from django.apps import apps
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from shop.checkout.dashboard import OrderRefundView

urlpatterns = [
    # Probes and metrics for operators: outside any language prefix.
    path("", include("monitoring.urls")),
    path("insights/", include("insights.urls")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Oscar's templates reverse set_language once more than one language exists.
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "dashboard/orders/<str:number>/refund/",
        OrderRefundView.as_view(),
        name="dashboard-order-refund",
    ),
    path("dashboard/", apps.get_app_config("dashboard").urls),
    # After-sales sits in the account area, beside Oscar's customer pages.
    path("shop/accounts/after-sales/", include("shop.fulfilment.urls")),
    path("shop/flash-sales/", include("shop.flashsales.urls")),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if getattr(settings, "BENCH_FLOOR_VIEW", False):
    from config.bench_floor import floor

    urlpatterns.append(path("bench/floor/", floor, name="bench-floor"))

# Wagtail's page tree serves everything else, so its catch-all goes last, under the
# language's prefix (/zh-hans/…, /en/…). A path without one (`/`, an old link) is
# sent by LocaleMiddleware to the shopper's language: cookie, then Accept-Language.
# The shop (/shop/) stays unprefixed and follows the same cookie.
urlpatterns += i18n_patterns(path("", include(wagtail_urls)))
