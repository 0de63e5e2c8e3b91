"""Chinese search: a table of queries a shopper types and the product that must come
first. Products come from factories, on a shelf (category) of their own so the
seeded demo's products don't compete."""

from decimal import Decimal

import pytest
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from oscar.test.factories import create_product

from search.indexing import product_index_refresh
from search.site_search import site_search
from tests.factories import campaign

Product = get_model("catalogue", "Product")

# key: (English title, Chinese title)
SHELF = {
    "mango": ("Yunnan Sweet Mangoes", "云南甜芒果"),
    "lychee": ("Hainan Lychee Gift Box", "海南妃子笑荔枝礼盒"),
    "puer": ("Pu'er Tea Cake 357 g", "云南普洱茶饼 357 克"),
    "longjing": ("West Lake Longjing", "西湖龙井绿茶"),
    "earbuds": ("Wireless Earbuds Pro", "无线降噪耳机 Pro"),
    "case": ("Clear Phone Case", "iPhone 透明防摔手机壳"),
    "wok": ("Non-stick Wok 32 cm", "不粘炒锅 32 厘米"),
    "speaker": ("Portable Bluetooth Speaker", "便携蓝牙音箱"),
    "steamer": ("Bamboo Steamer Basket", "竹蒸笼"),
    "gloves": ("Gardening Gloves", ""),  # not translated yet
}

# query → the product that must come first
TABLE = [
    ("芒果", "mango"),  # a whole word in a longer title
    ("荔枝", "lychee"),  # a two-character word after a name jieba keeps whole
    ("普洱", "puer"),  # the word inside a longer word (普洱茶)
    ("普洱茶", "puer"),
    ("龙井", "longjing"),
    ("绿茶", "longjing"),
    ("耳机", "earbuds"),
    ("降噪耳机", "earbuds"),
    ("蓝牙音箱", "speaker"),
    ("手机壳", "case"),
    ("炒锅", "wok"),
    ("蒸笼", "steamer"),  # a word inside a three-character title
    ("iPhone 手机壳", "case"),  # mixed Chinese and Latin
    ("Pro 耳机", "earbuds"),
    ("蓝牙speaker", "speaker"),  # no space between the scripts
    ("云南芒果", "mango"),  # words that are apart in the title
    ("mangoes", "mango"),  # English keeps working
    ("wirel", "earbuds"),  # an English prefix (search as you type)
    ("gardening gloves", "gloves"),
    ("mg", "mango"),  # pinyin initials of 芒果
    ("lj", "longjing"),  # 龙井
    ("mangguo", "mango"),  # whole pinyin
]


@pytest.fixture
def shelf(db):
    category = create_from_breadcrumbs("Search shelf")
    products = {}
    for number, (key, (english, chinese)) in enumerate(SHELF.items()):
        product = create_product(
            upc=f"ZH-{number:03d}",
            title=english,
            title_en=english,
            title_zh_hans=chinese or None,
            price=Decimal("10.00"),
            num_in_stock=10,
        )
        product.categories.add(category)
        products[key] = product.pk
    product_index_refresh(product_ids=products.values())
    return category, products


def _top(query, category):
    outcome = site_search(query=query, category=category, record_hit=False)
    return outcome.products[0] if outcome.products else None


def test_each_query_finds_its_product_first(shelf):
    category, products = shelf
    names = {pk: key for key, pk in products.items()}

    wrong = {
        query: names.get(_top(query, category))
        for query, expected in TABLE
        if _top(query, category) != products[expected]
    }

    assert wrong == {}


def test_one_character_finds_every_product_with_it(shelf):
    category, products = shelf

    found = site_search(query="茶", category=category, record_hit=False).products

    assert set(found) == {products["puer"], products["longjing"]}


def test_an_untranslated_product_is_found_by_its_english_name_only(shelf):
    category, products = shelf

    assert _top("手套", category) is None
    assert _top("gloves", category) == products["gloves"]


def test_a_new_chinese_title_is_searchable_once_indexed(shelf):
    category, products = shelf
    gloves = Product.objects.get(pk=products["gloves"])
    gloves.title_zh_hans = "园艺手套"
    gloves.save()

    product_index_refresh(product_ids=[gloves.pk])

    assert _top("手套", category) == gloves.pk


@pytest.mark.postgres
def test_english_typos_keep_working(shelf):
    category, products = shelf

    outcome = site_search(query="speakr", category=category, record_hit=False)

    assert outcome.products[:1] == [products["speaker"]]
    assert outcome.matched_by == "typo"


def test_a_page_with_a_chinese_title_is_found_by_a_word_inside_it(db):
    page = campaign(slug="mango-festival", title="海南芒果节")

    found = site_search(query="芒果", record_hit=False).pages

    assert page.pk in [p.pk for p in found]
