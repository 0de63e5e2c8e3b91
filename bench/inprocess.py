"""Inside Django, with the bench's production settings and database: SQL queries per
request for every scenario (the test client goes through the whole middleware stack;
CaptureQueriesContext counts), and a pyinstrument profile of one scenario.

    python -m bench.inprocess queries --facts F --names a,b --out O.json [--checkout]
    python -m bench.inprocess profile --facts F --scenario NAME --out-dir D
    python -m bench.inprocess reports --facts F --out O.json

run.py starts both with the same environment as gunicorn.
"""

import argparse
import json
import os
import time
from collections import defaultdict
from pathlib import Path

from .environment import ROOT
from .loadgen import _card_token, checkout_steps
from .scenarios import scenarios

WARM_REQUESTS = 2


def _setup():
    import django

    django.setup()


_CLIENT = None


def _client(cookie: str = ""):
    """One test client for the whole process, its cookies cleared for each use: a
    new client would load the middleware again (whitenoise scans every static
    file when it starts), which no server does per request."""
    global _CLIENT
    from http.cookies import SimpleCookie

    from django.test import Client

    if _CLIENT is None:
        _CLIENT = Client(HTTP_HOST="127.0.0.1")
    _CLIENT.cookies = SimpleCookie()
    if cookie:
        _CLIENT.cookies.load(cookie)
    return _CLIENT


def _send(scenario):
    """One request as the load generator sends it: no cookies but the scenario's,
    like wrk's requests."""
    client = _client(scenario.headers.get("Cookie", ""))
    extra = {}
    if "Accept" in scenario.headers:
        extra["HTTP_ACCEPT"] = scenario.headers["Accept"]
    if scenario.method == "POST":
        return client.post(scenario.path, scenario.form, **extra)
    return client.get(scenario.path, **extra)


_REDIS_COMMANDS = []


def _count_redis_commands():
    """Count every command redis-py sends (the cache, sessions, Celery's queue)."""
    from redis.client import Redis

    original = Redis.execute_command

    def execute_command(self, *args, **options):
        _REDIS_COMMANDS.append(args[0] if args else "?")
        return original(self, *args, **options)

    Redis.execute_command = execute_command


def _counted(send):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _REDIS_COMMANDS.clear()
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        response = send()
        elapsed = time.perf_counter() - t0
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    return response, len(queries), sql_ms, elapsed * 1000, len(_REDIS_COMMANDS)


def scenario_queries(names: list[str], facts: dict) -> dict:
    """Queries of a warm request (after WARM_REQUESTS identical ones) per scenario."""
    found = scenarios(facts)
    results = {}
    for name in names:
        scenario = found[name]
        for _ in range(WARM_REQUESTS):
            _send(scenario)
        response, count, sql_ms, ms, redis = _counted(lambda s=scenario: _send(s))
        results[name] = {
            "queries": count,
            "redis_commands": redis,
            "sql_ms": round(sql_ms, 1),
            "inprocess_ms": round(ms, 1),
            "status": response.status_code,
            "bytes": len(response.content),
        }
    return results


def checkout_queries(facts: dict, stripe_base: str) -> dict:
    """Queries per step of one guest checkout (the load generator's steps)."""
    client = _client()
    steps = checkout_steps(
        facts["checkout_urls"], facts["basket_add_url"], "bench-queries@example.com"
    )
    token, per_step = "", {}
    for name, method, path, form, expected in steps:
        if method == "TOKEN":
            token = _card_token(stripe_base)
            continue
        if form and form.get("stripe_token") == "token":
            form = {"stripe_token": token}
        if method == "POST":
            response, count, sql_ms, _, redis = _counted(
                lambda p=path, f=form: client.post(p, f)
            )
        else:
            response, count, sql_ms, _, redis = _counted(lambda p=path: client.get(p))
        if response.status_code != expected:
            raise RuntimeError(
                f"checkout step {name}: {response.status_code}, expected {expected}"
            )
        per_step[name] = {
            "queries": count,
            "redis_commands": redis,
            "sql_ms": round(sql_ms, 1),
        }
    return {
        "queries": sum(s["queries"] for s in per_step.values()),
        "redis_commands": sum(s["redis_commands"] for s in per_step.values()),
        "steps": per_step,
    }


def page_cache_state() -> dict:
    from django.conf import settings

    return {
        "setting_present": hasattr(settings, "PAGE_CACHE_ENABLED"),
        "enabled": bool(getattr(settings, "PAGE_CACHE_ENABLED", False)),
        "module_present": (ROOT / "pagecache" / "serving.py").exists(),
    }


def report_queries(facts: dict) -> dict:
    """Moves the page views queued in Redis into PostgreSQL (what the beat's drain
    task does), then counts the queries of a warm view of each analytics report, as
    a superuser: the Wagtail campaign report's index and its page for the 48-tile
    campaign, and the Oscar dashboard's product page (its "sales by page" tab)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from insights.events import events_drain
    from insights.models import Event

    page_id = facts["campaign_ids"]["48"]
    drained = events_drain()
    user, _ = get_user_model().objects.get_or_create(
        username="bench-reports",
        defaults={"is_staff": True, "is_superuser": True, "email": "bench@example.com"},
    )
    urls = {
        "campaign_index": reverse("campaign_performance"),
        "campaign_page": reverse("campaign_page_performance", args=[page_id]),
        "product_dashboard": reverse(
            "dashboard:catalogue-product",
            kwargs={"pk": facts["campaign_product_ids"][0]},
        ),
    }
    client = _client()
    client.force_login(user)
    views = {}
    for name, url in urls.items():
        for _ in range(WARM_REQUESTS):
            client.get(url)
        response, count, sql_ms, ms, redis = _counted(lambda u=url: client.get(u))
        views[name] = {
            "path": url,
            "status": response.status_code,
            "queries": count,
            "sql_ms": round(sql_ms, 1),
            "inprocess_ms": round(ms, 1),
        }
    return {
        "drained": drained,
        "page_views": Event.objects.filter(kind=Event.VIEW, page_id=page_id).count(),
        "views": views,
    }


# --- the profile ---------------------------------------------------------------------

BUCKETS = [
    ("SQL: psycopg driver and waiting on PostgreSQL", ("/psycopg/", "/psycopg_")),
    ("SQL: Django ORM (building queries, making model instances)", ("/django/db/",)),
    ("Django templates", ("/django/template/", "/django/templatetags/")),
    ("Wagtail (pages, StreamField, images)", ("/wagtail/", "/modelcluster/")),
    ("Oscar (strategy, prices, URLs, templatetags)", ("/oscar/",)),
    ("Thumbnails (sorl-thumbnail, Pillow)", ("/sorl/", "/PIL/")),
    ("Redis and the cache", ("/redis/", "/django/core/cache/")),
    ("Django: URLs, middleware, i18n, HTTP", ("/django/",)),
    ("treebeard, haystack, other libraries", ("/site-packages/",)),
]
PROJECT_DIRS = tuple(f"{ROOT}/{d}/" for d in ("home", "shop", "search", "config"))


def _bucket(path: str) -> str | None:
    """The area a file belongs to; None for the standard library and built-ins,
    whose time counts for whoever called them (socket.sendall under psycopg is
    PostgreSQL's, under redis-py Redis's)."""
    if path.startswith(PROJECT_DIRS):
        return "Project code (home/, shop/, search/)"
    for label, needles in BUCKETS:
        if any(needle in path for needle in needles):
            return label
    return None


# Template nodes that only arrange others: their time is their children's.
STRUCTURAL_NODES = {
    "NodeList",
    "IfNode",
    "ForNode",
    "WithNode",
    "BlockNode",
    "ExtendsNode",
    "IncludeNode",
    "CachedPageBodyNode",
    "IncludeBlockNode",
}
# Calls that leave the process: time inside them is a round trip (or its set-up).
ROUND_TRIPS = {
    "Redis commands (cache, sessions, thumbnails' key-value store)": (
        "Redis.execute_command",
        "Pipeline.execute",
    ),
    "SQL statements (PostgreSQL, from the cursor on)": (
        "CursorWrapper.execute",
        "CursorWrapper.executemany",
    ),
}


def _key(frame) -> str:
    name = (
        f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function
    )
    return f"{name} ({frame.file_path_short}:{frame.line_no})"


def summarise_profile(root, requests: int, cpu_seconds: float | None = None) -> dict:
    """Where the time went, as shares of the profiled wall time: self time by area,
    round trips to Redis and PostgreSQL, template tags, project functions."""
    total = root.time or 1e-9
    buckets, self_times = defaultdict(float), defaultdict(float)
    project, nodes, trips = defaultdict(float), defaultdict(float), defaultdict(float)

    def walk(frame, on_stack, inherited):
        if frame.is_synthetic:
            return
        path = frame.file_path or ""
        key = _key(frame)
        qualified = key.split(" (")[0]
        area = _bucket(path) or inherited
        buckets[area] += frame.total_self_time
        self_times[key] += frame.total_self_time
        first = key not in on_stack  # recursion counts once
        if first and path.startswith(PROJECT_DIRS):
            project[key] += frame.time
        if (
            first
            and frame.function == "render"
            and (frame.class_name or "").endswith("Node")
            and frame.class_name not in STRUCTURAL_NODES
        ):
            nodes[frame.class_name] += frame.time
        for label, names in ROUND_TRIPS.items():
            if qualified in names and not on_stack & {f"trip:{label}"}:
                trips[label] += frame.time
                on_stack = on_stack | {f"trip:{label}"}
        for child in frame.children:
            walk(child, on_stack | {key}, area)

    walk(root, frozenset(), "Python standard library (the server loop)")

    def share(seconds):
        return round(100 * seconds / total, 1)

    def ranked(found, limit, *, below=100.0):
        items = sorted(found.items(), key=lambda kv: -kv[1])
        return [
            {"function": key, "share_pct": share(seconds)}
            for key, seconds in items
            if share(seconds) < below
        ][:limit]

    return {
        "requests": requests,
        "ms_per_request": round(1000 * total / requests, 1),
        "cpu_pct": round(100 * cpu_seconds / total) if cpu_seconds else None,
        "areas": [
            {"area": label, "share_pct": share(seconds)}
            for label, seconds in sorted(buckets.items(), key=lambda kv: -kv[1])
        ],
        "round_trips": [
            {"what": label, "share_pct": share(trips.get(label, 0.0))}
            for label in ROUND_TRIPS
        ],
        "template_tags": ranked(nodes, 6),
        "top_self": ranked(self_times, 12),
        # Wrappers around the whole request (the page cache middleware) say nothing.
        "top_project_inclusive": ranked(project, 10, below=85.0),
    }


def profile_scenario(name: str, facts: dict, out_dir: Path, requests: int) -> dict:
    from django.conf import settings
    from pyinstrument import Profiler

    cached = getattr(settings, "PAGE_CACHE_ENABLED", False)
    label = f"{name}-cached" if cached else name

    scenario = scenarios(facts)[name]
    for _ in range(WARM_REQUESTS + 1):
        _send(scenario)
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    # At least `requests`, and at least three seconds of samples for cheap pages.
    started, done = time.perf_counter(), 0
    while done < requests or (time.perf_counter() - started < 3 and done < 5000):
        _send(scenario)
        done += 1
    profiler.stop()
    requests = done
    out_dir.mkdir(parents=True, exist_ok=True)
    html = out_dir / f"profile-{label}.html"
    text = out_dir / f"profile-{label}.txt"
    html.write_text(profiler.output_html())
    text.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    session = profiler.last_session
    summary = summarise_profile(
        session.root_frame(), requests, getattr(session, "cpu_time", None)
    )
    summary.update(
        scenario=name, label=label, page_cache=cached, html=str(html), text=str(text)
    )
    (out_dir / f"profile-{label}.json").write_text(json.dumps(summary, indent=2))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=["queries", "profile", "reports"])
    parser.add_argument("--facts", required=True, type=Path)
    parser.add_argument("--names", default="")
    parser.add_argument("--checkout", action="store_true")
    parser.add_argument("--scenario", default="")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--out-dir", type=Path)
    args = parser.parse_args()
    _setup()
    facts = json.loads(args.facts.read_text())
    if args.mode == "queries":
        _count_redis_commands()
        result = {
            "page_cache": page_cache_state(),
            "scenarios": scenario_queries(
                [n for n in args.names.split(",") if n], facts
            ),
        }
        if args.checkout:
            result["checkout"] = checkout_queries(facts, os.environ["STRIPE_API_BASE"])
        args.out.write_text(json.dumps(result, indent=2))
    elif args.mode == "reports":
        args.out.write_text(json.dumps(report_queries(facts), indent=2))
    else:
        profile_scenario(args.scenario, facts, args.out_dir, args.requests)


if __name__ == "__main__":
    main()
