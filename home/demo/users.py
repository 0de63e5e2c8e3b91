"""Demo users, one per role, and the groups that give each role its powers."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

EDITORS = "Marketing editors"
MERCHANDISERS = settings.MERCHANDISER_GROUP

# Oscar 4.2's dashboard checks model permissions view by view, on top of is_staff.
MERCHANDISER_APPS = [
    "catalogue",
    "partner",
    "offer",
    "voucher",
    "order",
    "shipping",
    "payment",
    "reviews",
    "analytics",
    "coupons",
    # Flash sales, approving included (a sale still needs a second merchandiser).
    "flashsales",
]
# Editors pin search results for queries (Wagtail's promoted search results) and keep
# words out of the search page's hot searches.
EDITOR_MODEL_PERMISSIONS = [
    (app_label, f"{action}_{model}")
    for app_label, model in (
        ("wagtailsearchpromotions", "searchpromotion"),
        ("search", "blockedsearchterm"),
    )
    for action in ("add", "change", "delete", "view")
]
EDITOR_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
]
EDITOR_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    email: str
    password: str | None  # None when an existing password was kept


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def seed_groups(*, homes: list[Page]) -> tuple[Group, Group]:
    """`homes`: the home page in each language (one page tree per language)."""
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(_permission("wagtailadmin", "access_admin"))
    # Editors make the other language's version of a page (wagtail-localize).
    editors.permissions.add(_permission("wagtail_localize", "submit_translation"))
    editors.permissions.add(
        *[_permission(app, codename) for app, codename in EDITOR_MODEL_PERMISSIONS]
    )
    for home in homes:
        for codename in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=editors,
                page=home,
                permission=_permission("wagtailcore", codename),
            )
    root_collection = Collection.get_first_root_node()
    for app_label, codename in EDITOR_COLLECTION_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=editors,
            collection=root_collection,
            permission=_permission(app_label, codename),
        )
    # Merchandisers are staff for Oscar's dashboard, with no Wagtail admin access.
    merchandisers, _ = Group.objects.get_or_create(name=MERCHANDISERS)
    merchandisers.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=MERCHANDISER_APPS)
    )
    return editors, merchandisers


def seed_users(
    *, editors: Group, merchandisers: Group, reset_passwords: bool
) -> list[DemoUser]:
    User = get_user_model()
    roles = [
        ("admin", "Administrator", {"is_staff": True, "is_superuser": True}, None),
        ("editor", "Marketing editor", {}, editors),
        ("merchandiser", "Merchandiser", {"is_staff": True}, merchandisers),
        ("shopper", "Shopper", {}, None),
    ]
    seeded = []
    for username, role, flags, group in roles:
        email = f"{username}@mallard.test"
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": email, "first_name": role, **flags}
        )
        if group is not None:
            user.groups.add(group)
        password = None
        if created or reset_passwords:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save(update_fields=["password"])
        seeded.append(
            DemoUser(username=username, role=role, email=email, password=password)
        )
    return seeded
