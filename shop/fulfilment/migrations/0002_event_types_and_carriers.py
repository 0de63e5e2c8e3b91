"""What a fresh install needs for the order lifecycle: Oscar's shipping and payment
event types, the order e-mails' communication event types, and the carriers."""

from django.db import migrations
from django.utils.text import slugify

SHIPPING_EVENT_TYPES = ["Dispatched", "Delivered", "Returned", "Cancelled"]
PAYMENT_EVENT_TYPES = ["Paid", "Refunded"]
EMAILS = {
    "ORDER_DISPATCHED": "Order dispatched",
    "ORDER_DELIVERED": "Order delivered",
    "ORDER_CANCELLED": "Order cancelled",
    "ORDER_REFUNDED": "Order refunded",
}
# Tracking links through kuaidi100, which follows every carrier listed by its code.
KUAIDI100 = "https://www.kuaidi100.com/chaxun?com={com}&nu={{number}}"
CARRIERS = [
    ("sf", "SF Express 顺丰速运", "shunfeng"),
    ("jd", "JD Logistics 京东物流", "jd"),
    ("zto", "ZTO Express 中通快递", "zhongtong"),
    ("yto", "YTO Express 圆通速递", "yuantong"),
    ("ems", "EMS 中国邮政速递", "ems"),
    ("chinapost", "China Post 中国邮政", "youzhengguonei"),
    ("other", "Other 其他", None),
]


def create(apps, schema_editor):
    ShippingEventType = apps.get_model("order", "ShippingEventType")
    PaymentEventType = apps.get_model("order", "PaymentEventType")
    CommunicationEventType = apps.get_model("communication", "CommunicationEventType")
    Carrier = apps.get_model("fulfilment", "Carrier")
    for name in SHIPPING_EVENT_TYPES:
        ShippingEventType.objects.get_or_create(
            name=name, defaults={"code": slugify(name)}
        )
    for name in PAYMENT_EVENT_TYPES:
        PaymentEventType.objects.get_or_create(
            name=name, defaults={"code": slugify(name)}
        )
    for code, name in EMAILS.items():
        CommunicationEventType.objects.get_or_create(
            code=code, defaults={"name": name, "category": "Order related"}
        )
    for position, (code, name, com) in enumerate(CARRIERS):
        Carrier.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "position": position,
                "tracking_url_template": KUAIDI100.format(com=com) if com else "",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fulfilment", "0001_initial"),
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("communication", "0004_auto_20200801_0817"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
