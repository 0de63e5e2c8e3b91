import hmac
import ipaddress

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .metrics import metrics_text
from .probes import probes_run


@never_cache
@require_GET
def healthz(request):
    """The process is up and answering; touches nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    probes = probes_run()
    failing = [name for name, probe in probes.items() if not probe.ok]
    return JsonResponse(
        {
            "status": "unavailable" if failing else "ok",
            "failing": failing,
            "checks": {name: probe.as_json() for name, probe in probes.items()},
        },
        status=503 if failing else 200,
    )


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.METRICS_ALLOWED_NETWORKS
    )


@never_cache
@require_GET
def metrics(request):
    """Prometheus' scrape: a bearer token (METRICS_TOKEN) or an allowed address
    (METRICS_ALLOWED_NETWORKS); neither configured means nobody."""
    if not _allowed(request):
        return HttpResponseForbidden("Forbidden\n", content_type="text/plain")
    return HttpResponse(
        metrics_text(), content_type="text/plain; version=0.0.4; charset=utf-8"
    )
