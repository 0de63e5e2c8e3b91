"""The Wagtail side of the demo: a home page that sells, help pages and a campaign,
each in Chinese (the tree editors start from) and English (its translation)."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.urls import reverse
from django.utils import translation
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from home.models import CampaignIndexPage, CampaignPage, HomePage, StandardPage

from .images import draw_picture

HERO_TITLE = "Mallard demo: spring sale banner"

ZH, EN = "zh-hans", "en"

HOME_TEXT = {
    ZH: {
        "headline": "春季特卖",
        "text": "新鲜好物，明天送达",
        "button": "逛逛特卖",
        "picks": "今日精选",
        "fresh": "新鲜速达",
        "note": "<p>订单满 ¥99 免标准运费。</p>",
    },
    EN: {
        "headline": "Spring sale",
        "text": "Fresh picks, delivered tomorrow",
        "button": "Shop the sale",
        "picks": "Today's picks",
        "fresh": "Fresh & fast",
        "note": "<p>Free standard delivery on orders over ¥99.</p>",
    },
}

HELP_PAGES = {
    "help": {
        ZH: (
            "帮助与常见问题",
            "<h2>配送</h2><p>标准配送需 2–3 天，订单满 ¥99 免运费。</p>"
            "<h2>退货</h2><p>未拆封的商品可在 7 天内退货。</p>",
        ),
        EN: (
            "Help & FAQ",
            "<h2>Delivery</h2><p>Standard delivery takes 2–3 days and "
            "is free on orders over ¥99.</p><h2>Returns</h2>"
            "<p>Return unopened items within "
            "7 days.</p>",
        ),
    },
    "about": {
        ZH: ("关于 Mallard", "<p>Mallard 是一个开在手机网页上的小程序商城。</p>"),
        EN: (
            "About Mallard",
            "<p>Mallard is a mini program mall on the mobile web.</p>",
        ),
    },
}

INDEX_TEXT = {
    ZH: {"title": "活动", "intro": "商城里正在进行的活动。"},
    EN: {"title": "Campaigns", "intro": "What's on in the mall."},
}

CAMPAIGN_TEXT = {
    ZH: {
        "title": "春季特卖",
        "intro": "应季好物 8 折",
        "countdown": "距特卖结束还有",
        "ended": "特卖已结束",
        "banner_button": "查看全部优惠商品",
        "grid": "春季精选",
        "spotlight": "编辑推荐",
        "strip": "继续逛逛",
        "voucher": "新朋友？整单 9 折",
    },
    EN: {
        "title": "Spring sale",
        "intro": "20% off seasonal favourites",
        "countdown": "Sale ends in",
        "ended": "The sale has ended",
        "banner_button": "See all offer products",
        "grid": "Spring picks",
        "spotlight": "Editor's choice",
        "strip": "Keep shopping",
        "voucher": "New here? 10% off your basket",
    },
}


def languages() -> list[str]:
    """The content languages, the default (Chinese) first: the tree editors start
    from is created in it, the others are its translations."""
    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    default = Locale.get_default().language_code
    return [default, *(code for code in codes if code != default)]


def _locale(code: str) -> Locale:
    return Locale.objects.get_or_create(language_code=code)[0]


def _hero_image():
    Image = get_image_model()
    image = Image.objects.filter(title=HERO_TITLE).first()
    if image is None:
        picture = ContentFile(
            draw_picture("Spring sale up to 30% off", size=(1600, 900), seed="hero"),
            name="mallard-hero.jpg",
        )
        image = Image(title=HERO_TITLE, collection=Collection.get_first_root_node())
        image.file = ImageFile(picture, name="mallard-hero.jpg")
        image.save()
    return image


def ensure_site_root() -> HomePage:
    """The rows Wagtail's and our migrations create (locales, root page and
    collection, home page, default site), recreated if a flush removed them. The
    home page returned is the default language's (the site's root)."""
    default = _locale(settings.LANGUAGE_CODE)
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        _locale(code)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=default, live=True)
    )
    home = HomePage.objects.filter(locale=default).first() or HomePage.objects.first()
    if home is None:
        home = HomePage(title="Mallard", slug="home", locale=default)
        root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Mallard",
        },
    )
    return home


def _versions(original: Page | None, build, fill) -> dict[str, Page]:
    """`original` in every content language, published: the missing ones are made
    (when there is no original, the first language's is `build(code)`, a new page
    and its parent; the rest are Wagtail's copy_for_translation of it) and filled
    with `fill(page, code)`."""
    versions = {}
    for code in languages():
        page = original.get_translation_or_none(_locale(code)) if original else None
        if page is None:
            if original is None:
                page, parent = build(code)
                fill(page, code)
                page = original = parent.add_child(instance=page)
            else:
                page = original.copy_for_translation(_locale(code)).specific
                fill(page, code)
            page.save_revision().publish()
        versions[code] = page.specific
    return versions


def _campaign_url(code: str) -> str:
    with translation.override(code):
        return reverse("wagtail_serve", args=["campaigns/spring-sale/"])


def _fill_home(page: HomePage, code: str, *, picks, fresh) -> None:
    text = HOME_TEXT[code]
    page.title = "Mallard"
    page.body = [
        (
            "hero",
            {
                "image": _hero_image(),
                "headline": text["headline"],
                "text": text["text"],
                "link": {
                    "text": text["button"],
                    "page": None,
                    "product": None,
                    "url": _campaign_url(code),
                },
            },
        ),
        ("product_grid", {"heading": text["picks"], "products": picks}),
        ("product_grid", {"heading": text["fresh"], "products": fresh}),
        ("rich_text", RichText(text["note"])),
    ]


def seed_home_page(*, picks, fresh) -> dict[str, HomePage]:
    """The home page in each language, filled the first time only: after that it
    belongs to the editors."""
    home = ensure_site_root()

    def fill(page, code):
        _fill_home(page, code, picks=picks, fresh=fresh)

    if not home.body:
        fill(home, home.locale.language_code)
        home.save_revision().publish()
    return _versions(home, build=None, fill=fill)


def seed_help_pages(homes: dict[str, HomePage]) -> None:
    for slug, texts in HELP_PAGES.items():

        def build(code, slug=slug):
            return StandardPage(slug=slug), homes[code]

        def fill(page, code, texts=texts):
            page.title, html = texts[code]
            page.body = [("rich_text", RichText(html))]

        _versions(_child(homes, StandardPage, slug), build, fill)


def _child(parents: dict[str, Page], model, slug: str) -> Page | None:
    """The page `slug` under any language's parent (the original of the others)."""
    for code in languages():
        page = model.objects.child_of(parents[code]).filter(slug=slug).first()
        if page is not None:
            return page
    return None


def seed_campaigns(
    homes: dict[str, HomePage], *, sale, spring, voucher, spotlight, categories
) -> dict[str, CampaignIndexPage]:
    """A campaign index with one running campaign that uses every kind of block."""

    def build_index(code):
        return CampaignIndexPage(slug="campaigns"), homes[code]

    def _fill_index(page, code):
        page.title = INDEX_TEXT[code]["title"]
        page.intro = INDEX_TEXT[code]["intro"]

    existing = next(
        (
            index
            for code in languages()
            if (index := CampaignIndexPage.objects.child_of(homes[code]).first())
        ),
        None,
    )
    indexes = _versions(existing, build_index, _fill_index)

    def build_campaign(code):
        page = CampaignPage(
            slug="spring-sale",
            theme_colour="#1b7f5a",
            hero_image=_hero_image(),
            offer=sale,
        )
        return page, indexes[code]

    def fill_campaign(page, code):
        text = CAMPAIGN_TEXT[code]
        page.title = text["title"]
        page.intro = text["intro"]
        page.body = _campaign_body(
            text,
            sale=sale,
            spring=spring,
            voucher=voucher,
            spotlight=spotlight,
            categories=categories,
        )

    _versions(
        _child(indexes, CampaignPage, "spring-sale"), build_campaign, fill_campaign
    )
    return indexes


def _campaign_body(text, *, sale, spring, voucher, spotlight, categories):
    return [
        (
            "countdown",
            {
                "headline": text["countdown"],
                "ends_at": sale.end_datetime,
                "ended_text": text["ended"],
            },
        ),
        (
            "offer_banner",
            {"offer": sale, "image": None, "button_text": text["banner_button"]},
        ),
        (
            "product_grid",
            {
                "heading": text["grid"],
                "source": "rule",
                "products": [],
                "category": None,
                "product_range": spring,
                "sort": "price-asc",
                "limit": 8,
                "when_unavailable": "sold_out",
            },
        ),
        (
            "product_spotlight",
            {
                "product": spotlight,
                "headline": text["spotlight"],
                "when_unavailable": "hide",
            },
        ),
        ("category_strip", {"heading": text["strip"], "categories": categories}),
        ("voucher", {"voucher": voucher, "text": text["voucher"]}),
    ]
