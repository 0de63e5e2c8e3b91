"""Page views, counted for every Wagtail page response, page-cache hits included:
at most one Redis round trip (RPUSH), no SQL. The visit's cookies are set here."""

from .events import events_push, visit_event
from .models import Event
from .tracking import visit_finish, visit_start


class AnalyticsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Before the page cache drops the query string (UTM parameters).
        visit = request.analytics_visit = visit_start(request)
        response = self.get_response(request)
        if visit is None:
            return response
        page_id = getattr(request, "wagtail_page_id", None)
        if page_id and request.method == "GET" and response.status_code == 200:
            events_push([visit_event(visit, Event.VIEW, page_id=page_id)])
        visit_finish(visit, response)
        return response
