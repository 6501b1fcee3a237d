"""Every date box in the project shows its value as ISO, through the one widget.

A ``<input type="date">`` shows only an ISO value (2026-12-08). Django's Chinese
format (2026/12/08) leaves the box blank, and the browser then refuses to submit a
required one: the publicity page did exactly that. So every form field of a date or
a date and time, in every module, uses the widgets of fazhi.ui.forms, and no
template writes a date box of its own.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

import fazhi
from fazhi.ui.forms import DateInput, DateTimeInput

DAY = dt.date(2026, 12, 8)
MOMENT = dt.datetime(2026, 12, 8, 9, 5)
SKIP = re.compile(r"\.(migrations|management)\b|^fazhi\.(settings|wsgi|cli|env)$")


def _all_forms() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(fazhi.__path__, "fazhi."):
        if not SKIP.search(info.name):
            importlib.import_module(info.name)
    seen, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("fazhi.") and sub not in seen:
                seen.append(sub)
    return seen


def _temporal_fields():
    for form in _all_forms():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                yield f"{form.__module__}.{form.__name__}.{name}", field


FIELDS = dict(_temporal_fields())


def test_the_walk_finds_the_date_fields_of_every_module():
    modules = {name.split(".")[1] for name in FIELDS}
    assert {"disclosure", "disputes", "enforcement", "learning", "monitoring",
            "permits", "reports", "web"} <= modules
    assert len(FIELDS) > 60


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_every_date_box_renders_an_iso_value(name):
    field = FIELDS[name]
    with translation.override("zh-hans"):  # whose own format is 2026/12/08
        if isinstance(field, forms.DateTimeField):
            assert isinstance(field.widget, DateTimeInput), name
            html = field.widget.render("x", MOMENT)
            assert 'type="datetime-local"' in html and 'value="2026-12-08T09:05"' in html
            assert field.clean("2026-12-08T09:05").replace(tzinfo=None) == MOMENT
        else:
            assert isinstance(field.widget, DateInput), name
            html = field.widget.render("x", DAY)
            assert 'type="date"' in html and 'value="2026-12-08"' in html, (name, html)
            assert field.clean("2026-12-08") == DAY


def test_no_template_writes_a_date_box_of_its_own():
    root = Path(fazhi.__file__).parent
    own = [str(path.relative_to(root)) for path in root.rglob("templates/**/*.html")
           if re.search(r"type=[\"']?(date|datetime-local)\b", path.read_text())]
    assert own == []
