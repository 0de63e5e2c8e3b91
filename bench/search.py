"""Search latency inside Django, on the bench's catalogue: the site's one search
(search.site_search, what the search page and the suggestions endpoint run) for
Chinese and English queries, each query many times; p50/p95 per language.

    python -m bench.search --out O.json [--rounds N]

run.py starts it with the same environment as gunicorn (`--only search`). In-process
on purpose: the figure is the search itself (segmentation and the database's
full-text query), not the page around it, which the page scenarios measure.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

# What shoppers type: whole words, words inside longer titles, single characters,
# mixed scripts, pinyin initials; English words, prefixes and a typo.
QUERIES = {
    "Chinese": [
        "芒果",
        "茶",
        "绿茶",
        "龙井",
        "耳机",
        "降噪耳机",
        "手机壳",
        "蓝牙音箱",
        "有机梨",
        "经典饼干",
        "猕猴桃",
        "充电器",
        "USB-C 数据线",
        "Smart 手机壳",
        "mg",
        "hlg",
    ],
    "English": [
        "mango",
        "tea",
        "green tea",
        "earbuds",
        "phone case",
        "organic pears",
        "classic crackers",
        "kiwis",
        "charger",
        "usb-c cable",
        "wirel",
        "earbuts",
        "speakr",
        "cutting board",
        "lip balm",
        "toner",
    ],
}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(rounds: int) -> dict:
    import django

    django.setup()
    from oscar.core.loading import get_model

    from search.site_search import site_search, suggestions

    Product = get_model("catalogue", "Product")
    results = {
        "products": Product.objects.count(),
        "rounds": rounds,
        "languages": {},
    }
    for language, queries in QUERIES.items():
        for query in queries:  # warm: plans cached, dictionaries loaded
            site_search(query=query, record_hit=False)
        timings, suggest_timings, found, how = [], [], {}, {}
        for _ in range(rounds):
            for query in queries:
                started = time.perf_counter()
                outcome = site_search(query=query, record_hit=False)
                timings.append((time.perf_counter() - started) * 1000)
                found[query], how[query] = len(outcome.products), outcome.matched_by
                started = time.perf_counter()
                suggestions(query=query)
                suggest_timings.append((time.perf_counter() - started) * 1000)
        results["languages"][language] = {
            "queries": len(queries),
            "searches": len(timings),
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(_percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1),
            "suggest_p50_ms": round(statistics.median(suggest_timings), 1),
            "suggest_p95_ms": round(_percentile(suggest_timings, 0.95), 1),
            "found": found,
            "matched_by": how,
        }
    results["segmentation"] = _segmentation_cost()
    return results


def _segmentation_cost() -> dict:
    """Cutting a product title into words, per title (what indexing adds)."""
    from search.segmentation import index_text

    # A different character in each, so no title's words come from the cache.
    titles = [f"海南贵妃芒果{chr(0x4E00 + n)}斤装当季新鲜水果" for n in range(2000)]
    started = time.perf_counter()
    for title in titles:
        index_text(title)
    return {"index_text_us": round((time.perf_counter() - started) / 2000 * 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    args.out.write_text(json.dumps(measure(args.rounds), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
