"""Wagtail's own changes that invalidate every cached page (PAGES): publishing,
unpublishing, moving or deleting any page can change links and menus on others, and
sites, view restrictions, images, documents and site settings show on many pages."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from .tags import PAGES
from .versions import invalidate


def _on_content(sender, **kwargs):
    if not kwargs.get("raw", False):  # fixtures loading: nothing is cached from them
        invalidate(PAGES)


def connect() -> None:
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(_on_content, dispatch_uid=f"pagecache:{id(signal)}")
    post_delete.connect(_on_content, sender=Page, dispatch_uid="pagecache:page")
    content = [Site, PageViewRestriction, get_image_model(), get_document_model()]
    content += [
        model
        for model in apps.get_models()
        if issubclass(model, (BaseSiteSetting, BaseGenericSetting))
    ]
    for model in content:
        uid = f"pagecache:content:{model._meta.label_lower}"
        post_save.connect(_on_content, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_on_content, sender=model, dispatch_uid=f"{uid}:delete")
