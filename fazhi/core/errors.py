"""A service's refusal of what a person entered, said beside the field it concerns."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def field_error(field: str, message: str) -> ValidationError:
    """Return the refusal a form shows beside ``field`` (or above the form, when the
    form has no such field: ``ui.forms.add_service_errors``)."""
    return ValidationError({field: message})
