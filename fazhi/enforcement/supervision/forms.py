"""Forms of the supervision pages: they parse; the services decide and validate."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from fazhi.core.models import User
from fazhi.core.selectors import staff_for_work
from fazhi.enforcement.supervision.file_review import Checklist
from fazhi.enforcement.supervision.services import RECTIFICATION
from fazhi.ui.forms import DateField

NOTE = forms.TextInput(attrs={"size": 40})


def _key(code: str) -> str:
    return code.replace(".", "__")


class FileReviewForm(forms.Form):
    """One deduction field and one note per checklist item, a box per veto."""

    reviewed_on = DateField(label="评查日期")
    opinion = forms.CharField(
        label="评查意见", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, checklist: Checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        self.fields["reviewed_on"].initial = timezone.localdate()
        for item in checklist.items:
            self.fields[f"points_{_key(item.code)}"] = forms.DecimalField(
                label=f"扣分（最多{item.max_points}分）",
                required=False,
                min_value=0,
                max_digits=5,
                decimal_places=1,
            )
            self.fields[f"note_{_key(item.code)}"] = forms.CharField(
                label="扣分说明", required=False, max_length=300, widget=NOTE
            )
        for veto in checklist.vetoes:
            self.fields[f"veto_{_key(veto.code)}"] = forms.BooleanField(
                label="存在此情形", required=False
            )
            self.fields[f"vnote_{_key(veto.code)}"] = forms.CharField(
                label="说明", required=False, max_length=300, widget=NOTE
            )

    def sections(self) -> list[dict]:
        """The fields grouped as the checklist groups them, for the template."""
        rows = [
            {
                "group": g,
                "rows": [
                    {
                        "item": i,
                        "points": self[f"points_{_key(i.code)}"],
                        "note": self[f"note_{_key(i.code)}"],
                    }
                    for i in self.checklist.items_of(g.code)
                ],
            }
            for g in self.checklist.groups
        ]
        vetoes = [
            {
                "item": v,
                "points": self[f"veto_{_key(v.code)}"],
                "note": self[f"vnote_{_key(v.code)}"],
            }
            for v in self.checklist.vetoes
        ]
        return [*rows, {"group": None, "rows": vetoes}]

    def deductions(self) -> list[dict]:
        """The findings as the service takes them: items with points, vetoes ticked."""
        data = self.cleaned_data
        found = [
            {
                "code": i.code,
                "points": data[f"points_{_key(i.code)}"],
                "note": data[f"note_{_key(i.code)}"],
            }
            for i in self.checklist.items
            if data.get(f"points_{_key(i.code)}")
        ]
        found += [
            {"code": v.code, "points": 0, "note": data[f"vnote_{_key(v.code)}"]}
            for v in self.checklist.vetoes
            if data.get(f"veto_{_key(v.code)}")
        ]
        return found


class RectificationForm(forms.Form):
    description = forms.CharField(
        label="整改事项", widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible = forms.ModelChoiceField(
        label="整改责任人", queryset=User.objects.none()
    )
    deadline = DateField(label="整改期限")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        # Who reports the item done: the chain's first role in the rule data.
        self.fields["responsible"].queryset = staff_for_work(
            org_unit=review.org_unit, roles=[RECTIFICATION.chain().proposer.role])


class RectificationCompleteForm(forms.Form):
    completed_on = DateField(label="完成日期")
    note = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate()


class ConfirmForm(forms.Form):
    """A bare POST with the CSRF token: the page shows what is being confirmed."""
