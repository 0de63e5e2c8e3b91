"""Serve the demo shop; with no Stripe keys configured, start localstripe beside it
so the whole purchase works offline (test card 4242 4242 4242 4242)."""

import atexit
import os
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from shop.payments.stripe.localstripe import localstripe_start

LOCALSTRIPE_PORT = 8420
LOCAL_KEYS = {
    "STRIPE_SECRET_KEY": "sk_test_localstripe",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_localstripe",
    "STRIPE_WEBHOOK_SECRET": "whsec_localstripe",
}


class Command(BaseCommand):
    help = "Run the demo shop (and localstripe when no Stripe keys are set)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if not settings.STRIPE_SECRET_KEY:
            self._start_localstripe(addrport)
        call_command("runserver", addrport)

    def _start_localstripe(self, addrport):
        base = f"http://127.0.0.1:{LOCALSTRIPE_PORT}"
        log = Path(tempfile.gettempdir()) / "mallard-localstripe.log"
        atexit.register(localstripe_start(LOCALSTRIPE_PORT, log=log).terminate)
        # runserver's reloaded child reads the settings from this environment.
        os.environ.update(
            LOCAL_KEYS,
            STRIPE_API_BASE=base,
            STRIPE_JS_URL=f"{base}/js.stripe.com/v3/",
        )
        settings.STRIPE_SECRET_KEY = LOCAL_KEYS["STRIPE_SECRET_KEY"]
        webhook = urllib.parse.urlencode(
            {
                "url": f"http://{addrport}/shop/checkout/stripe/webhook/",
                "secret": LOCAL_KEYS["STRIPE_WEBHOOK_SECRET"],
            }
        ).encode()
        urllib.request.urlopen(f"{base}/_config/webhooks/mallard", webhook).read()
        self.stdout.write(
            f"localstripe (fake Stripe) on {base}: pay with 4242 4242 4242 4242, "
            "any future date, any CVC."
        )
