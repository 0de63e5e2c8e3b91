from .forms import ProductSearchForm

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


def search_form(request):
    """The header search box, kept out of the Wagtail and Django admins' own headers."""
    if request.path.startswith(ADMIN_PREFIXES):
        return {}
    return {"search_form": ProductSearchForm(request.GET)}
