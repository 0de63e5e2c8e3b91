"""`make bench`: the performance report.

Seeds (once) a 10,000-product catalogue and campaign pages of 4, 48 and 96 tiles in
the PostgreSQL database `mallard_bench`, serves the site with gunicorn (production
settings, DEBUG off, one worker per core) twice, page cache off and on, loads every
scenario with wrk from a separate process (warm-up, then a bounded measured run),
drives guest checkouts against localstripe, counts SQL queries per request in-process,
reads the workers' peak memory, runs Lighthouse (mobile) on home, campaign and product
pages, profiles the slowest page with pyinstrument, and writes bench/out/report.json,
bench/out/report.md and docs/benchmarks.md.

    python -m bench.run [--quick] [--no-lighthouse | --lighthouse-only] [--reseed]
                        [--only a,b] [--duration S] [--connections N] ...
"""

import argparse
import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psutil

from . import lighthouse
from .environment import (
    DATABASE_URL,
    LISTING_PAGE_SIZE,
    LOGS,
    MEDIA,
    OUT,
    PRODUCTS,
    REDIS_URL,
    ROOT,
    Ports,
    django_env,
    free_port,
)
from .loadgen import Scenario, wrk_run
from .machine import machine_facts
from .report import (
    LIGHTHOUSE_HEADING,
    MEMORY_HEADING,
    analytics_section,
    flash_section,
    search_section,
    with_section,
    write_reports,
)
from .scenarios import ANALYTICS, CACHED, FLASH, LIGHT, PAGES, SALE, UNCACHED, scenarios

PYTHON = sys.executable
DOCS_REPORT = ROOT / "docs" / "benchmarks.md"
SEED_MARKER = MEDIA / "demo" / "pool" / "00.jpg"


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- setup ---------------------------------------------------------------------------


def _maintenance_url() -> tuple[str, str]:
    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    return urllib.parse.urlunsplit(parts._replace(path="/postgres")), name


def ensure_database(*, reseed: bool) -> None:
    """Create `mallard_bench` if missing; drop it first when asked to, or when its
    seeded pictures are gone (the catalogue points at them)."""
    import psycopg

    url, name = _maintenance_url()
    try:
        connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as error:
        raise SystemExit(f"make bench needs PostgreSQL ({url}): {error}") from None
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        raise SystemExit(f"make bench needs Redis ({REDIS_URL}): {error}") from None
    with connection:
        exists = connection.execute(
            "select 1 from pg_database where datname = %s", [name]
        ).fetchone()
        if exists and (reseed or not SEED_MARKER.exists()):
            say(f"dropping database {name} (reseed)")
            connection.execute(f'drop database "{name}" with (force)')
            exists = None
        if not exists:
            say(f"creating database {name}")
            connection.execute(f'create database "{name}"')


def product_count() -> int:
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        (count,) = connection.execute(
            "select count(*) from catalogue_product"
        ).fetchone()
    return count


def manage(env: dict, *args: str, log: str) -> None:
    path = LOGS / f"{log}.log"
    with path.open("w") as out:
        completed = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    if completed.returncode != 0:
        raise SystemExit(
            f"manage.py {' '.join(args)} failed:\n{path.read_text()[-3000:]}"
        )


def make_fixtures(env: dict) -> dict:
    completed = subprocess.run(
        [PYTHON, "-m", "bench.fixtures"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise SystemExit(f"bench fixtures failed:\n{completed.stderr[-3000:]}")
    facts = json.loads(completed.stdout)
    (OUT / "facts.json").write_text(json.dumps(facts, indent=2))
    return facts


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def check_tools(*, lighthouse_wanted: bool) -> None:
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk (apt-get install wrk)")
    if lighthouse_wanted:
        if not lighthouse.chromium():
            missing.append("chromium (apt-get install chromium)")
        if not lighthouse.LIGHTHOUSE.exists():
            missing.append("lighthouse (cd bench && npm ci)")
    if missing:
        raise SystemExit("make bench needs: " + ", ".join(missing))


# --- servers -------------------------------------------------------------------------


def wait_for(url: str, *, process: subprocess.Popen, log: Path, timeout=60) -> None:
    parts = urllib.parse.urlsplit(url)
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=5
            )
            connection.request("GET", parts.path or "/")
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{url} did not come up:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


@contextlib.contextmanager
def running(command: list[str], *, env: dict, log: Path, ready_url: str):
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(ready_url, process=process, log=log)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def gunicorn(env: dict, port: int, workers: int, mode: str):
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "config.wsgi",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--timeout=120",
        "--log-level=warning",
    ]
    return running(
        command,
        env=env,
        log=LOGS / f"gunicorn-{mode}.log",
        ready_url=f"http://127.0.0.1:{port}/bench/floor/",
    )


def media_server(port: int):
    """Media from a server of its own, as a CDN would serve it."""
    command = [
        PYTHON,
        "-m",
        "http.server",
        str(port),
        "--bind",
        "127.0.0.1",
        "--directory",
        str(MEDIA),
    ]
    return running(
        command,
        env=dict(os.environ),
        log=LOGS / "media-server.log",
        ready_url=f"http://127.0.0.1:{port}/",
    )


@contextlib.contextmanager
def localstripe(port: int):
    from shop.payments.stripe.localstripe import localstripe_start

    process = localstripe_start(port, log=LOGS / "localstripe.log")
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def workers_of(server: subprocess.Popen) -> list[psutil.Process]:
    return psutil.Process(server.pid).children()


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    """CPU time so far of each process still running, by pid."""
    found = {}
    for process in processes:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            found[process.pid] = times.user + times.system
    return found


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU time used between two readings: a process that started in between counts
    whole, one that ended in between is lost (a database connection recycled)."""
    return sum(now - before.get(pid, 0.0) for pid, now in after.items())


def database_backends() -> list[psutil.Process]:
    """The PostgreSQL server processes serving the bench database (the workers keep
    theirs open: DB_CONN_MAX_AGE)."""
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        pids = connection.execute(
            "select pid from pg_stat_activity "
            "where datname = current_database() and pid <> pg_backend_pid()"
        ).fetchall()
    found = []
    for (pid,) in pids:
        with contextlib.suppress(psutil.Error):
            found.append(psutil.Process(pid))
    return found


def worker_memory(workers: list[psutil.Process]) -> dict:
    """Peak (VmHWM) and current (VmRSS) resident memory of each web worker, MiB."""
    found = []
    for worker in workers:
        fields = {}
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{worker.pid}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    fields[key] = round(int(value.split()[0]) / 1024, 1)
        if fields:
            found.append(
                {
                    "pid": worker.pid,
                    "peak_mib": fields.get("VmHWM"),
                    "rss_mib": fields.get("VmRSS"),
                }
            )
    return {
        "workers": found,
        "peak_mib": max((w["peak_mib"] or 0 for w in found), default=None),
    }


# --- measuring -----------------------------------------------------------------------


def preflight(base: str, scenario) -> str | None:
    """One request: a scenario that answers wrongly is not worth measuring.
    Returns the page cache's verdict (its X-Page-Cache header), if any."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    body = urllib.parse.urlencode(scenario.form) if scenario.form else None
    connection.request(
        scenario.method, scenario.path, body=body, headers=scenario.headers
    )
    response = connection.getresponse()
    content = response.read()
    if response.status != scenario.expect:
        raise SystemExit(
            f"{scenario.name}: {scenario.method} {scenario.path} answered "
            f"{response.status}, expected {scenario.expect}\n{content[:500]!r}"
        )
    return response.getheader("X-Page-Cache")


def load_scenarios(base: str, names, found, server, args) -> dict:
    results = {}
    workers = workers_of(server)
    for name in names:
        scenario = found[name]
        connections = args.workers if name.endswith(LIGHT) else args.connections
        threads = min(args.threads, connections)
        preflight(base, scenario)
        say(
            f"  {name}: warm-up {args.warmup:g}s, measure {args.duration:g}s, "
            f"{connections} connections"
        )
        wrk_run(
            base,
            scenario,
            duration=args.warmup,
            connections=connections,
            threads=threads,
        )
        # Answered only after what the warm-up left queued: the queue is empty.
        cache_header = preflight(base, scenario)
        load_before = os.getloadavg()[0]
        web_before = cpu_seconds(workers)
        db_before = cpu_seconds(database_backends())
        wall_before = time.monotonic()
        result = wrk_run(
            base,
            scenario,
            duration=args.duration,
            connections=connections,
            threads=threads,
        )
        wall = time.monotonic() - wall_before
        web_cpu = cpu_used(web_before, cpu_seconds(workers))
        db_cpu = cpu_used(db_before, cpu_seconds(database_backends()))
        requests = max(result["requests"], 1)
        result.update(
            # CPU time per request, the web workers' and PostgreSQL's: unlike
            # requests/s, barely moved by other processes competing for the cores.
            web_cpu_ms=round(1000 * web_cpu / requests, 2),
            db_cpu_ms=round(1000 * db_cpu / requests, 2),
            title=scenario.title,
            path=scenario.path,
            method=scenario.method,
            loadavg_before=round(load_before, 2),
            page_cache_header=cache_header,
            # Of the workers' possible len(workers) x 100 %: below that, the workers
            # were waiting (on the database, or for CPU that someone else had).
            worker_cpu_pct=round(100 * web_cpu / wall),
        )
        say(
            f"    {result['rps']} req/s, p50 {result['p50_ms']} ms, "
            f"p99 {result['p99_ms']} ms, errors {result['errors']}, CPU/request "
            f"{result['web_cpu_ms']} ms web + {result['db_cpu_ms']} ms PostgreSQL"
        )
        results[name] = result
    return results


def _checkout_process(
    base: str, stripe: str, args, *, warmup, duration, out, shoppers=None
):
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "bench.loadgen",
            "checkout",
            f"--base={base}",
            f"--stripe={stripe}",
            f"--facts={OUT / 'facts.json'}",
            f"--shoppers={shoppers or args.shoppers}",
            f"--warmup={warmup}",
            f"--duration={duration}",
            f"--out={out}",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _checkout_result(process: subprocess.Popen, out: Path) -> dict:
    _, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"checkout load failed:\n{stderr[-3000:]}")
    return json.loads(out.read_text())


def checkout_load(base: str, stripe: str, args) -> dict:
    say(
        f"  guest checkout: {args.shoppers} shoppers, "
        f"warm-up {args.warmup:g}s, measure {args.duration:g}s"
    )
    out = OUT / "checkout.json"
    process = _checkout_process(
        base, stripe, args, warmup=args.warmup, duration=args.duration, out=out
    )
    result = _checkout_result(process, out)
    say(
        f"    {result['checkouts_per_s']} checkouts/s, p50 {result['p50_ms']} ms, "
        f"errors {result['errors']}"
    )
    return result


class _CacheSampler(threading.Thread):
    """Asks for a page every `every` seconds as a new anonymous visitor and tallies
    how the page cache answered (X-Page-Cache): the share of re-renders."""

    def __init__(self, base: str, path: str, every: float = 0.2):
        super().__init__(daemon=True)
        self.base, self.path, self.every = base, path, every
        self.answers: dict[str, int] = {}
        self.stopped = threading.Event()

    def run(self):
        parts = urllib.parse.urlsplit(self.base)
        while not self.stopped.wait(self.every):
            connection = http.client.HTTPConnection(parts.hostname, parts.port, 60)
            try:
                connection.request("GET", self.path)
                response = connection.getresponse()
                response.read()
                answer = response.getheader("X-Page-Cache") or f"{response.status}"
            except (OSError, http.client.HTTPException) as error:
                answer = type(error).__name__
            finally:
                connection.close()
            self.answers[answer] = self.answers.get(answer, 0) + 1


def sale_day(base: str, stripe: str, scenario, server, args) -> dict:
    """The cached campaign page alone, then the same page while guests check out
    the product it shows on offer (each order records the offer's usage and
    allocates stock: what used to flush every cached page)."""
    found = {scenario.name: scenario}
    say("  sale day: the campaign page idle")
    idle = load_scenarios(base, [scenario.name], found, server, args)[scenario.name]
    say(f"  sale day: the same page while {args.sale_shoppers} guests check out")
    out = OUT / "sale-checkout.json"
    # The checkouts warm up, then run through the page's own warm-up and measure.
    checkouts = _checkout_process(
        base,
        stripe,
        args,
        warmup=args.warmup,
        duration=args.warmup + args.duration + 2,
        out=out,
        shoppers=args.sale_shoppers,
    )
    sampler = _CacheSampler(base, scenario.path)
    try:
        time.sleep(args.warmup)
        sampler.start()
        busy = load_scenarios(base, [scenario.name], found, server, args)
    finally:
        sampler.stopped.set()
        checkout = _checkout_result(checkouts, out)
    sampler.join()
    busy = busy[scenario.name]
    answered = sum(sampler.answers.values())
    result = {
        "idle": idle,
        "busy": busy,
        "checkout": checkout,
        "cache_answers": sampler.answers,
        "cache_hit_pct": round(100 * sampler.answers.get("hit", 0) / answered, 1)
        if answered
        else None,
        "busy_vs_idle": round(busy["rps"] / idle["rps"], 2) if idle["rps"] else None,
        "stock_window_s": float(os.environ.get("MALLARD_PAGE_CACHE_STOCK_SECONDS", 5)),
    }
    say(
        f"    {busy['rps']} req/s during {checkout['checkouts_per_s']} checkouts/s "
        f"vs {idle['rps']} idle ({result['busy_vs_idle']}x); page cache answers "
        f"{sampler.answers}"
    )
    return result


def flash_units_sold(item_id: int) -> int:
    """Units of the flash item in placed orders, as the shop recorded them."""
    import psycopg

    with psycopg.connect(DATABASE_URL) as connection:
        (sold,) = connection.execute(
            "select sold from flashsales_flashitem where id = %s", [item_id]
        ).fetchone()
    return sold


def flash_race(base: str, stripe: str, env: dict, server, args) -> dict:
    """A flash sale's campaign page idle, then while `--flash-buyers` guests race
    for its pool the moment its session starts (the page's cached body expires
    then, and every sale changes its pool). Reports orders/s, the page's requests/s
    against idle, p99 and server errors."""
    idle_seconds = args.warmup + args.duration
    lead = idle_seconds + 15  # time to measure the page idle, then be ready
    completed = subprocess.run(
        [
            PYTHON,
            "-m",
            "bench.fixtures",
            "flash",
            f"--starts-in={lead}",
            f"--pool={args.flash_pool}",
            "--limit=2",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise SystemExit(f"flash fixture failed:\n{completed.stderr[-3000:]}")
    flash = json.loads(completed.stdout)
    (OUT / "flash.json").write_text(json.dumps(flash, indent=2))
    scenario = Scenario(
        FLASH, "Flash sale campaign page (block + 48 tiles)", flash["flash_url"]
    )
    found = {FLASH: scenario}
    say("  flash sale: the campaign page idle, before the session starts")
    idle = load_scenarios(base, [FLASH], found, server, args)[FLASH]
    say(
        f"  flash sale: {args.flash_buyers} buyers race for {args.flash_pool} units "
        "at the session's start while the page is loaded"
    )
    out = OUT / "flash-race.json"
    buyers = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "bench.loadgen",
            "flash",
            f"--base={base}",
            f"--stripe={stripe}",
            f"--facts={OUT / 'facts.json'}",
            f"--flash={OUT / 'flash.json'}",
            f"--buyers={args.flash_buyers}",
            f"--out={out}",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(max(0.0, flash["flash_starts_at"] - time.time()))
    load_before = os.getloadavg()[0]
    busy = wrk_run(
        base,
        scenario,
        duration=args.duration,
        connections=args.connections,
        threads=min(args.threads, args.connections),
    )
    _, stderr = buyers.communicate()
    if buyers.returncode != 0:
        raise SystemExit(f"flash race failed:\n{stderr[-3000:]}")
    race = json.loads(out.read_text())
    race["units_sold"] = flash_units_sold(flash["flash_item_id"])
    result = {
        "idle": idle,
        "busy": {
            **busy,
            "path": scenario.path,
            "loadavg_before": round(load_before, 2),
        },
        "race": race,
        # Three decimals: during a race the page can fall below 1 % of idle.
        "busy_vs_idle": round(busy["rps"] / idle["rps"], 3) if idle["rps"] else None,
    }
    say(
        f"    {race['orders']} orders ({race['orders_per_s']}/s), "
        f"{race['refusals']} refusals, {race['server_errors']} 5xx in "
        f"{race['race_seconds']} s; page {busy['rps']} req/s (p99 {busy['p99_ms']} ms) "
        f"vs {idle['rps']} idle"
    )
    return result


def inprocess(env: dict, *args: str, log: str) -> None:
    path = LOGS / f"{log}.log"
    with path.open("w") as out:
        completed = subprocess.run(
            [PYTHON, "-m", "bench.inprocess", *args, f"--facts={OUT / 'facts.json'}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
    if completed.returncode != 0:
        raise SystemExit(
            f"bench.inprocess {args[0]} failed:\n{path.read_text()[-3000:]}"
        )


def count_queries(env: dict, names, mode: str, *, checkout: bool) -> dict:
    out = OUT / f"queries-{mode}.json"
    extra = ["--checkout"] if checkout else []
    inprocess(
        env,
        "queries",
        f"--names={','.join(names)}",
        f"--out={out}",
        *extra,
        log=f"queries-{mode}",
    )
    return json.loads(out.read_text())


def profile(env: dict, name: str, *, cached: bool = False) -> dict:
    out_dir = OUT / "profile"
    label = f"{name}-cached" if cached else name
    inprocess(
        env,
        "profile",
        f"--scenario={name}",
        f"--out-dir={out_dir}",
        log=f"profile-{label}",
    )
    return json.loads((out_dir / f"profile-{label}.json").read_text())


def run_lighthouse(base: str, facts: dict, runs: int) -> dict:
    """Each page `runs` times; the run with the median performance score counts
    (Lighthouse's own advice against its run-to-run variance)."""
    out_dir = OUT / "lighthouse"
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = {
        "home": facts["home_url"],
        "campaign_48": facts["campaign_urls"]["48"],
        "product": facts["product_url"],
    }
    results = {}
    for name, path in pages.items():
        say(f"  lighthouse {name} ({path}), {runs} runs")
        audits = [
            lighthouse.audit(base + path, out_dir / f"{name}-{n + 1}")
            for n in range(runs)
        ]
        good = [a for a in audits if "error" not in a and a["performance"] is not None]
        if not good:
            results[name] = {"path": path, **audits[-1]}
            say(f"    error: {audits[-1].get('error', '')[:300]}")
            continue
        good.sort(key=lambda a: a["performance"])
        median = good[len(good) // 2]
        results[name] = {
            "path": path,
            **median,
            "runs": len(good),
            "performance_runs": [a["performance"] for a in good],
            "accessibility_runs": [a["accessibility"] for a in good],
        }
        say(
            f"    performance {results[name]['performance_runs']}, "
            f"accessibility {results[name]['accessibility_runs']}"
        )
    return results


# --- the run -------------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    workers = os.cpu_count() or 1
    parser.add_argument(
        "--duration", type=float, default=10, help="measured seconds per scenario"
    )
    parser.add_argument(
        "--warmup", type=float, default=3, help="warm-up seconds per scenario"
    )
    parser.add_argument("--connections", type=int, default=8 * workers)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--shoppers", type=int, default=2 * workers, help="concurrent guest checkouts"
    )
    parser.add_argument("--workers", type=int, default=workers, help="gunicorn workers")
    parser.add_argument(
        "--sale-shoppers",
        type=int,
        default=max(1, workers // 2),
        help="guests checking out during the sale-day scenario: fewer than the "
        "sync workers, or their requests hold every worker and the page only waits",
    )
    parser.add_argument(
        "--quick", action="store_true", help="short runs, no docs/benchmarks.md"
    )
    parser.add_argument(
        "--flash-buyers", type=int, default=100, help="buyers in the flash sale race"
    )
    parser.add_argument(
        "--flash-pool", type=int, default=50, help="units in the flash sale's pool"
    )
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument(
        "--lighthouse-only",
        action="store_true",
        help="only Lighthouse (bench/out/lighthouse.md), no load",
    )
    parser.add_argument(
        "--lighthouse-runs", type=int, default=3, help="runs per page (median kept)"
    )
    parser.add_argument(
        "--reseed", action="store_true", help="drop and reseed mallard_bench"
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenarios (no docs, but for `flash`, `search` and "
        "`analytics`: their sections); `search` alone: search latency only "
        "(bench/search.py); `analytics` alone: the cached campaign page with "
        "analytics on vs off",
    )
    parser.add_argument(
        "--analytics-rounds",
        type=int,
        default=3,
        help="with --only analytics: rounds of analytics on, then off",
    )
    parser.add_argument(
        "--search-rounds",
        type=int,
        default=10,
        help="with --only search: how many times each query runs",
    )
    args = parser.parse_args()
    if args.quick:
        args.duration, args.warmup, args.lighthouse_runs = 3, 1, 1
    return args


def prepare(env: dict, *, reseed: bool) -> dict:
    """Database, catalogue, bench pages and static files; returns the bench URLs."""
    say(f"database {DATABASE_URL.rsplit('/', 1)[-1]}, redis {REDIS_URL}")
    ensure_database(reseed=reseed)
    manage(env, "migrate", "--noinput", log="migrate")
    if product_count() < PRODUCTS:
        say(f"seeding {PRODUCTS:,} products (seed_demo, once)")
        manage(env, "seed_demo", f"--products={PRODUCTS}", log="seed")
    else:
        say("already seeded")
    facts = make_fixtures(env)
    say("collectstatic")
    manage(env, "collectstatic", "--noinput", log="collectstatic")
    flush_redis()
    return facts


def measure(args, ports: Ports, env: dict, facts: dict, only: set) -> dict:
    base = f"http://127.0.0.1:{ports.web}"
    stripe = f"http://127.0.0.1:{ports.stripe}"
    found = scenarios(facts)
    results = {"runs": {}, "queries": {}}
    with media_server(ports.media), localstripe(ports.stripe):
        for cached, names in ((False, UNCACHED), (True, CACHED)):
            mode = "cached" if cached else "uncached"
            names = [n for n in names if not only or n in only]
            say(
                f"gunicorn, {args.workers} workers, "
                f"page cache {'on' if cached else 'off'}"
            )
            flush_redis()  # each server starts cold; no entries from other code
            with gunicorn(env[cached], ports.web, args.workers, mode) as server:
                run = {"scenarios": load_scenarios(base, names, found, server, args)}
                if not cached and (not only or "checkout" in only):
                    run["checkout"] = checkout_load(base, stripe, args)
                if cached and (not only or SALE in only):
                    run["sale"] = sale_day(base, stripe, found[SALE], server, args)
                if cached and (not only or FLASH in only):
                    run["flash"] = flash_race(base, stripe, env[cached], server, args)
                run["memory"] = worker_memory(workers_of(server))
                say(f"  peak worker memory {run['memory']['peak_mib']} MiB")
                say("  SQL queries and Redis commands per request (in-process)")
                results["queries"][mode] = count_queries(
                    env[cached], names, mode, checkout="checkout" in run
                )
                if cached and not args.no_lighthouse:
                    results["lighthouse"] = run_lighthouse(
                        base, facts, args.lighthouse_runs
                    )
                results["runs"][mode] = run

    uncached = results["runs"]["uncached"]["scenarios"]
    pages = [n for n in PAGES if n in uncached]
    wanted = []
    if pages:
        # By CPU time per request (web + PostgreSQL): requests/s is too noisy.
        slowest = max(
            pages,
            key=lambda n: uncached[n].get("web_cpu_ms", 0)
            + uncached[n].get("db_cpu_ms", 0),
        )
        wanted.append((slowest, False, "the slowest page"))
        if slowest != "campaign_48" and "campaign_48" in uncached:
            wanted.append(("campaign_48", False, "the campaign page"))
    if "campaign_48" in results["runs"].get("cached", {}).get("scenarios", {}):
        wanted.append(("campaign_48", True, "the campaign page from the page cache"))
    results["profiles"], results["profile_errors"] = [], []
    for name, cached, why in wanted:
        say(f"profiling {why}, {name} (pyinstrument, in-process)")
        flush_redis()
        try:
            results["profiles"].append(profile(env[cached], name, cached=cached))
        except SystemExit as error:  # a profile is worth less than the report
            say(f"    profile failed: {str(error)[-300:]}")
            results["profile_errors"].append(f"{name}: {str(error)[-600:]}")
    return results


def search_only(args, env: dict) -> None:
    """Search latency on the seeded catalogue, in-process (bench/search.py); writes
    its section of docs/benchmarks.md."""
    out = OUT / "search.json"
    say(f"search latency, {args.search_rounds} rounds of each query (in-process)")
    path = LOGS / "search.log"
    with path.open("w") as log:
        completed = subprocess.run(
            [
                PYTHON,
                "-m",
                "bench.search",
                f"--out={out}",
                f"--rounds={args.search_rounds}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
    if completed.returncode != 0:
        raise SystemExit(f"bench.search failed:\n{path.read_text()[-3000:]}")
    results = json.loads(out.read_text())
    results["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    results["load_average"] = " / ".join(f"{load:.1f}" for load in os.getloadavg())
    for language, figures in results["languages"].items():
        say(f"  {language}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")
    if not args.quick:
        DOCS_REPORT.write_text(
            with_section(
                DOCS_REPORT.read_text(),
                search_section(results),
                before=(LIGHTHOUSE_HEADING, MEMORY_HEADING),
            )
        )
        say(f"wrote the search section of {DOCS_REPORT.relative_to(ROOT)}")


def _events_queued(env: dict) -> int:
    """Page views a server queued in Redis for the drain task (insights.events)."""
    import redis

    key = f"{env['CELERY_QUEUE']}:insights-events"
    return redis.Redis.from_url(REDIS_URL).llen(key)


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def analytics_only(args, ports: Ports, facts: dict) -> None:
    """The page-cached campaign page from two servers of the same code, analytics on
    and off, loaded in turn for `--analytics-rounds` rounds so that the machine's
    other load falls on both alike; the events each queued; the queries of the
    analytics reports. Writes its section of docs/benchmarks.md."""
    scenario = scenarios(facts)["campaign_48"]
    ports_of = {
        True: ports.web,
        False: free_port({ports.web, ports.media, ports.stripe}),
    }
    envs = {}
    for on in (True, False):
        mode = "on" if on else "off"
        envs[on] = django_env(ports, page_cache=True)
        envs[on].update(
            MALLARD_ANALYTICS="1" if on else "0",
            # Apart: each server warms its own cached page and queues its own events.
            CACHE_KEY_PREFIX=f"mallard-bench-analytics-{mode}",
            CELERY_QUEUE=f"mallard-bench-analytics-{mode}",
        )
    bases = {on: f"http://127.0.0.1:{port}" for on, port in ports_of.items()}
    connections, threads = args.connections, min(args.threads, args.connections)
    flush_redis()
    rounds = []
    load_before = os.getloadavg()
    with contextlib.ExitStack() as stack:
        for on in (True, False):
            mode = f"analytics-{'on' if on else 'off'}"
            say(f"gunicorn, {args.workers} workers, page cache on, {mode}")
            stack.enter_context(gunicorn(envs[on], ports_of[on], args.workers, mode))
        headers = {}
        for on in (True, False):
            preflight(bases[on], scenario)  # renders and caches the page
            wrk_run(
                bases[on],
                scenario,
                duration=args.warmup,
                connections=connections,
                threads=threads,
            )
            headers[on] = preflight(bases[on], scenario)
        say(f"  X-Page-Cache after warm-up: on {headers[True]}, off {headers[False]}")
        events = dict.fromkeys((True, False), 0)
        for number in range(1, args.analytics_rounds + 1):
            row = {}
            for on in (True, False):
                queued = _events_queued(envs[on])
                result = wrk_run(
                    bases[on],
                    scenario,
                    duration=args.duration,
                    connections=connections,
                    threads=threads,
                )
                # Settled: a request wrk gave up on at the end may still count.
                time.sleep(0.5)
                events[on] += _events_queued(envs[on]) - queued
                row["on" if on else "off"] = result
            rounds.append(row)
            say(
                f"  round {number}: on {row['on']['rps']} req/s "
                f"(p99 {row['on']['p99_ms']} ms), off {row['off']['rps']} req/s "
                f"(p99 {row['off']['p99_ms']} ms)"
            )
    say("  SQL queries and Redis commands per cached view (in-process)")
    hits = {}
    for on, mode in ((True, "on"), (False, "off")):
        counted = count_queries(
            envs[on], [scenario.name], f"analytics-{mode}", checkout=False
        )
        hits[on] = counted["scenarios"][scenario.name]
    say("  draining the page views, counting the reports' queries (in-process)")
    out = OUT / "analytics-reports.json"
    inprocess(envs[True], "reports", f"--out={out}", log="analytics-reports")
    reports = json.loads(out.read_text())
    queued_off = _events_queued(envs[False])
    flush_redis()

    def summary(mode: str) -> dict:
        runs = [row[mode] for row in rounds]
        return {
            key: _median([run[key] for run in runs])
            for key in ("rps", "p50_ms", "p99_ms")
        } | {
            "requests": sum(run["requests"] for run in runs),
            "errors": sum(run["errors"] for run in runs),
        }

    on, off = summary("on"), summary("off")
    results = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": {
            "before": " / ".join(f"{load:.1f}" for load in load_before),
            "after": " / ".join(f"{load:.1f}" for load in os.getloadavg()),
        },
        "niceness": os.nice(0),
        "commit": machine_facts()["git"],
        "path": scenario.path,
        "workers": args.workers,
        "connections": connections,
        "duration_s": args.duration,
        "rounds": rounds,
        "on": on,
        "off": off,
        "ratio": round(on["rps"] / off["rps"], 3) if off["rps"] else None,
        "page_cache": {"on": headers[True], "off": headers[False]},
        "per_view": {"on": hits[True], "off": hits[False]},
        "events": {"on": events[True], "off": events[False], "off_queued": queued_off},
        "reports": reports,
    }
    (OUT / "analytics.json").write_text(json.dumps(results, indent=2))
    say(
        f"  on {on['rps']} req/s, off {off['rps']} req/s: {results['ratio']}; "
        f"events on {events[True]} for {on['requests']} requests, off {events[False]}"
    )
    if not args.quick:
        DOCS_REPORT.write_text(
            with_section(
                DOCS_REPORT.read_text(),
                analytics_section(results),
                before=(LIGHTHOUSE_HEADING, MEMORY_HEADING),
            )
        )
        say(f"wrote the analytics section of {DOCS_REPORT.relative_to(ROOT)}")


def lighthouse_only(args, ports: Ports, env: dict, facts: dict) -> None:
    """Only Lighthouse, against the page-cached server: for storefront work."""
    from .report import lighthouse_markdown

    base = f"http://127.0.0.1:{ports.web}"
    with (
        media_server(ports.media),
        gunicorn(env[True], ports.web, args.workers, "cached"),
    ):
        audits = run_lighthouse(base, facts, args.lighthouse_runs)
    flush_redis()
    text = lighthouse_markdown(audits, machine_facts())
    (OUT / "lighthouse.md").write_text(text)
    (OUT / "lighthouse.json").write_text(json.dumps(audits, indent=2))
    say(f"wrote {(OUT / 'lighthouse.md').relative_to(ROOT)} and lighthouse.json")
    print()
    print(text)


def main() -> None:
    args = parse_args()
    started = time.monotonic()
    for folder in (OUT, LOGS):
        folder.mkdir(parents=True, exist_ok=True)
    only = {n for n in args.only.split(",") if n}
    if only != {"search"}:  # search latency is measured in-process
        check_tools(lighthouse_wanted=not (args.no_lighthouse or only == {ANALYTICS}))
    ports = Ports.pick()
    say(f"ports: {ports}")
    env = {
        False: django_env(ports, page_cache=False),
        True: django_env(ports, page_cache=True),
    }
    if only == {"search"}:
        # The catalogue is all search needs: no fixtures, servers or static files.
        say(f"database {DATABASE_URL.rsplit('/', 1)[-1]}, redis {REDIS_URL}")
        ensure_database(reseed=args.reseed)
        manage(env[False], "migrate", "--noinput", log="migrate")
        if product_count() < PRODUCTS:
            say(f"seeding {PRODUCTS:,} products (seed_demo, once)")
            manage(env[False], "seed_demo", f"--products={PRODUCTS}", log="seed")
        search_only(args, env[False])
        return
    facts = prepare(env[False], reseed=args.reseed)
    if args.lighthouse_only:
        lighthouse_only(args, ports, env, facts)
        return
    if only == {ANALYTICS}:
        analytics_only(args, ports, facts)
        return
    results = measure(args, ports, env, facts, only)
    flush_redis()

    results.update(
        machine=machine_facts(),
        facts=facts,
        config={
            "workers": args.workers,
            "connections": args.connections,
            "threads": args.threads,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "shoppers": args.shoppers,
            "products": facts["products"],
            "listing_page_size": LISTING_PAGE_SIZE,
            "db_conn_max_age": 60,
        },
        seconds=round(time.monotonic() - started),
    )
    markdown = write_reports(results, OUT / "report.json", OUT / "report.md")
    if not (args.quick or only):
        DOCS_REPORT.write_text(markdown)
        say(f"wrote {DOCS_REPORT.relative_to(ROOT)}")
    elif FLASH in only and not args.quick:
        # The flash race measured on its own: its section of the report, in place.
        DOCS_REPORT.write_text(
            with_section(
                DOCS_REPORT.read_text(),
                flash_section(results),
                before=(LIGHTHOUSE_HEADING, MEMORY_HEADING),
            )
        )
        say(f"wrote the flash sale section of {DOCS_REPORT.relative_to(ROOT)}")
    say(
        f"wrote {(OUT / 'report.md').relative_to(ROOT)} and report.json "
        f"in {results['seconds']} s"
    )
    print()
    print(markdown)


if __name__ == "__main__":
    main()
