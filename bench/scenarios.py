"""What the bench measures, built from the URLs bench.fixtures made."""

from .loadgen import Scenario, basket_add_scenario

# Measured on the server with the page cache off, then again with it on.
UNCACHED = (
    "floor",
    "home",
    "campaign_4",
    "campaign_48",
    "campaign_48_light",
    "campaign_96",
    "listing_48",
    "product",
    "category",
    "search",
    "add_to_basket",
)
CACHED = ("floor", "home", "campaign_4", "campaign_48", "campaign_96")
# Measured with one connection per web worker instead of the full load: the latency
# of a request that never waits behind another.
LIGHT = "_light"
# The cached campaign page idle, then while discounted guest checkouts run
# (run.sale_day), on the page-cached server.
SALE = "sale"
# The flash sale page idle, then while buyers race for the pool at its session's
# start (run.flash_race), on the page-cached server.
FLASH = "flash"
# The cached campaign page from two servers, analytics on and off (run.analytics_only).
ANALYTICS = "analytics"
# Candidates for "the slowest scenario" that gets profiled.
PAGES = tuple(n for n in UNCACHED if n != "floor" and not n.endswith(LIGHT))


def scenarios(facts: dict) -> dict[str, Scenario]:
    campaigns = facts["campaign_urls"]
    found = [
        Scenario("floor", "Floor: constant response, full middleware", "/bench/floor/"),
        Scenario("home", "Home page (Wagtail)", facts["home_url"]),
        *(
            Scenario(f"campaign_{n}", f"Campaign page, {n} tiles", campaigns[str(n)])
            for n in (4, 48, 96)
        ),
        Scenario(
            "campaign_48_light",
            "Campaign page, 48 tiles, one connection per worker",
            campaigns["48"],
        ),
        Scenario(
            "listing_48",
            "Oscar category listing of the same 48 products",
            facts["listing_url"],
        ),
        Scenario("product", "Product detail", facts["product_url"]),
        Scenario(
            "category", "Category listing (Fresh food, page 1)", facts["category_url"]
        ),
        Scenario("search", "Search (“tea”)", facts["search_url"]),
        basket_add_scenario(facts["basket_add_url"]),
        Scenario(
            SALE,
            "Sale campaign page, 48 tiles, one of them on offer and being bought",
            facts["sale_url"],
        ),
    ]
    return {scenario.name: scenario for scenario in found}
