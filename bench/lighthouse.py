"""Lighthouse (npm, pinned in bench/package.json) in Debian's chromium: mobile scores,
LCP, CLS and bytes of a page. Lighthouse's default is the mobile profile (a mid-range
phone, simulated slow 4G); only the performance and accessibility categories run."""

import json
import os
import shutil
import subprocess
from pathlib import Path

from .environment import BENCH

LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)


def chromium() -> str | None:
    return os.environ.get("CHROME_PATH") or shutil.which("chromium")


def version() -> str:
    package = BENCH / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else ""


def audit(url: str, out_base: Path, *, timeout: float = 240) -> dict:
    """Run Lighthouse once; the JSON and HTML reports go to out_base.report.*."""
    env = dict(os.environ, CHROME_PATH=chromium() or "/usr/bin/chromium")
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output=html",
        f"--output-path={out_base}",
        "--only-categories=performance,accessibility",
        f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=60000",
        "--quiet",
    ]
    completed = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout
    )
    report = Path(f"{out_base}.report.json")
    if completed.returncode != 0 or not report.exists():
        return {"error": (completed.stderr or completed.stdout)[-800:]}
    data = json.loads(report.read_text())
    categories, audits = data["categories"], data["audits"]

    def score(category):
        value = categories[category]["score"]
        return None if value is None else round(value * 100)

    def numeric(name, digits=0):
        value = audits.get(name, {}).get("numericValue")
        return None if value is None else round(value, digits)

    failed = [
        audits[ref["id"]]["title"]
        for ref in categories["accessibility"]["auditRefs"]
        if ref.get("weight")
        and audits[ref["id"]].get("score") is not None
        and audits[ref["id"]]["score"] < 1
    ]
    return {
        "performance": score("performance"),
        "accessibility": score("accessibility"),
        "lcp_ms": numeric("largest-contentful-paint"),
        "cls": numeric("cumulative-layout-shift", 3),
        "total_bytes": numeric("total-byte-weight"),
        "fcp_ms": numeric("first-contentful-paint"),
        "tbt_ms": numeric("total-blocking-time"),
        "speed_index_ms": numeric("speed-index"),
        "accessibility_failures": failed,
        "runtime_error": (data.get("runtimeError") or {}).get("message"),
        "report_html": f"{out_base}.report.html",
    }
