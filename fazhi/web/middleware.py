"""Security headers on every response: no outside origin may serve or frame us."""

from __future__ import annotations

# Everything the pages use ships inside installed packages and is served from our own
# origin; an isolated government network has nothing else to reach.
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(self), geolocation=(self)")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
