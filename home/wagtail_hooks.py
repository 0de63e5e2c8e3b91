from wagtail import hooks

from .viewsets import ALL_CHOOSERS


@hooks.register("register_admin_viewset")
def register_choosers():
    return ALL_CHOOSERS
