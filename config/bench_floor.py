"""The framework's floor for `make bench`: a constant response that still passes
through every middleware. config/urls.py mounts it only when BENCH_FLOOR_VIEW is on."""

from django.http import HttpResponse


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")
