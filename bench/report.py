"""The report: ratios, targets met or not, and Markdown + JSON."""

import json
from pathlib import Path

# Hand-written findings (what limits the numbers), kept across runs.
NOTES = Path(__file__).with_name("NOTES.md")
FLASH_HEADING = "## Flash sale: buyers racing for a pool at the session's start"
LIGHTHOUSE_HEADING = "## Lighthouse (mobile)"
MEMORY_HEADING = "## Web worker memory"
P99_TARGET_MS = 300
LIGHTHOUSE_TARGET = 95
LIGHTHOUSE_PAGES = ("home", "campaign_48", "product")
RATIO_LABELS = {
    "campaign_vs_oscar_listing": "campaign (48 tiles, uncached) vs Oscar's listing "
    "of the same 48 products",
    "cached_vs_uncached": "campaign cached vs uncached",
    "cached_vs_floor": "campaign cached vs the floor (same server)",
    "uncached_vs_floor": "campaign uncached vs the floor",
    "campaign_96_vs_4_tiles": "campaign 96 tiles vs 4 tiles (uncached)",
}


def _scenario(results, mode, name) -> dict:
    return results["runs"].get(mode, {}).get("scenarios", {}).get(name, {})


def _ratio(a, b):
    """a / b to three significant figures."""
    return float(f"{a / b:.3g}") if a and b else None


def _cpu(results, mode, name):
    found = _scenario(results, mode, name)
    if found.get("web_cpu_ms") is None:
        return None
    return found["web_cpu_ms"] + found.get("db_cpu_ms", 0)


# (numerator, denominator) as (mode, scenario): the ratio of their requests/s.
RATIO_PAIRS = {
    "campaign_vs_oscar_listing": (
        ("uncached", "campaign_48"),
        ("uncached", "listing_48"),
    ),
    "cached_vs_uncached": (("cached", "campaign_48"), ("uncached", "campaign_48")),
    "cached_vs_floor": (("cached", "campaign_48"), ("cached", "floor")),
    "uncached_vs_floor": (("uncached", "campaign_48"), ("uncached", "floor")),
    "campaign_96_vs_4_tiles": (("uncached", "campaign_96"), ("uncached", "campaign_4")),
}


def ratios(results: dict) -> dict:
    """Throughput ratios; for each, the same ratio estimated from CPU time per
    request (web worker + PostgreSQL) under the key `<name>_by_cpu`: the inverse
    ratio of costs, what the throughputs would be on a machine doing nothing else."""
    found = {}
    for key, (top, bottom) in RATIO_PAIRS.items():
        found[key] = _ratio(
            _scenario(results, *top).get("rps"), _scenario(results, *bottom).get("rps")
        )
        found[f"{key}_by_cpu"] = _ratio(_cpu(results, *bottom), _cpu(results, *top))
    return found


def _by_cpu(found: dict, key: str, *, percent: bool = False) -> str:
    value = found.get(f"{key}_by_cpu")
    if value is None:
        return ""
    shown = f"{round(100 * value)}%" if percent else f"{value}x"
    return f" (by CPU time per request: {shown})"


def targets(results: dict, found: dict) -> list[dict]:
    rows = []

    def row(target, measured, met, met_by_cpu=None):
        rows.append(
            {
                "target": target,
                "measured": measured,
                "met": met,
                "met_by_cpu": met,
            }
        )
        if met_by_cpu is not None:
            rows[-1]["met_by_cpu"] = met_by_cpu

    def ratio_row(target, key, minimum, measured):
        value, by_cpu = found[key], found.get(f"{key}_by_cpu")
        if value is None:
            return
        row(
            target,
            measured,
            value >= minimum,
            None if by_cpu is None else by_cpu >= minimum,
        )

    ratio_row(
        "Campaign page (48 tiles) uncached no slower than Oscar's listing of the "
        "same 48 products",
        "campaign_vs_oscar_listing",
        1,
        f"{found['campaign_vs_oscar_listing']}x the listing's requests/s"
        + _by_cpu(found, "campaign_vs_oscar_listing"),
    )
    ratio_row(
        "Cached campaign page at least 10x the uncached throughput",
        "cached_vs_uncached",
        10,
        f"{found['cached_vs_uncached']}x" + _by_cpu(found, "cached_vs_uncached"),
    )
    if found["cached_vs_floor"] is not None:
        ratio_row(
            "Cached campaign page at least 50% of the floor",
            "cached_vs_floor",
            0.5,
            f"{round(100 * found['cached_vs_floor'])}% of the floor"
            + _by_cpu(found, "cached_vs_floor", percent=True),
        )
    uncached = results["runs"].get("uncached", {}).get("scenarios", {})
    if "campaign_48" in uncached:
        p99 = uncached["campaign_48"]["p99_ms"]
        light = uncached.get("campaign_48_light", {}).get("p99_ms")
        row(
            f"p99 under load below {P99_TARGET_MS} ms, campaign page uncached",
            f"{_n(p99)} ms at {uncached['campaign_48']['connections']} connections"
            + (
                f" ({_n(light)} ms at one connection per worker)"
                if light is not None
                else ""
            ),
            p99 is not None and p99 < P99_TARGET_MS,
        )
    pages = {
        n: s for n, s in uncached.items() if n != "floor" and not n.endswith("_light")
    }
    if pages:

        def p99_of(name):  # nothing answered counts as slowest
            value = pages[name]["p99_ms"]
            return float("inf") if value is None else value

        over = [n for n in pages if p99_of(n) >= P99_TARGET_MS]
        worst = max(pages, key=p99_of)
        row(
            f"p99 under load below {P99_TARGET_MS} ms, every uncached scenario",
            f"worst: {worst} {_n(pages[worst]['p99_ms'])} ms"
            + (f"; {len(over)} of {len(pages)} over" if over else ""),
            not over,
        )
    audits = results.get("lighthouse") or {}
    for category in ("performance", "accessibility") if audits else ():
        scores = {p: audits.get(p, {}).get(category) for p in LIGHTHOUSE_PAGES}
        row(
            f"Lighthouse mobile {category} >= {LIGHTHOUSE_TARGET} on home, campaign, "
            "product",
            ", ".join(
                f"{p} {s if s is not None else 'n/a'}" for p, s in scores.items()
            ),
            all(s is not None and s >= LIGHTHOUSE_TARGET for s in scores.values()),
        )
    return rows


def _verdict(row: dict) -> str:
    if row["met"] == row["met_by_cpu"]:
        return "✅ met" if row["met"] else "❌ not met"
    # The two estimates disagree: other load on the machine moved the throughput.
    return "⚠️ met by CPU cost only" if row["met_by_cpu"] else "⚠️ met by throughput only"


def _n(value, digits=0) -> str:
    if value is None:
        return "–"
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return str(value)


def _table(lines: list, header: list[str], rows: list[list], align: str = "") -> None:
    lines.append("| " + " | ".join(header) + " |")
    lines.append(
        "|"
        + "|".join("--:" if a == "r" else "---" for a in align.ljust(len(header)))
        + "|"
    )
    for row in rows:
        lines.append("| " + " | ".join(str(cell) for cell in row) + " |")
    lines.append("")


def _setup_rows(results: dict) -> list[list]:
    m, c = results["machine"], results["config"]
    git = f"`{m['git']['commit']}`" + (
        " + uncommitted changes" if m["git"]["dirty"] else ""
    )
    rows = [
        ["date", m["date"]],
        ["commit", git],
        ["CPU", f"{m['cpu']}, {m['cores']} cores"],
        ["RAM", f"{m['ram_gib']} GiB"],
        ["OS", m["os"]],
        [
            "software",
            f"Python {m['python']}, {m['postgres']}, {m['redis']}, Django "
            f"{m['django']}, Wagtail {m['wagtail']}, Oscar {m['oscar']}, gunicorn "
            f"{m['gunicorn']}",
        ],
        [
            "load",
            f"{m['wrk']}: {c['threads']} threads, {c['connections']} connections, "
            f"{c['warmup_s']:g} s warm-up then {c['duration_s']:g} s measured per "
            f"scenario; {c['shoppers']} guests checking out at once",
        ],
        [
            "server",
            f"gunicorn `config.wsgi`, {c['workers']} sync workers (one per core), "
            "`config.settings.production` (DEBUG off), persistent PostgreSQL "
            "connections (`DB_CONN_MAX_AGE=60`), cache and sessions in Redis",
        ],
        [
            "data",
            f"{c['products']:,} products; campaign pages of 4, 48 and 96 hand-picked "
            f"tiles; listings {c['listing_page_size']} per page",
        ],
    ]
    page_cache = results.get("queries", {}).get("cached", {}).get("page_cache", {})
    if page_cache and not page_cache.get("setting_present"):
        rows.append(
            [
                "page cache",
                "**not in this tree** (no `PAGE_CACHE_ENABLED`): the cached run "
                "serves the same uncached pages",
            ]
        )
    elif page_cache:
        rows.append(
            [
                "page cache",
                "`MALLARD_PAGE_CACHE=0` for the uncached run, `1` for the cached one",
            ]
        )
    rows.append(["run time", f"{results['seconds']} s for the whole `make bench`"])
    return rows


def _load_rows(results: dict) -> list[list]:
    rows = []
    for mode in ("uncached", "cached"):
        run = results["runs"].get(mode, {}).get("scenarios", {})
        queries = results.get("queries", {}).get(mode, {}).get("scenarios", {})
        for name, s in run.items():
            q = queries.get(name, {})
            rows.append(
                [
                    s["title"],
                    ("on" if mode == "cached" else "off")
                    + (
                        f" ({s['page_cache_header']})"
                        if s.get("page_cache_header")
                        else ""
                    ),
                    _n(s["rps"]),
                    _n(s.get("web_cpu_ms"), 1),
                    _n(s.get("db_cpu_ms"), 1),
                    _n(s["p50_ms"], 1),
                    _n(s["p95_ms"], 1),
                    _n(s["p99_ms"], 1),
                    s["errors"],
                    q.get("queries", "–"),
                    q.get("redis_commands", "–"),
                    _n(s["kb_per_request"], 1),
                    f"{s['worker_cpu_pct']}%",
                    s["loadavg_before"],
                ]
            )
    return rows


def _checkout(lines: list, results: dict) -> None:
    checkout = results["runs"].get("uncached", {}).get("checkout")
    if not checkout:
        return
    queries = results.get("queries", {}).get("uncached", {}).get("checkout", {})
    add = lines.append
    add("## Guest checkout against localstripe")
    add("")
    add(
        f"{checkout['shoppers']} guests at once, each buying one product from an "
        "empty basket: add to basket, e-mail, address, shipping method, payment page "
        "(creates the PaymentIntent), a card token from localstripe (what Stripe.js "
        "does in the browser), pay, thank-you page: the steps of "
        "`tests/checkout_steps.py`, over HTTP."
    )
    add("")
    errors = checkout["errors"]
    add(
        f"**{_n(checkout['checkouts_per_s'], 2)} checkouts/s** "
        f"({checkout['checkouts']} in {checkout['seconds']:g} s); one checkout "
        f"p50 {_n(checkout['p50_ms'])} ms, p95 {_n(checkout['p95_ms'])} ms, "
        f"p99 {_n(checkout['p99_ms'])} ms; errors {errors}"
        + (f" ({', '.join(checkout['error_steps'])})" if errors else "")
        + f"; {queries.get('queries', '–')} SQL queries and "
        f"{queries.get('redis_commands', '–')} Redis commands per checkout."
    )
    add("")
    rows = []
    for step, s in checkout["steps"].items():
        q = queries.get("steps", {}).get(step, {})
        rows.append(
            [
                step,
                _n(s["p50_ms"], 1),
                _n(s["p95_ms"], 1),
                _n(s["p99_ms"], 1),
                q.get("queries", "–"),
                q.get("redis_commands", "–"),
            ]
        )
    _table(
        lines, ["step", "p50 ms", "p95 ms", "p99 ms", "SQL", "Redis"], rows, "lrrrrr"
    )


def _lighthouse(lines: list, results: dict) -> None:
    from .lighthouse import version

    audits = results.get("lighthouse")
    if not audits:
        return
    add = lines.append
    add(LIGHTHOUSE_HEADING)
    add("")
    add(
        f"Lighthouse {version()} in "
        f"{results['machine']['chromium']}, its default mobile profile (simulated slow "
        "4G, 4x CPU slowdown), against the server with the page cache on; media from a "
        "separate server, as from a CDN. Each page ran several times; the run with the "
        "median performance score is shown (all scores in brackets)."
    )
    add("")
    rows = []
    for page, a in audits.items():
        if "error" in a:
            rows.append([f"{page} `{a['path']}`", "error", "", "", "", "", "", ""])
            continue
        kib = a["total_bytes"] / 1024 if a["total_bytes"] is not None else None
        rows.append(
            [
                f"{page} `{a['path']}`",
                f"{a['performance']} {a.get('performance_runs', '')}",
                f"{a['accessibility']} {a.get('accessibility_runs', '')}",
                _n(a["lcp_ms"]),
                a["cls"],
                _n(kib),
                _n(a["fcp_ms"]),
                _n(a["tbt_ms"]),
            ]
        )
    _table(
        lines,
        [
            "page",
            "performance",
            "accessibility",
            "LCP ms",
            "CLS",
            "KiB",
            "FCP ms",
            "TBT ms",
        ],
        rows,
        "lrrrrrrr",
    )
    for page, a in audits.items():
        if a.get("accessibility_failures"):
            add(
                f"- {page}, accessibility audits failing: "
                + "; ".join(a["accessibility_failures"])
            )
        if a.get("error") or a.get("runtime_error"):
            add(
                f"- {page}: Lighthouse error `{(a.get('error') or a['runtime_error'])}`"
            )
    add(
        "- Full reports: `bench/out/lighthouse/<page>-<run>.report.html`; "
        "`make bench BENCH_ARGS=--lighthouse-only` re-runs only these (a minute or "
        "two)."
    )
    add("")


def _profiles(lines: list, results: dict) -> None:
    add = lines.append
    for error in results.get("profile_errors", []):
        add(f"Profile failed: `{error.strip().splitlines()[-1][:300]}`")
        add("")
    for prof in results.get("profiles", []):
        cached = prof.get("page_cache")
        add(
            f"## Profile: {prof['scenario']}"
            + (" from the page cache" if cached else "")
        )
        add("")
        cpu = prof.get("cpu_pct")
        add(
            f"pyinstrument, in-process, {prof['requests']} warm requests with the page "
            f"cache {'on' if cached else 'off'}: {prof['ms_per_request']} ms each "
            "under the profiler, wall "
            "clock"
            + (f", of which the process was on a CPU {cpu}%" if cpu else "")
            + ". Time inside calls that leave the process:"
        )
        add("")
        for trip in prof.get("round_trips", []):
            add(f"- {trip['what']}: {trip['share_pct']}%")
        add("")
        if prof.get("template_tags"):
            add(
                "Template tags, with what they call: "
                + ", ".join(
                    f"`{t['function']}` {t['share_pct']}%"
                    for t in prof["template_tags"]
                )
                + "."
            )
            add("")
        add(
            "Self time by area (standard-library and built-in calls count for the "
            "library that made them):"
        )
        add("")
        _table(
            lines,
            ["area", "share"],
            [
                [a["area"], f"{a['share_pct']}%"]
                for a in prof["areas"]
                if a["share_pct"] >= 0.5
            ],
            "lr",
        )
        add("Project functions, with what they call:")
        add("")
        for item in prof["top_project_inclusive"][:8]:
            add(f"- `{item['function']}`: {item['share_pct']}%")
        add("")
        add("Heaviest functions by self time:")
        add("")
        for item in prof["top_self"][:8]:
            add(f"- `{item['function']}`: {item['share_pct']}%")
        add("")
        label = prof.get("label", prof["scenario"])
        add(f"Full profile: `bench/out/profile/profile-{label}.html` (and `.txt`).")
        add("")


def _sale_day(lines: list, results: dict) -> None:
    sale = results["runs"].get("cached", {}).get("sale")
    if not sale:
        return
    add = lines.append
    idle, busy, checkout = sale["idle"], sale["busy"], sale["checkout"]
    add("## Sale day: a cached campaign page while discounted checkouts run")
    add("")
    add(
        f"`{busy['path']}` (48 tiles, one of them on a site offer) loaded by wrk as "
        "above, page cache on: first alone, then while "
        f"{checkout['shoppers']} guests check out that product, each order applying "
        "the offer (Oscar records its usage) and allocating stock. Usage counters "
        "invalidate nothing; the stock change re-renders the page at most once per "
        f"{_n(sale['stock_window_s'])} s. *Answers* are sampled by a separate "
        "anonymous visitor five times a second during the busy run."
    )
    add("")
    answers = ", ".join(f"{k} {v}" for k, v in sorted(sale["cache_answers"].items()))
    _table(
        lines,
        ["campaign page", "req/s", "p50 ms", "p99 ms", "errors", ""],
        [
            [
                "idle",
                _n(idle["rps"], 1),
                _n(idle["p50_ms"], 1),
                _n(idle["p99_ms"], 1),
                idle["errors"],
                "",
            ],
            [
                "during checkouts",
                _n(busy["rps"], 1),
                _n(busy["p50_ms"], 1),
                _n(busy["p99_ms"], 1),
                busy["errors"],
                f"{_n(checkout['checkouts_per_s'], 2)} checkouts/s "
                f"({checkout['checkouts']}, errors {checkout['errors']}); "
                f"answers: {answers}",
            ],
        ],
        "lrrrrl",
    )
    add(
        f"**During checkouts: {sale['busy_vs_idle']}x the idle requests/s**, "
        f"{_n(sale['cache_hit_pct'], 1)} % of sampled requests answered from the "
        "cache. What the page loses is mostly the web workers: a sync worker stays "
        "with a checkout request through its PostgreSQL locks and localstripe round "
        "trips, and page requests queue behind it (CPU per request is left out: "
        "the workers' CPU then includes the checkouts')."
    )
    add("")


def _flash_race(lines: list, results: dict, *, alone: bool = False) -> None:
    """The flash sale race. `alone`: the section of a run of this scenario only
    (`--only flash`), which says when and where it was measured."""
    flash = results["runs"].get("cached", {}).get("flash")
    if not flash:
        return
    add = lines.append
    idle, busy, race = flash["idle"], flash["busy"], flash["race"]
    add(FLASH_HEADING)
    add("")
    if alone:
        m, c = results["machine"], results["config"]
        git = f"`{m['git']['commit']}`" + (
            " + uncommitted changes" if m["git"]["dirty"] else ""
        )
        add(
            f'Measured on its own (`make bench BENCH_ARGS="--only flash '
            f'--no-lighthouse"`), {m["date"]}, commit {git}, on the machine above '
            f"({m['cores']} cores, {c['workers']} gunicorn sync workers, "
            f"{c['connections']} wrk connections), **shared**: load average "
            f"{_n(idle.get('loadavg_before'), 2)} as the idle page was measured and "
            f"{_n(busy.get('loadavg_before'), 2)} as the race began, other work "
            "taking its share of the cores. Compare the ratios, not the absolute "
            "figures."
        )
        add("")
    add(
        f"`{busy['path']}` (the flash sale block above 48 tiles) loaded by wrk, page "
        f"cache on: first before the session starts, then for the first "
        f"{_n(busy['seconds'])} s from its start while {race['buyers']} guests press "
        f"the flash basket button at that moment (up to {race['limit']} each) and "
        f"check out for a pool of {race['pool']} units. The cached body expires at "
        "the session's start; the pool changes re-render it at most once per stock "
        "window, and at once when it sells out."
    )
    add("")
    other = ", ".join(race["other"]) or "none"
    _table(
        lines,
        ["flash page", "req/s", "p50 ms", "p99 ms", "errors", ""],
        [
            [
                "before the session",
                _n(idle["rps"], 1),
                _n(idle["p50_ms"], 1),
                _n(idle["p99_ms"], 1),
                idle["errors"],
                "",
            ],
            [
                "during the race",
                _n(busy["rps"], 1),
                _n(busy["p50_ms"], 1),
                _n(busy["p99_ms"], 1),
                busy["errors"],
                f"{race['orders']} orders in {_n(race['race_seconds'], 1)} s "
                f"({_n(race['orders_per_s'], 2)} orders/s), {race['refusals']} "
                f"refusals, other outcomes: {other}; buyer p99 "
                f"{_n(race['p99_ms'], 1)} ms",
            ],
        ],
        "lrrrrl",
    )
    sold = race.get("units_sold")
    add(
        f"**During the race: {flash['busy_vs_idle']}x the idle requests/s; "
        f"{race['server_errors']} server errors (5xx) for the buyers, "
        f"{busy['errors']} failed page requests (wrk: HTTP status 400 and above, "
        "timeouts).**"
        + (
            f" {sold} units sold of a pool of {race['pool']}, in {race['orders']} "
            f"orders; {race['refusals']} buyers refused, "
            f"{race['buyers'] - race['orders'] - race['refusals']} otherwise."
            if sold is not None
            else ""
        )
    )
    add("")
    if race.get("steps"):
        add(
            "Each buyer request, by checkout step (the whole race; latency includes "
            "waiting for one of the sync workers):"
        )
        add("")
        _table(
            lines,
            ["buyer step", "requests", "p50 ms", "p99 ms"],
            [
                [name, step["requests"], _n(step["p50_ms"], 1), _n(step["p99_ms"], 1)]
                for name, step in race["steps"].items()
            ],
            "lrrr",
        )
        add(
            "A sync worker serves one request at a time, so page requests queue "
            "behind the buyers' (each checkout step waits on PostgreSQL's row locks "
            "and localstripe): the page's requests/s during the race measures the "
            "queue, not the page, whose cached answer costs the same few "
            "milliseconds as before the session."
        )
        add("")


def flash_section(results: dict) -> str:
    """The flash sale section alone, for docs/benchmarks.md after `--only flash`."""
    lines: list[str] = []
    _flash_race(lines, results, alone=True)
    return "\n".join(lines)


SEARCH_HEADING = "## Search: Chinese and English queries"


def search_section(results: dict) -> str:
    """The search latency section, for docs/benchmarks.md after `--only search`."""
    lines = [SEARCH_HEADING, ""]
    add = lines.append
    add(
        f"`make bench BENCH_ARGS='--only search'` on {results['when']}, load average "
        f"{results['load_average']} on the shared machine: the site's one "
        f"search (`search.site_search`, in-process, PostgreSQL full-text search "
        f"with Chinese word segmentation by rjieba) over {results['products']:,} "
        f"products and the seeded pages; each query {results['rounds']} times after "
        "a warm-up. Suggestions are the search-as-you-type endpoint's work (search "
        "plus its tiles)."
    )
    add("")
    _table(
        lines,
        ["Queries", "Searches", "p50 ms", "p95 ms", "max ms", "Suggest p50 / p95 ms"],
        [
            [
                f"{language} ({figures['queries']})",
                str(figures["searches"]),
                str(figures["p50_ms"]),
                str(figures["p95_ms"]),
                str(figures["max_ms"]),
                f"{figures['suggest_p50_ms']} / {figures['suggest_p95_ms']}",
            ]
            for language, figures in results["languages"].items()
        ],
    )
    for language, figures in results["languages"].items():
        found = ", ".join(
            f"{query} {count} ({figures['matched_by'][query] or 'none'})"
            for query, count in figures["found"].items()
        )
        add(f"{language} queries, products found and how: {found}.")
        add("")
    add(
        "Cutting a Chinese title into words for the index: "
        f"{results['segmentation']['index_text_us']} µs per title (rjieba; jieba "
        "0.42.1 cut the same words about 25 times slower and takes 1.4 s to load "
        "its dictionary against rjieba's 0.15 s, measured on this machine)."
    )
    return "\n".join(lines)


ANALYTICS_HEADING = "## Analytics on vs off: the cached campaign page"


def analytics_section(results: dict) -> str:
    """The analytics section, for docs/benchmarks.md after `--only analytics`."""
    on, off, events = results["on"], results["off"], results["events"]
    git = results["commit"]
    lines = [ANALYTICS_HEADING, ""]
    add = lines.append
    add(
        f"`make bench BENCH_ARGS='--only analytics'` on {results['when']} at commit "
        f"{git['commit']}{' (uncommitted changes)' if git['dirty'] else ''}, load "
        f"average {results['load_average']['before']} before and "
        f"{results['load_average']['after']} after on the shared machine (the bench "
        f"and its load generator at niceness {results['niceness']}). Two gunicorn "
        f"servers of the same code, {results['workers']} workers each, page cache on "
        "in both, `MALLARD_ANALYTICS=1` in one and `0` in the other; the 48-tile "
        f"campaign page (`{results['path']}`) warmed in both, then wrk with "
        f"{results['connections']} connections, {results['duration_s']:g} s against "
        f"each in turn, {len(results['rounds'])} rounds. Figures are the medians of "
        "the rounds."
    )
    add("")
    _table(
        lines,
        [
            "Analytics",
            "req/s",
            "p50 ms",
            "p99 ms",
            "requests",
            "errors",
            "X-Page-Cache",
        ],
        [
            [
                label,
                _n(figures["rps"], 1),
                _n(figures["p50_ms"], 1),
                _n(figures["p99_ms"], 1),
                str(figures["requests"]),
                str(figures["errors"]),
                results["page_cache"][mode] or "",
            ]
            for label, mode, figures in (("on", "on", on), ("off", "off", off))
        ],
        "lrrrrrl",
    )
    ratio = results["ratio"]
    verdict = "met" if ratio is not None and ratio >= 0.9 else "not met"
    add(
        f"**On/off: {ratio:.1%}** of the throughput (goal at least 90 %: {verdict}). "
        "Round by round (req/s, on / off): "
        + "; ".join(
            f"{_n(row['on']['rps'], 1)} / {_n(row['off']['rps'], 1)}"
            for row in results["rounds"]
        )
        + "."
    )
    add("")
    hit = results["per_view"]
    add(
        f"Per cached view, in-process: {hit['on']['redis_commands']} Redis commands "
        f"and {hit['on']['queries']} SQL queries with analytics on, "
        f"{hit['off']['redis_commands']} and {hit['off']['queries']} off. A "
        "page-cache hit is one Redis read; counting the view adds a second round "
        "trip (RPUSH) that a sync worker waits for. What that costs depends on how "
        "soon Redis answers, which on a shared machine depends on who else wants "
        "the cores: compare the rounds, and runs."
    )
    add("")
    reports = results["reports"]
    add(
        f"Page views queued in Redis during the measured rounds (one RPUSH per "
        f"answered page, no SQL): {events['on']:,} by the server with analytics on "
        f"for the {on['requests']:,} requests wrk counted (it stops counting "
        f"requests still in flight), {events['off']} by the server with it off "
        f"({events['off_queued']} queued by it in all). The drain task then wrote "
        f"{reports['drained']:,} events to PostgreSQL; the page's raw views now "
        f"number {reports['page_views']:,}."
    )
    add("")
    add(
        "SQL queries of a warm view of each analytics report, as a superuser, "
        "in-process on the bench database (the figures above in it):"
    )
    add("")
    names = {
        "campaign_index": "Wagtail: campaign performance (all pages)",
        "campaign_page": "Wagtail: one campaign's report (days, blocks, sources)",
        "product_dashboard": "Oscar dashboard: product page with sales by page",
    }
    _table(
        lines,
        ["Report", "queries", "SQL ms", "in-process ms"],
        [
            [
                names[name],
                str(view["queries"]),
                _n(view["sql_ms"], 1),
                _n(view["inprocess_ms"], 1),
            ]
            for name, view in reports["views"].items()
        ],
        "lrrr",
    )
    return "\n".join(lines)


def with_section(document: str, section: str, *, before: tuple[str, ...]) -> str:
    """`document` with `section` (starting with its "## " heading) in place of the
    section of the same heading, or inserted before the first of the `before`
    headings present (else at the end)."""
    heading = section.split("\n", 1)[0]
    lines = document.split("\n")
    if heading in lines:
        start = lines.index(heading)
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
            len(lines),
        )
    else:
        start = end = next(
            (i for i, line in enumerate(lines) if line in before), len(lines)
        )
    return "\n".join(
        [*lines[:start], *section.rstrip("\n").split("\n"), "", *lines[end:]]
    )


def markdown(results: dict) -> str:
    c = results["config"]
    lines: list[str] = []
    add = lines.append
    add("# Benchmarks")
    add("")
    add(
        "Written by `make bench` (see the README's *Benchmarks*): one run, on the "
        "machine below. Re-run it after a change that matters and commit this file."
    )
    add("")
    add("## Machine and set-up")
    add("")
    _table(lines, ["", ""], _setup_rows(results))

    found = ratios(results)
    add("## Targets")
    add("")
    _table(
        lines,
        ["target", "measured", ""],
        [[r["target"], r["measured"], _verdict(r)] for r in targets(results, found)],
    )

    add("## Ratios (same run)")
    add("")
    add(
        "Measured: the ratio of requests/s. By CPU cost: the inverse ratio of CPU time "
        "per request (web worker + PostgreSQL), which other work on the machine "
        "hardly moves; what the measured ratio would be on a quiet machine when "
        "both sides are CPU-bound."
    )
    add("")
    _table(
        lines,
        ["requests/s of", "measured", "by CPU cost"],
        [
            [
                label,
                f"{found[key]}x" if found[key] is not None else "–",
                f"{found[key + '_by_cpu']}x"
                if found.get(key + "_by_cpu") is not None
                else "–",
            ]
            for key, label in RATIO_LABELS.items()
        ],
        "lrr",
    )

    add("## Under load")
    add("")
    add(
        "Requests/s and latency from wrk. *CPU ms* is CPU time per request of the web "
        "workers and of PostgreSQL's server processes for them, while measured: the "
        "cost of a request, with no queueing in it. SQL queries and Redis commands "
        "per request are counted in-process "
        "(Django's test client through the same middleware, settings and database; a "
        f"warm request). *worker CPU* is the web workers' share of {c['workers'] * 100}"
        "% while measured: lower means they waited, on PostgreSQL or Redis or for CPU "
        "that other processes took; *load* is the load average as the scenario began."
    )
    add("")
    _table(
        lines,
        [
            "scenario",
            "page cache",
            "req/s",
            "CPU ms web",
            "CPU ms PG",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors",
            "SQL",
            "Redis",
            "KiB",
            "worker CPU",
            "load",
        ],
        _load_rows(results),
        "llrrrrrrrrrrrr",
    )
    add(
        "Errors count connection errors, timeouts and HTTP statuses of 400 and above. "
        "URLs: "
        + ", ".join(
            f"{name} `{s['path']}`"
            for name, s in results["runs"]
            .get("uncached", {})
            .get("scenarios", {})
            .items()
        )
        + "."
    )
    add("")

    _checkout(lines, results)
    _sale_day(lines, results)
    _flash_race(lines, results)
    _lighthouse(lines, results)

    add(MEMORY_HEADING)
    add("")
    for mode in ("uncached", "cached"):
        memory = results["runs"].get(mode, {}).get("memory")
        if memory:
            each = ", ".join(f"{w['peak_mib']} MiB" for w in memory["workers"])
            add(
                f"- page cache {'on' if mode == 'cached' else 'off'}: peak resident "
                f"memory (VmHWM) {memory['peak_mib']} MiB per worker after the load "
                f"({each})."
            )
    add("")

    _profiles(lines, results)

    add("## Reading these numbers")
    add("")
    add(
        f"- One {results['machine']['cores']}-core machine runs everything: wrk, the "
        "web workers, PostgreSQL, Redis and localstripe share the cores, and whatever "
        "else the machine is doing (the *load* column) takes its share. Absolute "
        "numbers move from run to run; the ratios compare scenarios measured in the "
        "same run, against the floor measured on the same server, and are the figures "
        "to track."
    )
    add(
        f"- wrk keeps {c['connections']} connections busy (closed loop) on "
        f"{c['workers']} sync workers, so latency includes waiting for a free worker: "
        "about connections / requests/s. A p99 below 300 ms at that load needs a "
        f"page costing under about {round(300 * c['workers'] / c['connections'])} ms "
        "of worker time; the one-connection-per-worker row shows the latency without "
        "the queue. wrk does not correct for coordinated omission."
    )
    add(
        "- Targets with a CPU-cost estimate are judged both ways: ⚠️ marks one where "
        "this run's throughput and the CPU cost disagree (other load moved the "
        "throughput); the CPU cost leaves out Redis's and wrk's own CPU."
    )
    add(
        "- The floor is a constant `HttpResponse` through the full middleware stack "
        "(`/bench/floor/`, mounted only with `BENCH_FLOOR_VIEW=1`): what any page "
        "served by Django could at most reach here."
    )
    add(
        "- No Celery worker runs during the bench: queued tasks (order e-mails, search "
        "index refreshes) wait in the bench's Redis database and are discarded."
    )
    add("")
    if NOTES.exists():
        add("## Notes")
        add("")
        add(NOTES.read_text().strip())
        add("")
    return "\n".join(lines)


def lighthouse_markdown(audits: dict, machine: dict) -> str:
    lines: list[str] = []
    _lighthouse(lines, {"lighthouse": audits, "machine": machine})
    scores = {
        category: {p: audits.get(p, {}).get(category) for p in LIGHTHOUSE_PAGES}
        for category in ("performance", "accessibility")
    }
    for category, found in scores.items():
        met = all(s is not None and s >= LIGHTHOUSE_TARGET for s in found.values())
        lines.append(
            f"Target {category} >= {LIGHTHOUSE_TARGET}: "
            + ("✅ met" if met else "❌ not met")
            + f" ({', '.join(f'{p} {s}' for p, s in found.items())})"
        )
    return "\n".join(lines) + "\n"


def write_reports(results: dict, json_path: Path, md_path: Path) -> str:
    from . import lighthouse

    results["lighthouse_version"] = lighthouse.version()
    found = ratios(results)
    results["ratios"] = found
    results["targets"] = targets(results, found)
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    text = markdown(results)
    md_path.write_text(text)
    return text


def main() -> None:
    """Rebuild report.md and docs/benchmarks.md from the last run's report.json
    (after editing bench/NOTES.md, say)."""
    from .environment import OUT, ROOT

    results = json.loads((OUT / "report.json").read_text())
    text = markdown(results)
    (OUT / "report.md").write_text(text)
    (ROOT / "docs" / "benchmarks.md").write_text(text)
    print("wrote bench/out/report.md and docs/benchmarks.md")


if __name__ == "__main__":
    main()
