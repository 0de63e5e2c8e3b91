"""Refuse, with a 400, request text that no database field can hold."""

from django.core.exceptions import BadRequest

NUL = "\x00"


class RefuseNulCharactersMiddleware:
    """A NUL character in the path, the query string or a posted form field.

    PostgreSQL text cannot contain NUL, so any view that looks such a value up (an
    alert key in the path, a payment intent id in the query) raised a DataError, a
    500. Django's form fields refuse NUL already; this covers the raw parameters,
    once, before any view. Multipart bodies (uploads) are left to their forms.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path
            or _has_nul(request.GET)
            or (
                request.content_type == "application/x-www-form-urlencoded"
                and _has_nul(request.POST)
            )
        ):
            raise BadRequest("The request contains a NUL character.")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values)
        for key, values in data.lists()
    )
