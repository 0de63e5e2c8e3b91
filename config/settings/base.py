"""Settings shared by every environment; each value that differs comes from the env."""

import os
from pathlib import Path

import dj_database_url
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403  Oscar's documented way to get its defaults

from shop.fulfilment import statuses as fulfilment_statuses

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DJANGO_APPS = [
    # Before the admin: its admin integration and the translated fields' patches
    # must be in place when the admin and Oscar's dashboard forms load.
    "modeltranslation",
    "config.admin_site.SuperuserAdminConfig",  # django.contrib.admin
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Oscar needs the sites framework (SITE_ID); Wagtail has its own Site model.
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
]

OSCAR_APPS = [
    "shop.config.MallardShop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "shop.address.apps.AddressConfig",
    "shop.shipping.apps.ShippingConfig",
    "shop.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "shop.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "shop.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "shop.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "shop.customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "shop.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "shop.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "shop.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "shop.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "shop.dashboard.shipping.apps.ShippingDashboardConfig",
    # Who changed which offer or voucher (not a fork: Oscar's models, audited).
    "shop.promotions.apps.PromotionsConfig",
    # After payment: dispatch with carriers, cancellation, refunds by line, over
    # Oscar's status pipelines and events (not a fork: Oscar's order models).
    "shop.fulfilment.apps.FulfilmentConfig",
    # The coupon centre: claimable coupons issued as personal Oscar vouchers.
    "shop.coupons.apps.CouponsConfig",
    "shop.dashboard.coupons.apps.CouponsDashboardConfig",
    # Flash sales (秒杀) and their dashboard (mounted by shop.dashboard).
    "shop.flashsales.apps.FlashSalesConfig",
    "shop.flashsales.dashboard.apps.FlashSalesDashboardConfig",
]

THIRD_PARTY_APPS = [
    "widget_tweaks",
    # haystack before wagtail.search: both ship `update_index`, the first listed wins.
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Editors translate pages through wagtail-localize (it replaces wagtail.locales).
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
]

LOCAL_APPS = [
    "pagecache",
    "monitoring",
    "insights",
    "home",
]

INSTALLED_APPS = DJANGO_APPS + OSCAR_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.request_guards.RefuseNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.i18n.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shop.promotions.changes.PromotionActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wagtail and Oscar write from several requests at once; wait instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Redis, when configured, backs the cache, the sessions and Celery's broker.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "mallard"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# sorl-thumbnail looks up every thumbnail it has made (two lookups per product tile).
# Those answers never change for a given picture and size, so each process keeps its
# own copy in memory rather than asking Redis 96 times for a page of 48 tiles; the
# database stays the record, and an hour bounds how long a deleted picture lingers.
CACHES["thumbnails"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "thumbnails",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 50_000},
}
THUMBNAIL_CACHE = "thumbnails"
THUMBNAIL_CACHE_TIMEOUT = 3600

# Page cache for Wagtail shop pages (pagecache/): on unless MALLARD_PAGE_CACHE=0.
# Entries are invalidated as content and commerce data change; the timeout only
# bounds how long anything missed could show.
PAGE_CACHE_ENABLED = os.environ.get("MALLARD_PAGE_CACHE", "1").strip() != "0"
PAGE_CACHE_TIMEOUT = int(os.environ.get("MALLARD_PAGE_CACHE_TIMEOUT", "300"))
# Stock levels, reservations and sales counts change with every order: a page
# showing them re-renders at most once per this many seconds, and shows a change
# at most this late.
PAGE_CACHE_STOCK_SECONDS = float(
    os.environ.get("MALLARD_PAGE_CACHE_STOCK_SECONDS", "5")
)
# The query parameters Wagtail pages read (none: they paginate nothing). A cacheable
# page request renders without the others, so tracking or junk parameters share
# one entry.
PAGE_CACHE_QUERY_PARAMS: list[str] = []
# A visitor with one of these cookies gets the page chrome rendered for them (the
# basket badge); only the body comes from the cache.
PAGE_CACHE_PRIVATE_COOKIES = [OSCAR_BASKET_COOKIE_OPEN]  # noqa: F405
# A deploy changing anything here starts a fresh set of entries.
PAGE_CACHE_RELEASE_FOLDERS = [
    "templates",
    "static",
    "locale",
    "pagecache",
    "home",
    "shop",
]
# Answers cacheable page requests before Wagtail routing (checks the setting itself).
MIDDLEWARE.append("pagecache.serving.PageCacheMiddleware")

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# With late acks a message stays unacknowledged on Redis while its task runs; if the
# worker dies, Redis hands it out again only after this many seconds (Kombu's default
# is an hour). Ten minutes: longer than any of our tasks runs (so a running task is
# never given to a second worker), short enough that work lost with a worker comes
# back the same hour. Webhook events don't wait for it: beat re-queues them first.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "mallard")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {
        "task": "home.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    "release-expired-stock-reservations": {
        "task": "shop.partner.tasks.release_expired_reservations",
        "schedule": 60.0,
    },
    # Payment webhook events whose processing died (a killed worker) are queued
    # again once they have waited unprocessed for a few minutes.
    "requeue-stuck-gateway-events": {
        "task": "shop.checkout.tasks.requeue_stuck_gateway_events",
        "schedule": 60.0,
    },
    # Ended flash sessions: record the unsold units given back, drop their holds.
    "close-ended-flash-sessions": {
        "task": "shop.flashsales.tasks.close_ended_sessions",
        "schedule": 60.0,
    },
    # Orders nobody confirmed are completed ORDER_AUTO_COMPLETE_DAYS after dispatch.
    "auto-complete-orders": {
        "task": "shop.fulfilment.tasks.auto_complete_orders",
        "schedule": 3600.0,
    },
}
# Who hears about low stock: the merchandisers' group, plus any listed addresses.
MERCHANDISER_GROUP = "Merchandisers"
STOCK_ALERT_EMAILS = env_list("STOCK_ALERT_EMAILS")
# How long a shopper at the payment step holds the basket's units.
STOCK_RESERVATION_MINUTES = int(os.environ.get("STOCK_RESERVATION_MINUTES", "15"))

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
]
LOGIN_URL = reverse_lazy("customer:login")
LOGIN_REDIRECT_URL = "/"

# Chinese first: most shoppers read it. A request without a language prefix, cookie
# or Accept-Language the site knows gets it; English is the other full version.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
# locale/ is ours (makemessages writes it); locale_vendor/ corrects and completes
# Oscar's and Wagtail's own catalogs for strings our sources don't contain, so
# makemessages never comments them out.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
# Catalogue data (product titles, category names, offers, ...) is translated with
# django-modeltranslation: one column per language beside Oscar's own. The data was
# written in English, so English is the translations' default language whatever
# LANGUAGE_CODE says, and a missing translation shows the English text (an
# English-only missing text shows the Chinese one rather than nothing).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "zh-hans")}
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files only some people may see (after-sales photos): outside MEDIA_ROOT, never
# under MEDIA_URL, served by views that check who asks. Production may point the
# "private" storage at a private bucket instead.
PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads, Wagtail renditions and Oscar thumbnails on S3-compatible object storage
# when a bucket is named, so any web node serves what another stored; local disk
# stays the zero-setup default. The public bucket lets anyone read (a bucket
# policy), so pages and caches share plain URLs. Credentials come from boto3's own
# environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never from here.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    # The public bucket through django-storages' own settings, not OPTIONS:
    # sorl-thumbnail (Oscar's thumbnails) builds its storage from the class alone.
    AWS_STORAGE_BUCKET_NAME = MEDIA_S3_BUCKET
    AWS_S3_ENDPOINT_URL = os.environ.get("MEDIA_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("MEDIA_S3_REGION") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("MEDIA_S3_CUSTOM_DOMAIN") or None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    THUMBNAIL_STORAGE = STORAGES["default"]["BACKEND"]
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        # Read only through views that check who asks: a bucket of its own, so the
        # public bucket's read-for-everyone policy can never reach it.
        "OPTIONS": {
            "bucket_name": os.environ.get(
                "MEDIA_S3_PRIVATE_BUCKET", f"{MEDIA_S3_BUCKET}-private"
            ),
            "querystring_auth": True,
        },
    }

EMAIL_BACKEND = "shop.communication.backends.CeleryEmailBackend"
# The backend the Celery task hands finished messages to.
MALLARD_DELIVERY_EMAIL_BACKEND = os.environ.get(
    "DELIVERY_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mallard <shop@mallard.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SITE_ID = 1
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "Mallard"
# Every page has a Chinese and an English version (/zh-hans/…, /en/…), the Chinese
# tree first; editors make one from the other with wagtail-localize.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Autosave off: a publish clicked while an autosave is in flight could leave a new
# page a draft under a "published" message (seen with Wagtail 8.0.1 in the editor's
# browser journey). No gravatar: the admin must not call out to a third party.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# One search backend for pages and products: PostgreSQL full-text search (with
# trigram typo tolerance) on PostgreSQL, SQLite's FTS otherwise, both cutting
# Chinese text into words (search/backend.py). For a large
# catalogue point it at OpenSearch/Elasticsearch, e.g. SEARCH_BACKEND=
# modelsearch.backends.opensearch3 and SEARCH_URL=http://opensearch:9200.
SEARCH_BACKEND = {
    "BACKEND": os.environ.get("SEARCH_BACKEND", "search.backend"),
    "AUTO_UPDATE": True,
}
if os.environ.get("SEARCH_URL"):
    SEARCH_BACKEND["URLS"] = [os.environ["SEARCH_URL"]]
    SEARCH_BACKEND["INDEX"] = os.environ.get("SEARCH_INDEX", "mallard")
WAGTAILSEARCH_BACKENDS = {"default": SEARCH_BACKEND}
# The search page's "hot searches" list a query only once this many sessions searched
# it and found something (and no editor-blocked term is in it), so one visitor can't
# put words on the page.
HOT_SEARCH_MIN_SESSIONS = int(os.environ.get("HOT_SEARCH_MIN_SESSIONS", "3"))
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]

# Oscar
OSCAR_SHOP_NAME = "Mallard"
OSCAR_SHOP_TAGLINE = _("Mini program mall")
OSCAR_HOMEPAGE = "/"
OSCAR_DEFAULT_CURRENCY = "CNY"
# Babel writes "CN¥" in English (telling yuan from yen for a world audience); a
# mall selling in yuan shows ¥ with two decimals in every language.
OSCAR_CURRENCY_FORMAT = {"CNY": {"format": "¥#,##0.00"}}
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_ALLOW_ANON_CHECKOUT = True
# Reviews come from shoppers whose order with the product arrived
# (shop/customer_orders.py user_may_review), never anonymously.
OSCAR_ALLOW_ANON_REVIEWS = False
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_URL_SCHEMA = os.environ.get("SITE_SCHEME", "http")
# The life of an order after payment (shop/fulfilment/statuses.py says why).
OSCAR_INITIAL_ORDER_STATUS = fulfilment_statuses.INITIAL
OSCAR_INITIAL_LINE_STATUS = fulfilment_statuses.INITIAL
OSCAR_ORDER_STATUS_PIPELINE = fulfilment_statuses.ORDER_PIPELINE
OSCAR_LINE_STATUS_PIPELINE = fulfilment_statuses.LINE_PIPELINE
OSCAR_ORDER_STATUS_CASCADE = fulfilment_statuses.CASCADE
# Oscar's dashboard menu, with the fulfilment pages after "Orders".
OSCAR_DASHBOARD_NAVIGATION = [
    (
        {
            **item,
            "children": [
                *item["children"][:1],
                {"label": _("After-sales"), "url_name": "dashboard:aftersales-list"},
                {
                    "label": _("Import tracking numbers"),
                    "url_name": "dashboard:order-tracking-import",
                },
                *item["children"][1:],
            ],
        }
        if item.get("children")
        and item["children"][0].get("url_name") == "dashboard:order-list"
        else item
    )
    for item in OSCAR_DASHBOARD_NAVIGATION  # noqa: F405
]
# A shipped order nobody confirmed is taken as received this many days after
# dispatch; after-sales (returns, refunds) stays open this many days after receipt.
ORDER_AUTO_COMPLETE_DAYS = int(os.environ.get("ORDER_AUTO_COMPLETE_DAYS", "10"))
RETURN_WINDOW_DAYS = int(os.environ.get("RETURN_WINDOW_DAYS", "7"))
# China-style addresses (shop/address/forms.py): recipient, mobile, province
# (state), city (line4), detailed address (line1); the district (line3) where the
# city has districts.
OSCAR_REQUIRED_ADDRESS_FIELDS = (
    "first_name",
    "phone_number",
    "state",
    "line4",
    "line1",
)
# The coupon centre sits in the dashboard's Offers menu, after Oscar's voucher sets.
OSCAR_DASHBOARD_NAVIGATION = [
    {
        **entry,
        "children": [
            *entry["children"],
            {"label": _("Coupon centre"), "url_name": "dashboard:coupon-list"},
        ],
    }
    if entry.get("icon") == "fas fa-bullhorn"
    else entry
    for entry in OSCAR_DASHBOARD_NAVIGATION  # noqa: F405
]
# Flash sales sit with offers and vouchers in the dashboard's menu too.
OSCAR_DASHBOARD_NAVIGATION = [
    {
        **entry,
        "children": [
            *entry["children"],
            {"label": _("Flash sales"), "url_name": "dashboard:flashsale-list"},
        ],
    }
    if entry.get("icon") == "fas fa-bullhorn"
    else entry
    for entry in OSCAR_DASHBOARD_NAVIGATION
]

# Oscar's catalogue pages are served by our database-backed search app; haystack
# stays installed only because Oscar imports it, and never needs a server.
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
}

# Stripe (used by the checkout issue); empty keys mean "use localstripe in dev".
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
# Wallets offered beside cards where the currency allows: "wechat_pay,alipay".
STRIPE_WALLETS = env_list("STRIPE_WALLETS")
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")

# Monitoring (monitoring/): /healthz, /readyz, /metrics, request ids, JSON logs.
# First in the chain, so it times (and ids) everything the others do.
MIDDLEWARE.insert(0, "monitoring.middleware.RequestMonitoringMiddleware")
# /readyz counts the Celery workers as down when none has run the heartbeat task
# (beat queues it every 30 s) for this long.
CELERY_HEARTBEAT_MAX_AGE = int(os.environ.get("CELERY_HEARTBEAT_MAX_AGE", "120"))
CELERY_BEAT_SCHEDULE["worker-heartbeat"] = {
    "task": "monitoring.tasks.worker_heartbeat",
    "schedule": 30.0,
}
# /metrics answers a bearer token or these addresses (CIDR allowed); none set:
# nobody.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS")
# Workers log through LOGGING below (JSON, with the request id), like the web.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "monitoring.context.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "monitoring.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": os.environ.get("LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Campaign attribution (insights/): an order line keeps the last tile touch only if it
# came this many days before the order (else the sale counts as direct).
ATTRIBUTION_WINDOW_DAYS = int(os.environ.get("ATTRIBUTION_WINDOW_DAYS", "7"))
# First-party analytics: off with MALLARD_ANALYTICS=0. Raw events are kept this many
# days; the daily figures stay.
ANALYTICS_ENABLED = os.environ.get("MALLARD_ANALYTICS", "1").strip() != "0"
INSIGHTS_RAW_EVENT_DAYS = int(os.environ.get("INSIGHTS_RAW_EVENT_DAYS", "90"))
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "insights.middleware.AnalyticsMiddleware",
)
CELERY_BEAT_SCHEDULE.update(
    {
        "drain-analytics-events": {
            "task": "insights.tasks.drain_events",
            "schedule": 60.0,
        },
        "roll-up-analytics": {
            "task": "insights.tasks.roll_up_recent_days",
            "schedule": 600.0,
        },
        "delete-old-analytics-events": {
            "task": "insights.tasks.delete_old_events",
            "schedule": 86400.0,
        },
    }
)

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from monitoring.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
