"""Fulfilment (cancel, refunds by line, after-sales) and the dashboard forks move
money only through shop.payments (by way of checkout's refunds): no module of
theirs imports a gateway package."""

import ast
from pathlib import Path

import shop.dashboard
import shop.fulfilment
import shop.payments

PAYMENTS = Path(shop.payments.__file__).parent
GATEWAY_PACKAGES = sorted(
    f"shop.payments.{path.parent.name}" for path in PAYMENTS.glob("*/__init__.py")
)
MODULES = sorted(
    path
    for root in (shop.fulfilment.__file__, shop.dashboard.__file__)
    for path in Path(root).parent.rglob("*.py")
)


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module or "")
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_modules_checked_include_the_money_moving_ones():
    names = {path.name for path in MODULES}
    assert {"cancel.py", "refunds_by_line.py", "aftersales.py", "views.py"} <= names
    assert "shop.payments.stripe" in GATEWAY_PACKAGES


def test_no_fulfilment_or_dashboard_module_imports_a_gateway_package():
    offenders = {
        f"{path.relative_to(PAYMENTS.parent)}: {name}"
        for path in MODULES
        for name in _imported(path)
        for package in GATEWAY_PACKAGES
        if name == package or name.startswith(package + ".")
    }
    assert offenders == set()
