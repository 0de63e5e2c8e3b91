"""Every change to an offer or voucher is recorded: who, when, and each changed
field's value before and after.

Offers and vouchers are written by many hands: Oscar's offer wizard and voucher
forms, their status buttons, the Django admin, seed data, and campaign pages that own
an offer. Rather than fork each of Oscar's dashboard views, the models' save and
delete are watched here (pre_save reads the row as it was, post_save compares), and
the person is the one of the request doing the write: `PromotionActorMiddleware`
puts it in a context variable, `acting_as()` does the same outside a request. A
write with neither (a Celery task, a shell) is credited to the system.

Usage counters (times used, discount given, basket additions) change on every order
and are not changes by a person: they are left out, and a save that changes only
them records nothing. A queryset `.update()` sends no signal and is not recorded.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cache

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from .models import PromotionChange

_COUNTERS = {
    "num_applications",
    "total_discount",
    "num_orders",
    "num_basket_additions",
    "date_created",
    "date_updated",
    "id",
}

_actor: ContextVar[tuple[object, str] | None] = ContextVar(
    "promotion_actor", default=None
)


@contextmanager
def acting_as(user, *, source: str) -> Iterator[None]:
    """Credit the offer and voucher writes inside to `user` (None: the system)."""
    token = _actor.set((user, source))
    try:
        yield
    finally:
        _actor.reset(token)


def _current_actor() -> tuple[object | None, str]:
    actor = _actor.get()
    if actor is None:
        return None, PromotionChange.SYSTEM
    who, source = actor
    user = getattr(who, "user", who)  # a request resolves its lazy user only now
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return user, source


@cache
def _admin_prefixes() -> tuple[tuple[str, str], ...]:
    return (
        (reverse("dashboard:index"), PromotionChange.DASHBOARD),
        (reverse("wagtailadmin_home"), PromotionChange.WAGTAIL),
    )


class PromotionActorMiddleware:
    """Makes the request's user the author of any offer or voucher change it makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        source = next(
            (
                source
                for prefix, source in _admin_prefixes()
                if request.path.startswith(prefix)
            ),
            PromotionChange.SYSTEM,
        )
        with acting_as(request, source=source):
            return self.get_response(request)


def promotion_record_change(
    *,
    kind: str,
    obj,
    action: str,
    changes: dict[str, list[str]],
    user=None,
    source: str | None = None,
) -> PromotionChange | None:
    """Record one change to an offer or voucher, credited to `user` and `source`,
    or, when not given, to whoever is acting now (see `acting_as`). A change with
    no changed fields records nothing."""
    if action == PromotionChange.CHANGED and not changes:
        return None
    if source is None:
        acting_user, source = _current_actor()
        user = user or acting_user
    return PromotionChange.objects.create(
        kind=kind,
        object_id=obj.pk,
        object_name=str(getattr(obj, "name", "") or obj)[:255],
        action=action,
        changes=changes,
        user=user,
        source=source,
    )


def history(obj) -> models.QuerySet:
    """The recorded changes to an offer or voucher, newest first."""
    return PromotionChange.objects.filter(
        kind=_kind(type(obj)), object_id=obj.pk
    ).select_related("user")


# --- Watching Oscar's models -------------------------------------------------------


def _kind(model) -> str:
    return (
        PromotionChange.VOUCHER
        if model._meta.label_lower == "voucher.voucher"
        else PromotionChange.OFFER
    )


def _tracked(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.name not in _COUNTERS and field.attname not in _COUNTERS
    ]


def _display(field: models.Field, value) -> str:
    if value is None or value == "":
        return ""
    if field.is_relation:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _diff(model, before: dict, after: dict, *, prefix: str = "") -> dict:
    changes = {}
    for field in _tracked(model):
        old, new = before.get(field.attname), after.get(field.attname)
        if old != new and not (old in (None, "") and new in (None, "")):
            label = f"{prefix}{field.verbose_name}"
            changes[label] = [_display(field, old), _display(field, new)]
    return changes


def _snapshot(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in _tracked(type(instance))}


def _before_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    attnames = [f.attname for f in _tracked(sender)]
    instance._promotion_before = (
        sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    )


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_promotion_before", None)
    instance._promotion_before = None
    after = _snapshot(instance)
    if created or before is None:
        changes = _diff(sender, {}, after)
        promotion_record_change(
            kind=_kind(sender),
            obj=instance,
            action=PromotionChange.CREATED,
            changes=changes,
        )
        return
    promotion_record_change(
        kind=_kind(sender),
        obj=instance,
        action=PromotionChange.CHANGED,
        changes=_diff(sender, before, after),
    )


def _after_delete(sender, instance, **kwargs):
    promotion_record_change(
        kind=_kind(sender), obj=instance, action=PromotionChange.DELETED, changes={}
    )


def _after_part_save(sender, instance, created, raw=False, **kwargs):
    """A condition or benefit edited in place changes every offer using it."""
    before = getattr(instance, "_promotion_before", None)
    instance._promotion_before = None
    if raw or created or before is None:
        return
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    prefix = f"{sender._meta.verbose_name.capitalize()}: "
    changes = _diff(sender, before, _snapshot(instance), prefix=prefix)
    if not changes:
        return
    for offer in ConditionalOffer.objects.filter(**{sender._meta.model_name: instance}):
        promotion_record_change(
            kind=PromotionChange.OFFER,
            obj=offer,
            action=PromotionChange.CHANGED,
            changes=changes,
        )


def _m2m_watcher(label: str):
    """Records a change of a many-to-many list (a voucher's offers, an offer's
    allowed combinations) as the names before and after."""

    def names(instance, attname) -> str:
        return ", ".join(sorted(str(o) for o in getattr(instance, attname).all()))

    def receiver(sender, instance, action, reverse, model, pk_set, **kwargs):
        if reverse:
            return  # recorded from the owning side only, when edited there
        attname = label
        if action.startswith("pre_"):
            instance._promotion_m2m_before = names(instance, attname)
        elif action.startswith("post_"):
            before = getattr(instance, "_promotion_m2m_before", "")
            after = names(instance, attname)
            if before != after:
                field = type(instance)._meta.get_field(attname)
                promotion_record_change(
                    kind=_kind(type(instance)),
                    obj=instance,
                    action=PromotionChange.CHANGED,
                    changes={str(field.verbose_name): [before, after]},
                )

    return receiver


_voucher_offers_changed = _m2m_watcher("offers")
_offer_combinations_changed = _m2m_watcher("combinations")


def connect() -> None:
    ConditionalOffer = get_model("offer", "ConditionalOffer")
    Voucher = get_model("voucher", "Voucher")
    for model in (ConditionalOffer, Voucher):
        uid = f"promotions:{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}:pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}:post")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}:del")
    for model in (get_model("offer", "Condition"), get_model("offer", "Benefit")):
        uid = f"promotions:{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}:pre")
        post_save.connect(_after_part_save, sender=model, dispatch_uid=f"{uid}:post")
    m2m_changed.connect(
        _voucher_offers_changed,
        sender=Voucher.offers.through,
        dispatch_uid="promotions:voucher_offers",
    )
    m2m_changed.connect(
        _offer_combinations_changed,
        sender=ConditionalOffer.combinations.through,
        dispatch_uid="promotions:offer_combinations",
    )
