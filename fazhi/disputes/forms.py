"""Forms of the dispute pages: they parse; services.py and review.py decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from fazhi.core import matter_kinds
from fazhi.core.models import Department, User
from fazhi.core.roles import Role
from fazhi.core.selectors import department_choices, staff_for_work
from fazhi.disputes.models import LitigationResult, ReconsiderationOutcome, ReviewCause
from fazhi.ui.forms import (
    DatalistInput,
    DateField,
    MultiFileField,
    department_chooser,
)


def _date(label: str, required: bool = True) -> DateField:
    return DateField(label=label, initial=timezone.localdate,
                     required=required)


def _text(label: str, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _offer_numbers(field, org_unit) -> None:
    """Offer the bureau's latest matter numbers as one types; a number typed with
    [], 【】, () or full-width digits is found as issued (core.numbers)."""
    field.help_text += "；年份可用〔〕、[]、【】或()括起"
    if org_unit is not None:
        field.widget = DatalistInput(matter_kinds.numbers_recent(
            org_unit=org_unit, among=matter_kinds.kinds(challengeable=True)))


class ReconsiderationForm(forms.Form):
    number = forms.CharField(label="复议案号", max_length=80)
    applicant_name = forms.CharField(label="申请人", max_length=100)
    body = forms.CharField(label="行政复议机关", max_length=100)
    challenged_act = forms.CharField(label="被申请的行政行为", max_length=300)
    case_number = forms.CharField(
        label="关联事项编号（可不填）", max_length=60, required=False,
        help_text="执法案件、许可申请或依申请公开的编号，如：潭县自然资罚案〔2025〕12号；"
                  "结果为纠错时将在该事项上标明")
    copy_received_on = _date("收到申请书副本日期")
    simplified = forms.BooleanField(label="简易程序（答复期限5个工作日）", required=False)

    def __init__(self, *args, org_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_numbers(self.fields["case_number"], org_unit)


class LawsuitForm(forms.Form):
    court = forms.CharField(label="人民法院", max_length=100)
    case_number = forms.CharField(label="案号", max_length=80)
    plaintiff = forms.CharField(label="原告", max_length=100)
    challenged_act = forms.CharField(label="被诉行政行为", max_length=300)
    enforcement_number = forms.CharField(
        label="关联事项编号（可不填）", max_length=60, required=False,
        help_text="执法案件、许可申请或依申请公开的编号")
    complaint_received_on = _date("收到起诉状副本日期")

    def __init__(self, *args, org_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_numbers(self.fields["enforcement_number"], org_unit)


class DayForm(forms.Form):
    on = _date("日期")


class _Files(forms.Form):
    """The documents filed with a step (the reply and evidence, the decision…)."""

    files = MultiFileField(label="材料（可多选，存入证据库）", required=False)


class FiledDayForm(_Files):
    on = _date("日期")


class ConcludeForm(_Files):
    outcome = forms.ChoiceField(label="复议决定类型",
                                choices=ReconsiderationOutcome.choices)
    concluded_on = _date("决定日期")
    summary = _text("决定要旨", required=False)


class JudgmentForm(_Files):
    result = forms.ChoiceField(label="裁判结果", choices=LitigationResult.choices)
    instrument = forms.ChoiceField(label="裁判文书",
                                   choices=[("judgment", "判决"), ("ruling", "裁定")])
    served_on = _date("送达日期")
    on_merits = forms.BooleanField(label="实体判决", required=False, initial=True)


class HearingForm(forms.Form):
    held_on = _date("开庭日期")
    attendees = forms.CharField(label="出庭应诉人员", max_length=200, required=False,
                                help_text="开庭前登记的，可填拟出庭人员")
    principal_appeared = forms.BooleanField(label="负责人出庭", required=False)
    principal = forms.ModelChoiceField(label="出庭的负责人", required=False,
                                       queryset=User.objects.none())
    absence_reason = _text("负责人未出庭的理由", 2, required=False)

    def __init__(self, *args, org_unit, due=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal"].queryset = staff_for_work(org_unit=org_unit,
                                                          roles=[Role.PRINCIPAL])
        self.fields["held_on"].help_text = (
            "收到传票即可登记，开庭日期可在今后一年内；开庭当日或之后再登记出庭情况"
            "（负责人出庭，或未出庭的理由）")
        if due is not None:  # a hearing entered ahead whose day has come
            self.fields["held_on"].initial = due.held_on
            self.fields["attendees"].initial = due.attendees


class ReviewForm(forms.Form):
    cause = forms.ModelChoiceField(label="原因",
                                   queryset=ReviewCause.objects.filter(is_active=True))
    department = forms.ModelChoiceField(
        label="责任单位", queryset=Department.objects.none(),
        help_text="本局在用的股室；列表中没有的，请本局系统管理员先添加")
    summary = _text("复盘分析", 4)
    reviewed_on = _date("复盘日期")

    def __init__(self, *args, org_unit, **kwargs):
        super().__init__(*args, **kwargs)
        department_chooser(self.fields["department"], org_unit=org_unit,
                           departments=department_choices(org_unit=org_unit))
        self.fields["department"].label_from_instance = lambda d: d.name


class MeasureForm(forms.Form):
    description = _text("整改措施", 2)
    owner = forms.ModelChoiceField(label="责任人", queryset=User.objects.none())
    deadline = _date("整改期限")

    def __init__(self, *args, org_unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_for_work(org_unit=org_unit)


class MeasureDoneForm(forms.Form):
    done_on = _date("完成日期")
    note = _text("完成情况", 2)


class BaselineForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    rate_id = forms.ChoiceField(label="指标")
    numerator = forms.IntegerField(label="分子", min_value=0)
    denominator = forms.IntegerField(label="分母", min_value=0)
    source = forms.CharField(label="来源", max_length=200,
                             help_text="如：2024年法治政府建设年度报告")

    def __init__(self, *args, **kwargs):
        from fazhi.disputes.services import rate_definitions

        super().__init__(*args, **kwargs)
        self.fields["rate_id"].choices = [(r.id, r.name)
                                          for r in rate_definitions().values()]


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              required=False)
