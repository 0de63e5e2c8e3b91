"""Tile impressions and clicks, batched from the page by static/js/insights.js.

Not checked against the database (that would put SQL on every page's beacon): the
ids only have to look right, and a forged beacon can only add to counts, never to
revenue, which comes from orders."""

import json
import re

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .events import events_push, visit_event
from .models import PAGE, Event
from .tracking import visit_finish, visit_of

MAX_BODY = 16_384
MAX_TILES = 100
KINDS = {"impression": Event.IMPRESSION, "click": Event.CLICK}
_BLOCK_ID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")


def _id(value) -> int | None:
    return value if isinstance(value, int) and 0 < value < 2**31 else None


@csrf_exempt  # sendBeacon can't send the token; it writes nothing but counts
@require_POST
def beacon(request):
    visit = visit_of(request)
    if visit is None:
        return HttpResponse(status=204)
    if len(request.body) > MAX_BODY:
        return HttpResponse(status=413)
    try:
        data = json.loads(request.body)
        kind, page_id, tiles = KINDS[data["kind"]], _id(data["page"]), data["tiles"]
    except (ValueError, KeyError, TypeError):
        return HttpResponse(status=400)
    if page_id is None or not isinstance(tiles, list):
        return HttpResponse(status=400)
    events = [
        visit_event(
            visit,
            kind,
            page_id=page_id,
            block_id=tile[0],
            product_id=_id(tile[1]),
            channel=PAGE,
        )
        for tile in tiles[:MAX_TILES]
        if isinstance(tile, list)
        and len(tile) == 2
        and isinstance(tile[0], str)
        and _BLOCK_ID.match(tile[0])
        and _id(tile[1])
    ]
    events_push(events)
    response = HttpResponse(status=204)
    visit_finish(visit, response)
    return response
