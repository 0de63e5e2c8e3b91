"""Flash sales built the way merchandisers build them: through the services, one
merchandiser creating and a second approving."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from oscar.test.factories import create_product

from shop.flashsales import services


def merchandiser(username: str, *, approver: bool = True):
    """A staff user with the flash sale permissions (approving too, unless not)."""
    user, _ = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@example.com", "is_staff": True},
    )
    codenames = ["view_flashsale", "add_flashsale", "change_flashsale"]
    if approver:
        codenames.append("approve_flashsale")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="flashsales", codename__in=codenames
        )
    )
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def product(*, price="100.00", stock=100, title="Flash kettle"):
    return create_product(
        title=title,
        price=Decimal(price),
        num_in_stock=stock,
        product_class="Flash goods",
    )


def flash_sale(
    item_product,
    *,
    price="50.00",
    pool=20,
    limit=2,
    starts=None,
    ends=None,
    approve=True,
    name="Midnight kettles",
):
    """A sale with one session (running now unless `starts`/`ends` say otherwise)
    selling `pool` units of `item_product` at `price`, approved by a second
    merchandiser unless `approve` is False. Returns (sale, session, item)."""
    now = timezone.now()
    starts = starts or now - timedelta(minutes=5)
    ends = ends or now + timedelta(hours=2)
    author = merchandiser("flash-author")
    sale = services.sale_create(name=name, by=author)
    session = services.session_add(sale=sale, starts_at=starts, ends_at=ends, by=author)
    item = services.item_add(
        session=session,
        product=item_product,
        flash_price=Decimal(price),
        pool=pool,
        limit_per_shopper=limit,
        by=author,
    )
    if approve:
        sale = services.sale_approve(sale=sale, by=merchandiser("flash-approver"))
    item.refresh_from_db()
    session.refresh_from_db()
    return sale, session, item
