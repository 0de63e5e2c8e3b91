"""Checkout, refunds and the dashboard know payment gateways only through
shop.payments: adding a gateway must never mean editing them."""

import ast
import subprocess
import sys
from pathlib import Path

import shop.checkout
import shop.payments

PAYMENTS = Path(shop.payments.__file__).parent
CHECKOUT = Path(shop.checkout.__file__).parent
GATEWAY_PACKAGES = sorted(
    f"shop.payments.{path.parent.name}" for path in PAYMENTS.glob("*/__init__.py")
)
# Every module of checkout (views, services, refunds, dashboard, events, tasks...).
MODULES = sorted(path for path in CHECKOUT.glob("*.py") if path.name != "__init__.py")


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against shop.checkout
                base = ".".join(["shop", "checkout"][: 3 - node.level] + [base])
            names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
    return names


def test_there_is_a_gateway_package_to_keep_out():
    assert "shop.payments.stripe" in GATEWAY_PACKAGES
    assert {path.name for path in MODULES} >= {
        "views.py",
        "services.py",
        "refunds.py",
        "dashboard.py",
        "events.py",
    }


def test_no_checkout_module_imports_a_gateway_package():
    offenders = {
        f"{path.name}: {name}"
        for path in MODULES
        for name in _imported(path)
        for package in GATEWAY_PACKAGES
        if name == package or name.startswith(package + ".")
    }
    assert offenders == set()


def test_no_gateway_event_names_in_checkout():
    texts = {path.name: path.read_text() for path in MODULES}
    assert [name for name, text in texts.items() if "payment_intent." in text] == []
    assert [name for name, text in texts.items() if '"charge.' in text] == []


def test_importing_checkout_refunds_and_dashboard_loads_no_gateway():
    """In a fresh interpreter: Django set up, checkout's modules imported, and still
    no gateway package loaded (it loads when get_gateway() is first called)."""
    probe = (
        "import sys, django; django.setup();"
        "import shop.checkout.views, shop.checkout.services, shop.checkout.refunds,"
        " shop.checkout.dashboard, shop.checkout.events, shop.checkout.tasks;"
        f"print([m for m in sys.modules if m in {GATEWAY_PACKAGES!r}])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=PAYMENTS.parent.parent,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": ""},
    )
    assert result.stdout.strip() == "[]"
