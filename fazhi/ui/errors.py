"""Answer a request whose query cannot be served: 400, the reason in Chinese."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render


def bad_request(request, exc: ValidationError) -> HttpResponse:
    """Render the reasons of ``exc`` with a way back, status 400 (never a 500)."""
    return render(request, "web/bad_request.html",
                  {"reasons": exc.messages}, status=400)
