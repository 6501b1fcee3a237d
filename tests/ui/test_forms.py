"""A field of several files: every file chosen comes back, none chosen is an empty list."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from fazhi.ui.forms import MultiFileField


class Scans(forms.Form):
    scans = MultiFileField(label="扫描件", required=False)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 scan", content_type="application/pdf")


def test_every_file_chosen_is_kept_in_order():
    files = MultiValueDict({"scans": [_pdf("第1页.pdf"), _pdf("第2页.pdf")]})
    form = Scans({}, files)
    assert form.is_valid()
    assert [f.name for f in form.cleaned_data["scans"]] == ["第1页.pdf", "第2页.pdf"]


def test_no_file_chosen_is_an_empty_list():
    form = Scans({}, MultiValueDict())
    assert form.is_valid()
    assert form.cleaned_data["scans"] == []


def test_an_empty_file_is_refused():
    files = MultiValueDict({"scans": [SimpleUploadedFile("空.pdf", b"")]})
    form = Scans({}, files)
    assert not form.is_valid()
    assert "scans" in form.errors
