"""Who is visiting, as far as analytics may know: a random id per browser session
and where the session landed from. Nothing for visitors whose browser says Do Not
Track (DNT: 1) or Global Privacy Control (Sec-GPC: 1): no cookie, no event, no
attribution. Reads only the request; no I/O."""

import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings

SESSION_COOKIE = "mallard_sid"
LANDING_COOKIE = "mallard_landing"
UTM = ("utm_source", "utm_medium", "utm_campaign")
_MAX = 100


@dataclass
class Visit:
    session_id: str
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    referrer_host: str = ""
    new_session: bool = False
    new_landing: bool = False
    recorded: bool = False

    @property
    def traffic_source(self) -> str:
        return self.utm_source or self.referrer_host

    def landing_fields(self) -> dict:
        return {
            "utm_source": self.utm_source,
            "utm_medium": self.utm_medium,
            "utm_campaign": self.utm_campaign,
            "referrer_host": self.referrer_host,
        }


def enabled() -> bool:
    return getattr(settings, "ANALYTICS_ENABLED", True)


def opted_out(request) -> bool:
    return request.headers.get("DNT") == "1" or request.headers.get("Sec-GPC") == "1"


def _clean(value: str) -> str:
    return "".join(ch for ch in value if ch.isprintable())[:_MAX].strip()


def _session_id(value: str | None) -> str | None:
    if value and len(value) == 32 and all(ch in "0123456789abcdef" for ch in value):
        return value
    return None


def visit_start(request) -> Visit | None:
    """The visit for this request (None: analytics off or the visitor opted out).
    A landing with UTM parameters or from another site replaces the session's
    landing; reading the query string before the page cache drops it."""
    if not enabled() or opted_out(request):
        return None
    session_id = _session_id(request.COOKIES.get(SESSION_COOKIE))
    visit = Visit(session_id=session_id or secrets.token_hex(16))
    visit.new_session = session_id is None
    utm = {name: _clean(request.GET.get(name, "")) for name in UTM}
    referrer = urlsplit(request.headers.get("Referer", "")).hostname or ""
    # The raw Host header: validating it (get_host) is Django's job, later.
    host = request.META.get("HTTP_HOST", "").split(":")[0]
    external = referrer and referrer != host
    if any(utm.values()) or external:
        landing = {**utm, "referrer_host": _clean(referrer) if external else ""}
        visit.new_landing = True
    else:
        stored = dict(parse_qsl(request.COOKIES.get(LANDING_COOKIE, "")))
        landing = {
            name: _clean(stored.get(name, "")) for name in (*UTM, "referrer_host")
        }
    for name, value in landing.items():
        setattr(visit, name, value)
    return visit


def visit_finish(visit: Visit, response) -> None:
    """Once something was recorded. Session cookies only: the id lives as long as
    the browser session."""
    if not visit.recorded:
        return
    secure = getattr(settings, "SESSION_COOKIE_SECURE", False)
    if visit.new_session:
        response.set_cookie(
            SESSION_COOKIE,
            visit.session_id,
            httponly=True,
            samesite="Lax",
            secure=secure,
        )
    if visit.new_landing:
        response.set_cookie(
            LANDING_COOKIE,
            urlencode(visit.landing_fields()),
            httponly=True,
            samesite="Lax",
            secure=secure,
        )


def visit_of(request) -> Visit | None:
    return getattr(request, "analytics_visit", None)
