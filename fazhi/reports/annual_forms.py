"""Forms of the annual-report pages."""

from __future__ import annotations

from django import forms

from fazhi.core.models import OrgUnit
from fazhi.core.scope import scoped
from fazhi.reports.annual import EDITABLE_LABELS
from fazhi.ui.forms import DateField


class GenerateForm(forms.Form):
    org = forms.ModelChoiceField(label="机关", queryset=OrgUnit.objects.none(),
                                 to_field_name="division_code", empty_label=None,
                                 error_messages={
                                     "invalid_choice": "请选择本机关或下级机关"})
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              error_messages={"required": "请填写年度",
                                              "invalid": "年度应为四位数字"})

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = scoped(OrgUnit.objects.all(), actor, field="")


class EditForm(forms.Form):
    """The report's header and each editable paragraph of its document."""

    document_number = forms.CharField(label="发文字号", required=False, max_length=60,
                                      help_text="如：潭县自然资字〔2026〕3号")
    addressee = forms.CharField(label="主送机关", required=False, max_length=200)
    signing_org = forms.CharField(label="署名机关", required=False, max_length=100)
    signed_on = DateField(label="成文日期", required=False,
                          error_messages={"invalid": "成文日期格式应为 年-月-日"})
    issuer = forms.CharField(label="签发人", required=False, max_length=50,
                             help_text="上报上级机关的公文须标注签发人姓名")
    copy_to = forms.CharField(label="抄送机关", required=False, max_length=200)
    printing_org = forms.CharField(label="印发机关", required=False, max_length=100,
                                   help_text="如：湘潭县自然资源局办公室")
    printed_on = DateField(label="印发日期", required=False,
                           error_messages={"invalid": "印发日期格式应为 年-月-日"})
    print_masthead = forms.BooleanField(
        label="打印版头", required=False,
        help_text="使用已印好红色版头的公文纸时取消：版头和红线处留空")
    note = forms.CharField(label="修改说明", required=False, max_length=200)
    base_number = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, paragraphs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.paragraph_ids = []
        for p in paragraphs:
            name = f"p:{p.id}"
            self.fields[name] = forms.CharField(
                label=EDITABLE_LABELS.get(p.id, p.id), required=False, initial=p.text,
                widget=forms.Textarea(attrs={"rows": 5, "data-paragraph": p.id}))
            self.paragraph_ids.append(p.id)

    def paragraph_fields(self):
        return [self[f"p:{pid}"] for pid in self.paragraph_ids]

    def edits(self, initial: dict[str, str]) -> dict[str, str]:
        """The paragraphs whose text differs from what the page showed."""
        out = {}
        for pid in self.paragraph_ids:
            if f"p:{pid}" not in self.data:  # not sent: unchanged, not emptied
                continue
            text = self.cleaned_data.get(f"p:{pid}", "").replace("\r\n", "\n").strip()
            if text != initial.get(pid, "").strip():
                out[pid] = text
        return out

    def header(self) -> dict:
        return {k: self.cleaned_data.get(k) for k in
                ("document_number", "addressee", "signing_org", "signed_on", "issuer",
                 "copy_to", "printing_org", "printed_on", "print_masthead")}


class ConfirmForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="说明", max_length=200,
                             error_messages={"required": "请写明确认的理由"})
