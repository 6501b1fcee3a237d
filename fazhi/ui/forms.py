"""Form helpers shared by every module's pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from fazhi.core.dates import PAST_DAYS, date_check


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): a list, empty when
    none was chosen."""

    widget = MultiFileInput

    def clean(self, data, initial=None):
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [single(f, initial) for f in files if f]


class PlausibleDateField(forms.DateField):
    """A date field that refuses a date outside the plausible window of core.dates.

    A filter or a form that takes year 1 or 9999 would reach date arithmetic and the
    working-day calendar with it (a 500); here it is a form error saying why.
    """

    def __init__(self, *, past_days: int = PAST_DAYS, future_days: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.past_days, self.future_days = past_days, future_days

    def validate(self, value) -> None:
        super().validate(value)
        try:
            date_check(value, field="value", label=str(self.label or "日期"),
                       past_days=self.past_days, future_days=self.future_days)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["value"]) from None
