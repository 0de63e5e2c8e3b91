"""The Wagtail side of the demo: a home page that sells, and help pages."""

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail.rich_text import RichText

from home.models import CampaignIndexPage, CampaignPage, HomePage, StandardPage

from .images import draw_picture

HERO_TITLE = "Mallard demo: spring sale banner"


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
    """The rows Wagtail's and our migrations create (locale, root page and collection,
    home page, default site), recreated if a flush removed them."""
    locale = Locale.objects.first() or Locale.objects.create(language_code="en")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale, live=True)
    )
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(title="Mallard", slug="home", locale=locale)
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


def seed_home_page(*, picks, fresh) -> HomePage:
    """Fill the home page the first time only: after that it belongs to the editors."""
    home = ensure_site_root()
    if not home.body:
        home.title = "Mallard"
        home.body = [
            (
                "hero",
                {
                    "image": _hero_image(),
                    "headline": "Spring sale",
                    "text": "Fresh picks, delivered tomorrow",
                    "link": {
                        "text": "Shop the sale",
                        "page": None,
                        "product": None,
                        "url": "/campaigns/spring-sale/",
                    },
                },
            ),
            ("product_grid", {"heading": "Today's picks", "products": picks}),
            ("product_grid", {"heading": "Fresh & fast", "products": fresh}),
            (
                "rich_text",
                RichText("<p>Free standard delivery on orders over ¥99.</p>"),
            ),
        ]
        home.save_revision().publish()
    return home


def seed_help_pages(home: HomePage) -> None:
    pages = [
        (
            "help",
            "Help & FAQ",
            "<h2>Delivery</h2><p>Standard delivery takes 2–3 days and "
            "is free on orders over ¥99.</p><h2>Returns</h2>"
            "<p>Return unopened items within "
            "7 days.</p>",
        ),
        (
            "about",
            "About Mallard",
            "<p>Mallard is a mini program mall on the mobile web.</p>",
        ),
    ]
    for slug, title, html in pages:
        if home.get_children().filter(slug=slug).exists():
            continue
        page = StandardPage(
            title=title, slug=slug, body=[("rich_text", RichText(html))]
        )
        home.add_child(instance=page)
        page.save_revision().publish()


def seed_campaigns(home: HomePage, *, sale, spring, voucher, spotlight, categories):
    """A campaign index with one running campaign that uses every kind of block."""
    index = CampaignIndexPage.objects.child_of(home).first()
    if index is None:
        index = CampaignIndexPage(
            title="Campaigns", slug="campaigns", intro="What's on in the mall."
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    if CampaignPage.objects.child_of(index).filter(slug="spring-sale").exists():
        return index
    campaign = CampaignPage(
        title="Spring sale",
        slug="spring-sale",
        intro="20% off seasonal favourites",
        theme_colour="#1b7f5a",
        hero_image=_hero_image(),
        offer=sale,
        body=[
            (
                "countdown",
                {
                    "headline": "Sale ends in",
                    "ends_at": sale.end_datetime,
                    "ended_text": "The sale has ended",
                },
            ),
            (
                "offer_banner",
                {"offer": sale, "image": None, "button_text": "See all offer products"},
            ),
            (
                "product_grid",
                {
                    "heading": "Spring picks",
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
                    "headline": "Editor's choice",
                    "when_unavailable": "hide",
                },
            ),
            ("category_strip", {"heading": "Keep shopping", "categories": categories}),
            ("voucher", {"voucher": voucher, "text": "New here? 10% off your basket"}),
        ],
    )
    index.add_child(instance=campaign)
    campaign.save_revision().publish()
    return index
