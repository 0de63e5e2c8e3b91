"""The shop side of the demo: categories, product classes, products, stock, shipping."""

import random
from collections.abc import Callable
from decimal import Decimal

from django.contrib.sites.models import Site as DjangoSite
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import override
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from .images import stored_picture

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Country = get_model("address", "Country")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")
WeightBased = get_model("shipping", "WeightBased")
WeightBand = get_model("shipping", "WeightBand")

CURRENCY = "CNY"
CATEGORIES = {
    "fruit": "Fresh food > Fruit",
    "snacks": "Fresh food > Snacks",
    "tea": "Fresh food > Tea & coffee",
    "kitchen": "Home & living > Kitchen",
    "garden": "Home & living > Gardening",
    "skincare": "Beauty > Skincare",
    "audio": "Digital > Audio",
    "phone": "Digital > Phone accessories",
    "tops": "Fashion > Tops",
}
PRODUCT_CLASSES = {
    "grocery": (
        "Grocery",
        True,
        [("weight_grams", "Weight (g)", "integer"), ("origin", "Origin", "text")],
    ),
    "goods": ("Household goods", True, [("material", "Material", "text")]),
    "electronics": (
        "Electronics",
        True,
        [
            ("brand", "Brand", "text"),
            ("warranty_months", "Warranty (months)", "integer"),
        ],
    ),
    "apparel": (
        "Apparel",
        True,
        [("size", "Size", "text"), ("colour", "Colour", "text")],
    ),
}
# upc, title, category, class, price, stock (None: plenty), attributes, description
PRODUCTS = [
    (
        "MAL-1001",
        "Yunnan Sweet Mangoes 1 kg",
        "fruit",
        "grocery",
        "39.90",
        120,
        {"weight_grams": 1000, "origin": "Yunnan"},
        "Sun-ripened mangoes picked this week.",
    ),
    (
        "MAL-1002",
        "Hainan Lychee Gift Box",
        "fruit",
        "grocery",
        "88.00",
        4,
        {"weight_grams": 1500, "origin": "Hainan"},
        "Early-season lychees, cold-chain delivered.",
    ),
    (
        "MAL-1003",
        "Red Fuji Apples 2 kg",
        "fruit",
        "grocery",
        "29.90",
        200,
        {"weight_grams": 2000, "origin": "Shaanxi"},
        "Crisp and sweet, for the whole family.",
    ),
    (
        "MAL-1004",
        "Blueberries 125 g x 4",
        "fruit",
        "grocery",
        "45.00",
        0,
        {"weight_grams": 500, "origin": "Qingdao"},
        "Plump blueberries in four handy punnets.",
    ),
    (
        "MAL-1005",
        "Spicy Beef Jerky",
        "snacks",
        "grocery",
        "26.80",
        80,
        {"weight_grams": 200, "origin": "Sichuan"},
        "Slow-dried beef with Sichuan pepper.",
    ),
    (
        "MAL-1006",
        "Mixed Nuts Daily Packs x 30",
        "snacks",
        "grocery",
        "69.00",
        60,
        {"weight_grams": 750, "origin": "Zhejiang"},
        "One pack a day of roasted nuts and berries.",
    ),
    (
        "MAL-1007",
        "Matcha Wafer Rolls",
        "snacks",
        "grocery",
        "18.50",
        3,
        {"weight_grams": 180, "origin": "Fujian"},
        "Light wafer rolls with matcha cream.",
    ),
    (
        "MAL-1008",
        "West Lake Longjing Green Tea",
        "tea",
        "grocery",
        "128.00",
        40,
        {"weight_grams": 250, "origin": "Hangzhou"},
        "Spring-harvest Longjing in a gift tin.",
    ),
    (
        "MAL-1009",
        "Cold Brew Coffee Bags x 12",
        "tea",
        "grocery",
        "49.00",
        90,
        {"weight_grams": 360, "origin": "Yunnan"},
        "Steep overnight for smooth cold brew.",
    ),
    (
        "MAL-2001",
        "Non-stick Wok 32 cm",
        "kitchen",
        "goods",
        "199.00",
        35,
        {"material": "Aluminium"},
        "Even heat, easy clean, works on induction.",
    ),
    (
        "MAL-2002",
        "Ceramic Rice Bowls Set of 4",
        "kitchen",
        "goods",
        "59.00",
        70,
        {"material": "Ceramic"},
        "Hand-glazed bowls in four seasonal colours.",
    ),
    (
        "MAL-2003",
        "Bamboo Steamer Basket",
        "kitchen",
        "goods",
        "39.00",
        0,
        {"material": "Bamboo"},
        "Two-tier steamer for dumplings and buns.",
    ),
    (
        "MAL-2004",
        "Gardening Gloves",
        "garden",
        "goods",
        "19.90",
        150,
        {"material": "Latex"},
        "Grippy, breathable gloves for the balcony garden.",
    ),
    (
        "MAL-2005",
        "Self-watering Herb Planter",
        "garden",
        "goods",
        "79.00",
        25,
        {"material": "Recycled plastic"},
        "Grow basil, mint and coriander indoors.",
    ),
    (
        "MAL-3001",
        "Hydrating Sheet Masks x 10",
        "skincare",
        "goods",
        "99.00",
        110,
        {"material": "Cotton"},
        "Hyaluronic acid masks for a dewy glow.",
    ),
    (
        "MAL-3002",
        "Sunscreen SPF50 PA++++",
        "skincare",
        "goods",
        "129.00",
        2,
        {"material": "Lotion"},
        "Light, non-greasy, for daily city wear.",
    ),
    (
        "MAL-4001",
        "Wireless Earbuds Pro",
        "audio",
        "electronics",
        "399.00",
        45,
        {"brand": "Mallard Audio", "warranty_months": 12},
        "Active noise cancelling, 30 h battery.",
    ),
    (
        "MAL-4002",
        "Portable Bluetooth Speaker",
        "audio",
        "electronics",
        "259.00",
        5,
        {"brand": "Mallard Audio", "warranty_months": 12},
        "Waterproof speaker for the park.",
    ),
    (
        "MAL-4003",
        "65 W GaN Charger",
        "phone",
        "electronics",
        "149.00",
        100,
        {"brand": "Voltix", "warranty_months": 24},
        "Charges a phone and a laptop at once.",
    ),
    (
        "MAL-4004",
        "MagSafe Phone Stand",
        "phone",
        "electronics",
        "89.00",
        0,
        {"brand": "Voltix", "warranty_months": 12},
        "Foldable aluminium stand with magnets.",
    ),
    (
        "MAL-4005",
        "10000 mAh Power Bank",
        "phone",
        "electronics",
        "129.00",
        75,
        {"brand": "Voltix", "warranty_months": 18},
        "Slim enough for a pocket, fast charging.",
    ),
]
# A parent product with size variants: shoppers choose one on the product page.
VARIANT_PARENT = (
    "MAL-5000",
    "Organic Cotton Tee",
    "tops",
    "apparel",
    "Soft organic cotton tee in a relaxed fit.",
)
VARIANTS = [
    ("MAL-5001", "S", "79.00", 30),
    ("MAL-5002", "M", "79.00", 4),
    ("MAL-5003", "L", "79.00", 0),
]

# The catalogue's Chinese side (Chinese first in the demo): by UPC, the product's
# Chinese title and description; categories, attributes and shipping by their
# English names. Written to the Chinese columns only while they are empty, so a
# merchandiser's edits stand.
CHINESE_PRODUCTS = {
    "MAL-1001": ("云南甜芒果 1 公斤", "本周采摘的阳光熟芒果。"),
    "MAL-1002": ("海南荔枝礼盒", "早季荔枝，全程冷链配送。"),
    "MAL-1003": ("红富士苹果 2 公斤", "脆甜多汁，全家都爱。"),
    "MAL-1004": ("蓝莓 125 克 x 4", "饱满蓝莓，四盒小包装。"),
    "MAL-1005": ("麻辣牛肉干", "慢火风干牛肉，配四川花椒。"),
    "MAL-1006": ("每日坚果 30 包", "每天一包烘焙坚果和果干。"),
    "MAL-1007": ("抹茶威化卷", "轻薄威化卷，抹茶奶油夹心。"),
    "MAL-1008": ("西湖龙井绿茶", "春茶龙井，礼盒装。"),
    "MAL-1009": ("冷萃咖啡袋 x 12", "冷水浸泡一夜，口感顺滑。"),
    "MAL-2001": ("不粘炒锅 32 厘米", "受热均匀，易清洁，电磁炉可用。"),
    "MAL-2002": ("陶瓷饭碗四件套", "手工上釉，四季配色。"),
    "MAL-2003": ("竹蒸笼", "双层蒸笼，蒸饺子和包子。"),
    "MAL-2004": ("园艺手套", "防滑透气，阳台种花好帮手。"),
    "MAL-2005": ("自吸水香草花盆", "阳台种香草，一周浇一次水。"),
    "MAL-3001": ("补水面膜 x 10", "每片含精华液，敷 15 分钟。"),
    "MAL-3002": ("防晒霜 SPF50 PA++++", "清爽不油腻，日常防晒。"),
    "MAL-4001": ("无线降噪耳机 Pro", "主动降噪，续航 30 小时。"),
    "MAL-4002": ("便携蓝牙音箱", "防水小音箱，随身带。"),
    "MAL-4003": ("65W 氮化镓充电器", "一个充电器充手机和电脑。"),
    "MAL-4004": ("MagSafe 手机支架", "磁吸支架，桌面追剧。"),
    "MAL-4005": ("10000 毫安充电宝", "小巧充电宝，手机充两次。"),
    "MAL-5000": ("有机棉 T 恤", "柔软有机棉，宽松版型。"),
}
CHINESE_CATEGORIES = {
    "Fresh food": "生鲜食品",
    "Fruit": "水果",
    "Snacks": "零食",
    "Tea & coffee": "茶与咖啡",
    "Home & living": "家居生活",
    "Kitchen": "厨房",
    "Gardening": "园艺",
    "Beauty": "美妆",
    "Skincare": "护肤",
    "Digital": "数码",
    "Audio": "音频",
    "Phone accessories": "手机配件",
    "Fashion": "服饰",
    "Tops": "上衣",
}
CHINESE_ATTRIBUTES = {
    "weight_grams": "重量（克）",
    "origin": "产地",
    "material": "材质",
    "brand": "品牌",
    "warranty_months": "保修（月）",
    "size": "尺码",
    "colour": "颜色",
}
CHINESE_SHIPPING = {
    "standard": ("标准配送", "2–3 天送达。满 ¥99 包邮。"),
    "express": ("次日达", "主要城市次日送达。"),
    "bulky": ("大件配送", "按包裹重量计费。"),
}

GENERATED_ADJECTIVES = [
    "Everyday",
    "Classic",
    "Premium",
    "Mini",
    "Family",
    "Travel",
    "Organic",
    "Deluxe",
    "Smart",
    "Eco",
]
GENERATED_NOUNS = {
    "fruit": ("grocery", ["Pears", "Oranges", "Kiwis", "Grapes", "Dragon Fruit"]),
    "snacks": ("grocery", ["Crackers", "Seaweed Snacks", "Dried Mango", "Rice Cakes"]),
    "kitchen": ("goods", ["Chopsticks", "Cutting Board", "Tea Cups", "Storage Jars"]),
    "skincare": ("goods", ["Face Cream", "Cleanser", "Lip Balm", "Toner"]),
    "phone": ("electronics", ["USB-C Cable", "Phone Case", "Screen Protector"]),
}
CHINESE_WORDS = {
    "Everyday": "日常",
    "Classic": "经典",
    "Premium": "优选",
    "Mini": "迷你",
    "Family": "家庭装",
    "Travel": "旅行装",
    "Organic": "有机",
    "Deluxe": "豪华",
    "Smart": "智能",
    "Eco": "环保",
    "Pears": "梨",
    "Oranges": "橙子",
    "Kiwis": "猕猴桃",
    "Grapes": "葡萄",
    "Dragon Fruit": "火龙果",
    "Crackers": "饼干",
    "Seaweed Snacks": "海苔",
    "Dried Mango": "芒果干",
    "Rice Cakes": "米饼",
    "Chopsticks": "筷子",
    "Cutting Board": "砧板",
    "Tea Cups": "茶杯",
    "Storage Jars": "储物罐",
    "Face Cream": "面霜",
    "Cleanser": "洁面乳",
    "Lip Balm": "润唇膏",
    "Toner": "爽肤水",
    "USB-C Cable": "USB-C 数据线",
    "Phone Case": "手机壳",
    "Screen Protector": "钢化膜",
}
GENERATED_PREFIX = "GEN-"
GENERATED_IMAGE_POOL = 24
BATCH_SIZE = 500


def seed_site(*, domain: str) -> None:
    DjangoSite.objects.update_or_create(
        pk=1, defaults={"domain": domain, "name": "Mallard"}
    )


def seed_countries() -> None:
    for code, code3, numeric, name, ships in [
        ("CN", "CHN", "156", "China", True),
        ("HK", "HKG", "344", "Hong Kong", True),
        ("SG", "SGP", "702", "Singapore", True),
        ("GB", "GBR", "826", "United Kingdom", False),
        ("US", "USA", "840", "United States", False),
    ]:
        Country.objects.update_or_create(
            iso_3166_1_a2=code,
            defaults={
                "iso_3166_1_a3": code3,
                "iso_3166_1_numeric": numeric,
                "printable_name": name,
                "name": name,
                "is_shipping_country": ships,
                "display_order": 10 if code == "CN" else 0,
            },
        )


def _translate(obj, **chinese) -> None:
    """Fill the Chinese columns that are still empty (a merchandiser's text stands)."""
    changed = [
        f"{field}_zh_hans"
        for field, value in chinese.items()
        if value and not getattr(obj, f"{field}_zh_hans")
    ]
    for name in changed:
        setattr(obj, name, chinese[name.removesuffix("_zh_hans")])
    if changed:
        obj.save(update_fields=changed)


# Seeding writes the English columns whatever language the command runs in; the
# Chinese ones are filled from the tables above.
@override("en")
def seed_shipping() -> None:
    countries = Country.objects.filter(is_shipping_country=True)
    standard, _ = OrderAndItemCharges.objects.get_or_create(
        code="standard",
        defaults={
            "name": "Standard delivery",
            "price_per_order": Decimal("8.00"),
            "free_shipping_threshold": Decimal("99.00"),
            "description": "2–3 days. Free on orders over ¥99.",
        },
    )
    express, _ = OrderAndItemCharges.objects.get_or_create(
        code="express",
        defaults={
            "name": "Express delivery",
            "price_per_order": Decimal("20.00"),
            "description": "Next day in major cities.",
        },
    )
    bulky, created = WeightBased.objects.get_or_create(
        code="bulky",
        defaults={
            "name": "Bulky goods",
            "default_weight": Decimal("1.000"),
            "description": "Priced by parcel weight.",
        },
    )
    if created:
        for upper_limit, charge in [("1", "10"), ("5", "18"), ("20", "35")]:
            WeightBand.objects.create(
                method=bulky, upper_limit=Decimal(upper_limit), charge=Decimal(charge)
            )
    for method in (standard, express, bulky):
        method.countries.set(countries)
        name, description = CHINESE_SHIPPING[method.code]
        _translate(method, name=name, description=description)


@override("en")
def seed_categories() -> dict[str, Category]:
    categories = {
        key: create_from_breadcrumbs(path) for key, path in CATEGORIES.items()
    }
    for category in Category.objects.filter(name_en__in=CHINESE_CATEGORIES):
        _translate(category, name=CHINESE_CATEGORIES[category.name_en])
    for category in Category.objects.filter(image=""):
        category.image = stored_picture(
            f"demo/categories/{slugify(category.name)}.jpg",
            category.name,
            size=(400, 400),
        )
        category.save(update_fields=["image"])
    return categories


@override("en")
def seed_product_classes() -> dict[str, ProductClass]:
    classes = {}
    for key, (name, track_stock, attributes) in PRODUCT_CLASSES.items():
        product_class, _ = ProductClass.objects.get_or_create(
            slug=key, defaults={"name": name, "track_stock": track_stock}
        )
        for code, label, kind in attributes:
            attribute, _ = ProductAttribute.objects.get_or_create(
                product_class=product_class,
                code=code,
                defaults={"name": label, "type": kind},
            )
            _translate(attribute, name=CHINESE_ATTRIBUTES[code])
        classes[key] = product_class
    return classes


def seed_partner() -> Partner:
    partner, _ = Partner.objects.get_or_create(
        code="mallard", defaults={"name": "Mallard Store"}
    )
    return partner


def _stock(partner, product, *, price: str, stock: int) -> None:
    StockRecord.objects.get_or_create(
        product=product,
        partner=partner,
        defaults={
            "partner_sku": product.upc,
            "price": Decimal(price),
            "price_currency": CURRENCY,
            "num_in_stock": stock,
            "low_stock_threshold": 5,
        },
    )


def _image(product, *, label: str) -> None:
    if not product.images.exists():
        path = stored_picture(f"demo/products/{product.upc.lower()}.jpg", label)
        ProductImage.objects.create(product=product, original=path, display_order=0)


@override("en")
def seed_products(*, categories, classes, partner) -> int:
    """The curated catalogue. Returns how many products it created."""
    created_count = 0
    for (
        upc,
        title,
        category,
        class_key,
        price,
        stock,
        attributes,
        description,
    ) in PRODUCTS:
        product, created = Product.objects.get_or_create(
            upc=upc,
            defaults={
                "title": title,
                "product_class": classes[class_key],
                "description": f"<p>{description}</p>",
                "is_public": True,
            },
        )
        created_count += created
        if created:
            for code, value in attributes.items():
                setattr(product.attr, code, value)
            product.attr.save()
            ProductCategory.objects.create(
                product=product, category=categories[category]
            )
        _stock(partner, product, price=price, stock=stock)
        _image(product, label=title)
        _translate_product(product)

    upc, title, category, class_key, description = VARIANT_PARENT
    parent, created = Product.objects.get_or_create(
        upc=upc,
        defaults={
            "title": title,
            "product_class": classes[class_key],
            "structure": Product.PARENT,
            "description": f"<p>{description}</p>",
        },
    )
    created_count += created
    if created:
        ProductCategory.objects.create(product=parent, category=categories[category])
    _image(parent, label=title)
    _translate_product(parent)
    for child_upc, size, price, stock in VARIANTS:
        child, created = Product.objects.get_or_create(
            upc=child_upc,
            defaults={
                "title": f"{title} – {size}",
                "parent": parent,
                "structure": Product.CHILD,
            },
        )
        created_count += created
        if created:
            child.attr.size = size
            child.attr.colour = "Oat"
            child.attr.save()
        _stock(partner, child, price=price, stock=stock)
        _translate(child, title=f"{CHINESE_PRODUCTS[upc][0]} – {size}")
    return created_count


def _translate_product(product) -> None:
    title, description = CHINESE_PRODUCTS[product.upc]
    _translate(product, title=title, description=f"<p>{description}</p>")


@override("en")
def seed_generated_products(
    *, total: int, categories, classes, partner, progress: Callable[[int], None]
) -> int:
    """Top the catalogue up to `total` products with generated ones, in batches.

    Generated products reuse a small pool of pictures: a 10,000-product catalogue needs
    no 10,000 image files to be believable.
    """
    missing = total - Product.objects.count()
    if missing <= 0:
        return 0
    existing = set(
        Product.objects.filter(upc__startswith=GENERATED_PREFIX).values_list(
            "upc", flat=True
        )
    )
    rng = random.Random(42)
    pool = [
        stored_picture(f"demo/pool/{i:02d}.jpg", f"Mallard {i + 1}", seed=f"pool-{i}")
        for i in range(GENERATED_IMAGE_POOL)
    ]
    keys = list(GENERATED_NOUNS)
    number, created = 0, 0
    while created < missing:
        batch = []
        while len(batch) < min(BATCH_SIZE, missing - created):
            number += 1
            upc = f"{GENERATED_PREFIX}{number:06d}"
            if upc in existing:
                continue
            key = keys[number % len(keys)]
            class_key, nouns = GENERATED_NOUNS[key]
            adjective, noun = rng.choice(GENERATED_ADJECTIVES), rng.choice(nouns)
            title = f"{adjective} {noun} {number}"
            chinese = f"{CHINESE_WORDS[adjective]}{CHINESE_WORDS[noun]} {number}"
            batch.append(
                (
                    key,
                    class_key,
                    Product(
                        upc=upc,
                        title_en=title,
                        title_zh_hans=chinese,
                        title=title,
                        slug=slugify(title),
                        is_public=True,
                        structure=Product.STANDALONE,
                        product_class=classes[class_key],
                        description_en=f"<p>{title}: generated for larger demos.</p>",
                        description_zh_hans=f"<p>{chinese}：演示用商品。</p>",
                        description=f"<p>{title}: generated for larger demos.</p>",
                    ),
                )
            )
        with transaction.atomic():
            products = Product.objects.bulk_create([p for _, _, p in batch])
            ProductCategory.objects.bulk_create(
                ProductCategory(product=p, category=categories[key])
                for (key, _, _), p in zip(batch, products, strict=True)
            )
            StockRecord.objects.bulk_create(
                StockRecord(
                    product=p,
                    partner=partner,
                    partner_sku=p.upc,
                    price=Decimal(rng.randrange(500, 50000)) / 100,
                    price_currency=CURRENCY,
                    num_in_stock=rng.choice([0, 3, 20, 80]),
                    low_stock_threshold=5,
                )
                for p in products
            )
            ProductImage.objects.bulk_create(
                ProductImage(product=p, original=pool[i % len(pool)], display_order=0)
                for i, p in enumerate(products)
            )
        created += len(products)
        progress(len(products))
    return created
