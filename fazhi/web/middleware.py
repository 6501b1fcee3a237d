"""Security headers on every response: no outside origin may serve or frame us; rule
files checked once per request; the idle session kept alive without a write per page."""

from __future__ import annotations

import time
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

from fazhi.core.ruledata import checked_once


def tile_source(url: str) -> str:
    """Return the CSP source admitting a Leaflet tile URL template, or "" for none.

    Only the scheme and host: a template's path holds {z}/{x}/{y}. A subdomain
    placeholder in the first label ({s}.tile.example, t{s}.tianditu.gov.cn) becomes
    the wildcard CSP allows there; a placeholder anywhere else cannot be expressed,
    and then no tile origin is admitted (the map shows outlines only).
    """
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https"):
        return ""
    labels = parts.netloc.rpartition("@")[2].split(".")  # never the credentials
    if "{" in labels[0]:
        labels[0] = "*"
    host = ".".join(labels)
    if not labels[-1] or any(c in host for c in "{}'; \"\\"):
        return ""
    return f"{parts.scheme}://{host}"


@lru_cache(maxsize=8)
def content_security_policy(tile_url: str = "") -> str:
    """Return the CSP: our own origin only, plus the bureau's tile server if set.

    Everything the pages use ships inside installed packages and is served from our
    own origin; an isolated government network has nothing else to reach. ``blob:``
    images are the thumbnails the field page makes of photos still on the phone.
    """
    img = ["'self'", "data:", "blob:", tile_source(tile_url)]
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src " + " ".join(s for s in img if s),
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


CSP = content_security_policy()


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        tiles = getattr(settings, "MAP_TILE_URL", "")
        response.setdefault("Content-Security-Policy", content_security_policy(tiles))
        response.setdefault("Permissions-Policy", "camera=(self), geolocation=(self)")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RuleFilesOncePerRequestMiddleware:
    """Check the rule files a request reads once, not at every lookup (ruledata.cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with checked_once():
            return self.get_response(request)


class SessionRenewMiddleware:
    """Keep an active session alive: renew its expiry (idle timeout) when the last
    renewal is ``SESSION_RENEW_SECONDS`` old or more, not with a write per page."""

    KEY = "_renewed"  # when the session was last renewed, in epoch seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:  # a visitor without one gets none
            renewed = session.get(self.KEY, 0)  # loads it: an expired one has no key
            now = int(time.time())
            if (session.session_key is not None
                    and now - renewed >= settings.SESSION_RENEW_SECONDS):
                session[self.KEY] = now  # modified: saved with a fresh expiry
        return self.get_response(request)
