"""Forms of the permit pages: they parse; services.py decides and validates."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from fazhi.core.models import PartyKind, User
from fazhi.core.roles import Role
from fazhi.core.selectors import staff_for_work
from fazhi.deadlines.rules import PAUSE_KINDS
from fazhi.monitoring.outlines import UPLOAD_HINT, outline_from_upload
from fazhi.permits.models import (
    ApplicationState,
    PermitKind,
    RatingChannel,
)
from fazhi.permits.selectors import kind_choices, kind_list
from fazhi.ui.forms import DateField


def _date(label: str, help_text: str = "", required: bool = True) -> DateField:
    return DateField(label=label, help_text=help_text,
                     initial=timezone.localdate, required=required)


def _text(label: str, rows: int = 3, required: bool = True, **kw) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}), **kw)


def _clerks(org_unit):
    return staff_for_work(org_unit=org_unit, roles=[Role.WINDOW_CLERK])


class KindChoiceField(forms.ModelChoiceField):
    """A choice of permit kind; another bureau's kind is named with its county."""

    own_org_id: int | None = None

    def label_from_instance(self, obj) -> str:
        if obj.org_unit_id == self.own_org_id:
            return obj.name
        return f"{obj.name}（{obj.org_unit.division_name}）"


class RegisterForm(forms.Form):
    kind = KindChoiceField(label="许可事项", queryset=PermitKind.objects.none())
    received_on = _date("收件日期")
    applicant_name = forms.CharField(label="申请人", max_length=100)
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=PartyKind.choices)
    applicant_id_number = forms.CharField(label="身份证号码或统一社会信用代码",
                                          max_length=40, required=False)
    applicant_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    project_name = forms.CharField(label="项目名称", max_length=200)
    location = forms.CharField(label="项目位置", max_length=200)
    outline_file = forms.FileField(
        label="项目范围文件（可不填）", required=False,
        help_text=f"{UPLOAD_HINT}（坐标表：经度、纬度两列，或 CGCS2000 高斯投影 X、Y 两列，"
                  "Y 带带号）；也可在下方地图上描绘")
    polygon = forms.CharField(
        label="项目范围（地图描绘或粘贴 GeoJSON，可不填）", required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "outline-text"}),
        help_text="在地图上依次点击各拐点后点“完成”；或粘贴 CGCS2000 经纬度的 GeoJSON")
    clerk = forms.ModelChoiceField(label="承办人", queryset=User.objects.none())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kind_choices(actor=actor)
        self.fields["kind"].own_org_id = actor.org_unit_id
        self.fields["clerk"].queryset = _clerks(actor.org_unit)
        self.fields["clerk"].initial = actor.pk

    def clean(self):
        data = super().clean()
        uploaded = data.get("outline_file")
        if uploaded:
            try:
                data["polygon"] = outline_from_upload(uploaded)
            except ValidationError as exc:
                self.add_error(None, exc)
            else:
                # Keep what the file held if another box sends the form back: the
                # outline then stands in the text box, and nothing is uploaded twice.
                self.data = self.data.copy()
                self.data["polygon"] = json.dumps(data["polygon"], ensure_ascii=False)
        data.pop("outline_file", None)
        return data

    def clean_polygon(self):
        text = self.cleaned_data["polygon"].strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError("不是有效的 GeoJSON：请检查括号和逗号") from None
        geometry = value.get("geometry", value) if isinstance(value, dict) else None
        if not (isinstance(geometry, dict)
                and geometry.get("type") in ("Polygon", "MultiPolygon")):
            raise forms.ValidationError("项目范围须为 Polygon 或 MultiPolygon")
        return geometry


class DayForm(forms.Form):
    on = _date("日期")


class CompletionForm(forms.Form):
    items = _text("需补正的全部内容", 4, help_text="一次性告知，每项一行")
    notified_on = _date("告知日期", "收件后五日内")


class ReasonDayForm(forms.Form):
    reasons = _text("理由", 4)
    on = _date("日期")


class MaterialForm(forms.Form):
    code = forms.ChoiceField(label="材料")
    provided_on = _date("提交日期")
    file = forms.FileField(label="扫描件", required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(m.code, m.label)
                                       for m in application.materials.all()]


class WaiverForm(forms.Form):
    code = forms.ChoiceField(label="材料")
    reason = _text("免于提交的理由", 2, help_text="如：已通过部门共享获取")

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(m.code, m.label) for m in
                                       application.materials.filter(required=True)]


class PauseForm(forms.Form):
    kind = forms.ChoiceField(label="事由")
    reason = _text("说明（将书面告知申请人）", 2, max_length=300)
    start = _date("开始日期")

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, PAUSE_KINDS[k]) for k in rule.pauses]


class ResumeForm(forms.Form):
    end = _date("除外时间结束日期")


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长（工作日）", min_value=1, max_value=30,
                              initial=10)
    reason = _text("延期理由（将告知申请人）", 3, max_length=300)


class ProposeForm(forms.Form):
    decision = forms.ChoiceField(label="承办意见", widget=forms.RadioSelect,
                                 choices=[("approve", "拟准予许可"),
                                          ("refuse", "拟不予许可")])
    reasons = _text("意见说明（拟不予许可的须写明理由，将写入决定书）", 4,
                    required=False)


class ExtensionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="审批意见", coerce=lambda v: v == "1",
                                     choices=[("1", "批准延期"), ("0", "不批准")],
                                     widget=forms.RadioSelect)
    reasons = _text("意见说明（不批准的须写明理由，退回承办人）", 3, required=False)


class FeeForm(forms.Form):
    amount = forms.DecimalField(label="收费金额（元）", max_digits=12, decimal_places=2,
                                min_value=0)
    receipt_number = forms.CharField(label="收费票据号", max_length=60)
    paid_on = _date("缴费日期")


class SummaryForm(forms.Form):
    summary = _text("变更内容", 3)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label="评价", coerce=int,
                                   widget=forms.RadioSelect)
    comment = _text("意见或建议", 3, required=False)

    def __init__(self, *args, **kwargs):
        from fazhi.permits.services import rating_scale

        super().__init__(*args, **kwargs)
        levels, _ = rating_scale()
        self.fields["score"].choices = [(k, f"{v}（{k}分）")
                                        for k, v in sorted(levels.items(),
                                                           reverse=True)]


class WindowRatingForm(RatingForm):
    channel = forms.ChoiceField(label="评价渠道", choices=RatingChannel.choices,
                                initial=RatingChannel.WINDOW)


class AnswerForm(forms.Form):
    agree = forms.TypedChoiceField(
        label="核实意见", coerce=lambda v: v == "1", widget=forms.RadioSelect,
        choices=[("1", "同意，答复评价人"), ("0", "不同意（退回被评价窗口重新说明）")],
        initial="1")
    answer = _text("核实、整改及答复评价人的情况（不同意的写明理由）", 4)
    answered_on = _date("答复日期")


class ExplainForm(forms.Form):
    explanation = _text("差评所涉情况说明（报核实）", 4)


class FilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "编号、申请人、项目"}))
    kind = KindChoiceField(label="许可事项", required=False,
                           queryset=PermitKind.objects.none(), empty_label="全部")
    state = forms.ChoiceField(label="状态", required=False,
                              choices=[("", "全部"), *ApplicationState.choices])
    received_from = _date("收件日期自", required=False)
    received_to = _date("至", required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kind_list(actor=actor)
        self.fields["kind"].own_org_id = actor.org_unit_id
        for name in ("received_from", "received_to"):
            self.fields[name].initial = None


class PeriodForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000,
                              max_value=2100)
    first = _date("起", required=False)
    last = _date("止", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        for name in ("first", "last"):
            self.fields[name].initial = None

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data


class KindForm(forms.ModelForm):
    materials_text = forms.CharField(
        label="申请材料清单", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="每行一项：编码|材料名称|必需（是/否），例如 application|申请书|是")

    class Meta:
        model = PermitKind
        fields = ["code", "name", "basis", "decision_rule", "promised_days",
                  "certificate_word", "fee", "fee_basis", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.initial["materials_text"] = "\n".join(
                f"{m['code']}|{m['label']}|{'是' if m['required'] else '否'}"
                for m in self.instance.materials)

    def clean_materials_text(self):
        items = []
        for n, line in enumerate(self.cleaned_data["materials_text"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or parts[2] not in ("是", "否") or not all(parts[:2]):
                raise forms.ValidationError(f"第{n}行格式应为：编码|材料名称|是或否")
            items.append({"code": parts[0], "label": parts[1],
                          "required": parts[2] == "是"})
        if not items:
            raise forms.ValidationError("至少列出一项申请材料")
        return items
