"""Load from a separate process on loopback: wrk for single requests, and a
multi-process guest-checkout driver for the whole purchase (the same HTTP steps as
tests/checkout_steps.py, paying localstripe as Stripe.js would).

The checkout driver runs as `python -m bench.loadgen checkout ...` (run.py starts it):
it imports nothing from Django, so it measures the server, not itself. `... flash ...`
is the flash sale race: buyers (threads: they mostly wait on the server) who all
press the flash sale's basket button the moment its session starts, then check out.
"""

import argparse
import http.client
import json
import os
import secrets
import string
import subprocess
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

WRK_SCRIPT = Path(__file__).with_name("wrk_report.lua")

# Mirrors tests/checkout_steps.py (tests/test_bench_steps.py holds them together):
# recipient, mobile, province → city → district, detailed address.
ADDRESS = {
    "first_name": "Li Wei",
    "phone_number": "13800138000",
    "state": "上海市",
    "line4": "上海市",
    "line3": "浦东新区",
    "line1": "88 Century Avenue",
}
CARD = {
    "card[number]": "4242424242424242",
    "card[exp_month]": "12",
    "card[exp_year]": "2030",
    "card[cvc]": "123",
}


def csrf_secret() -> str:
    """A CSRF cookie value a browser could hold; Django accepts it unmasked as the
    form token too, so a client needs no page fetch before it posts."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    path: str
    method: str = "GET"
    form: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    expect: int = 200


def basket_add_scenario(path: str) -> Scenario:
    """A new shopper's first tap on "Add to basket" (the tiles' script asks for
    JSON): every request makes a session and a basket."""
    secret = csrf_secret()
    return Scenario(
        name="add_to_basket",
        title="Add to basket (new shopper, JSON)",
        path=path,
        method="POST",
        form={"csrfmiddlewaretoken": secret, "quantity": "1"},
        headers={
            "Cookie": f"csrftoken={secret}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
    )


def wrk_run(
    base_url: str,
    scenario: Scenario,
    *,
    duration: float,
    connections: int,
    threads: int,
    timeout: float = 10,
) -> dict:
    """One bounded wrk run; requests per second, latency percentiles (ms) and
    errors (connection errors, timeouts and HTTP status >= 400)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_path = Path(handle.name)
    env = dict(os.environ)
    env.update(
        BENCH_RESULT=str(result_path),
        BENCH_METHOD=scenario.method,
        BENCH_BODY=urllib.parse.urlencode(scenario.form) if scenario.form else "",
        BENCH_HEADERS="|".join(f"{k}: {v}" for k, v in scenario.headers.items()),
    )
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(duration))}s",
        f"--timeout={round(timeout)}s",
        f"--script={WRK_SCRIPT}",
        base_url + scenario.path,
    ]
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    try:
        raw = json.loads(result_path.read_text())
    except (OSError, ValueError):
        raise RuntimeError(
            f"wrk failed for {scenario.name}:\n{completed.stdout}\n{completed.stderr}"
        ) from None
    finally:
        result_path.unlink(missing_ok=True)
    seconds = raw["duration_us"] / 1e6
    if raw["requests"]:
        latency = {k: round(v / 1000, 1) for k, v in raw["latency_us"].items()}
    else:  # nothing answered in time: no latency to speak of
        latency = dict.fromkeys(raw["latency_us"])
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": latency["p50"],
        "p90_ms": latency["p90"],
        "p95_ms": latency["p95"],
        "p99_ms": latency["p99"],
        "max_ms": latency["max"],
        "mean_ms": latency["mean"],
        "errors": sum(raw["errors"].values()),
        "error_kinds": raw["errors"],
        "kb_per_request": round(raw["bytes"] / raw["requests"] / 1024, 1)
        if raw["requests"]
        else 0.0,
        "connections": connections,
        "threads": threads,
    }


# --- the guest checkout -------------------------------------------------------------


class Shopper:
    """A browser without JavaScript: keeps cookies, posts forms, follows nothing."""

    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        secret = csrf_secret()
        self.cookies = {"csrftoken": secret}

    def request(
        self,
        method: str,
        path: str,
        form: dict | None = None,
        extra: dict | None = None,
    ):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        headers.update(extra or {})
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed a kept-alive connection between requests: reconnect.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.getheader("Location", ""), content


def _card_token(stripe_base: str) -> str:
    body = urllib.parse.urlencode({**CARD, "key": "pk_test_bench"}).encode()
    parts = urllib.parse.urlsplit(stripe_base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(
            "POST",
            "/v1/tokens",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        payload = response.read()
        if response.status != 200:
            raise RuntimeError(f"localstripe token: {response.status}")
        return json.loads(payload)["id"]
    finally:
        connection.close()


def checkout_steps(urls: dict, basket_add: str, email: str) -> list[tuple]:
    """(step, method, path, form, expected status); "token" is the card token."""
    return [
        ("add to basket", "POST", basket_add, {"quantity": "1"}, 302),
        (
            "guest e-mail",
            "POST",
            urls["index"],
            {"username": email, "options": "anonymous"},
            302,
        ),
        ("shipping address", "POST", urls["shipping-address"], ADDRESS, 302),
        (
            "shipping method",
            "POST",
            urls["shipping-method"],
            {"method_code": "standard"},
            302,
        ),
        ("payment page", "GET", urls["payment-details"], None, 200),
        ("card token (Stripe.js)", "TOKEN", "", None, 200),
        ("pay", "POST", urls["payment-details"], {"stripe_token": "token"}, 302),
        ("thank-you page", "GET", urls["thank-you"], None, 200),
    ]


def one_checkout(base: str, stripe_base: str, facts: dict, number: int) -> dict:
    shopper = Shopper(base)
    email = f"bench-{os.getpid()}-{number}@example.com"
    steps = checkout_steps(facts["checkout_urls"], facts["basket_add_url"], email)
    timings, token = {}, ""
    started = time.monotonic()
    for name, method, path, form, expected in steps:
        t0 = time.monotonic()
        if method == "TOKEN":
            token = _card_token(stripe_base)
            status, location = 200, ""
        else:
            if form and form.get("stripe_token") == "token":
                form = {"stripe_token": token}
            status, location, _ = shopper.request(method, path, form)
        timings[name] = time.monotonic() - t0
        if status != expected or (name == "pay" and "thank-you" not in location):
            shopper.connection.close()
            return {
                "ok": False,
                "step": name,
                "status": status,
                "started": started,
                "ended": time.monotonic(),
            }
    shopper.connection.close()
    return {
        "ok": True,
        "started": started,
        "ended": time.monotonic(),
        "seconds": time.monotonic() - started,
        "steps": timings,
    }


def _shopper_loop(args) -> list[dict]:
    base, stripe_base, facts, deadline = args
    results, number = [], 0
    while time.monotonic() < deadline:
        number += 1
        try:
            results.append(one_checkout(base, stripe_base, facts, number))
        except (OSError, http.client.HTTPException) as error:
            now = time.monotonic()
            results.append(
                {"ok": False, "step": repr(error), "started": now, "ended": now}
            )
    return results


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def checkout_load(
    base: str,
    stripe_base: str,
    facts: dict,
    *,
    shoppers: int,
    warmup: float,
    duration: float,
) -> dict:
    """`shoppers` guests checking out one after another for warm-up + duration
    seconds; counts the checkouts that finished inside the measured window (the
    last ones still running then finish, uncounted)."""
    start = time.monotonic()
    measure_from, deadline = start + warmup, start + warmup + duration
    with ProcessPoolExecutor(max_workers=shoppers) as pool:
        runs = list(
            pool.map(
                _shopper_loop,
                [(base, stripe_base, facts, deadline)] * shoppers,
            )
        )
    # What finished inside the measured window, wherever it started.
    done = [
        r for results in runs for r in results if measure_from <= r["ended"] <= deadline
    ]
    ok = [r for r in done if r["ok"]]
    failed = [r for r in done if not r["ok"]]
    seconds = deadline - measure_from
    totals = [r["seconds"] * 1000 for r in ok]
    steps = {}
    for name in ok[0]["steps"] if ok else []:
        values = [r["steps"][name] * 1000 for r in ok]
        steps[name] = {
            "p50_ms": round(percentile(values, 50), 1),
            "p95_ms": round(percentile(values, 95), 1),
            "p99_ms": round(percentile(values, 99), 1),
        }
    return {
        "checkouts": len(ok),
        "seconds": round(seconds, 2),
        "checkouts_per_s": round(len(ok) / seconds, 2) if seconds else 0.0,
        "p50_ms": round(percentile(totals, 50), 1),
        "p95_ms": round(percentile(totals, 95), 1),
        "p99_ms": round(percentile(totals, 99), 1),
        "max_ms": round(max(totals), 1) if totals else 0.0,
        "errors": len(failed),
        "error_steps": sorted(
            {f"{r['step']} ({r.get('status', '-')})" for r in failed}
        ),
        "shoppers": shoppers,
        "steps": steps,
    }


# --- the flash sale race -------------------------------------------------------------


def one_flash_buyer(base: str, stripe_base: str, facts: dict, flash: dict, n: int):
    """Wait for the session to start, press the flash basket button, check out as a
    guest. 'ordered', 'refused' (a 409 at the button, or a redirect away from the
    pay step: pool gone) or an error; with each step's time."""
    shopper = Shopper(base)
    urls = facts["checkout_urls"]
    address = {**ADDRESS, "phone_number": f"+86139{n:08d}"}
    statuses, steps = [], {}
    time.sleep(max(0.0, flash["flash_starts_at"] - time.time()))
    started = time.monotonic()

    def go(step, method, path, form=None, extra=None):
        t0 = time.monotonic()
        status, location, _ = shopper.request(method, path, form, extra)
        steps[step] = time.monotonic() - t0
        statuses.append(status)
        return status, location

    def done(outcome):
        return {
            "outcome": outcome,
            "seconds": time.monotonic() - started,
            "ended": time.time(),
            "server_errors": sum(1 for s in statuses if s >= 500),
            "steps": steps,
        }

    try:
        # The block's button, as its script sends it: JSON says whether it was added.
        status, _ = go(
            "flash basket button",
            "POST",
            flash["flash_add_url"],
            {"quantity": str(flash["flash_limit"])},
            {"Accept": "application/json"},
        )
        if status == 409:  # sold out (or limit reached) at the button
            return done("refused")
        go(
            "guest e-mail",
            "POST",
            urls["index"],
            {"username": f"flash-{n}@example.com", "options": "anonymous"},
        )
        go("shipping address", "POST", urls["shipping-address"], address)
        go(
            "shipping method",
            "POST",
            urls["shipping-method"],
            {"method_code": "standard"},
        )
        status, location = go("payment page", "GET", urls["payment-details"])
        if status == 200:
            t0 = time.monotonic()
            token = _card_token(stripe_base)
            steps["card token (Stripe.js)"] = time.monotonic() - t0
            status, location = go(
                "pay", "POST", urls["payment-details"], {"stripe_token": token}
            )
        if status == 302 and "thank-you" in location:
            outcome = "ordered"
        elif status == 302 and location.endswith(("/basket/", "/shop/")):
            outcome = "refused"
        else:
            outcome = f"unexpected {status} {location}"
    except (OSError, http.client.HTTPException) as error:
        outcome = f"error {type(error).__name__}"
    finally:
        shopper.connection.close()
    return done(outcome)


def flash_race(base: str, stripe_base: str, facts: dict, flash: dict, buyers: int):
    results = [None] * buyers

    def run(n):
        results[n] = one_flash_buyer(base, stripe_base, facts, flash, n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = [r["outcome"] for r in results]
    ordered = [r for r in results if r["outcome"] == "ordered"]
    seconds = max(r["ended"] for r in results) - flash["flash_starts_at"]
    totals = [r["seconds"] * 1000 for r in results]
    steps = {}
    for result in results:
        for name, taken in result["steps"].items():
            steps.setdefault(name, []).append(taken * 1000)
    return {
        "buyers": buyers,
        "pool": flash["flash_pool"],
        "limit": flash["flash_limit"],
        "orders": len(ordered),
        "refusals": outcomes.count("refused"),
        "other": sorted({o for o in outcomes if o not in ("ordered", "refused")}),
        "server_errors": sum(r["server_errors"] for r in results),
        "race_seconds": round(seconds, 2),
        "orders_per_s": round(len(ordered) / seconds, 2) if seconds > 0 else 0.0,
        "p50_ms": round(percentile(totals, 50), 1),
        "p99_ms": round(percentile(totals, 99), 1),
        # Each request a buyer made, by step: what the race's time went on.
        "steps": {
            name: {
                "requests": len(values),
                "p50_ms": round(percentile(values, 50), 1),
                "p99_ms": round(percentile(values, 99), 1),
            }
            for name, values in steps.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["checkout", "flash"])
    parser.add_argument("--flash", type=Path, help="flash fixture facts (JSON)")
    parser.add_argument("--buyers", type=int, default=100)
    parser.add_argument("--base", required=True)
    parser.add_argument("--stripe", required=True)
    parser.add_argument("--facts", required=True, type=Path)
    parser.add_argument("--shoppers", type=int, default=4)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    if args.mode == "flash":
        result = flash_race(
            args.base,
            args.stripe,
            json.loads(args.facts.read_text()),
            json.loads(args.flash.read_text()),
            args.buyers,
        )
        args.out.write_text(json.dumps(result, indent=2))
        return
    result = checkout_load(
        args.base,
        args.stripe,
        json.loads(args.facts.read_text()),
        shoppers=args.shoppers,
        warmup=args.warmup,
        duration=args.duration,
    )
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
