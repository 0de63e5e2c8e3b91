"""First in the chain: gives each request its id and times it. No I/O, so the
page cache's hit path stays one cache round trip and no SQL."""

import time

from . import context
from .metrics import PAGE_CACHE, REQUEST_SECONDS

PAGE_CACHE_HEADER = "X-Page-Cache"


class RequestMonitoringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = context.new_request_id(request.headers.get(context.HEADER))
        token = context.request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        match = getattr(request, "resolver_match", None)
        REQUEST_SECONDS.labels(
            request.method if request.method in _METHODS else "other",
            (match.view_name or match.route) if match else "unresolved",
            response.status_code,
        ).observe(time.perf_counter() - started)
        if outcome := response.get(PAGE_CACHE_HEADER):
            PAGE_CACHE.labels(outcome).inc()
        response[context.HEADER] = request.request_id
        return response


# Label values come from a fixed set: a client can't grow the metrics by inventing
# methods.
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
