"""Forms of the lead pages: they parse; leads/services.py decides and validate."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from fazhi.core.models import User
from fazhi.core.roles import Role
from fazhi.core.selectors import staff_for_work
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases.forms import CaseForm
from fazhi.enforcement.leads.services import ANSWER_METHODS
from fazhi.enforcement.models import LeadSource, LeadState, TipChannel
from fazhi.ui.forms import DateField, MultiFileField


def _date(label: str, required: bool = True, help_text: str = "") -> DateField:
    return DateField(
        label=label, required=required, help_text=help_text,
        initial=timezone.localdate,
    )


def _text(label: str, rows: int = 4, required: bool = True, **kw) -> forms.CharField:
    return forms.CharField(label=label, required=required,
                           widget=forms.Textarea(attrs={"rows": rows}), **kw)


def violation_choices() -> tuple[tuple[str, str], ...]:
    """The violation types of the discretion benchmark (shipped plus the bureau's)."""
    violations = rulesets.benchmark().current()
    return tuple((code, v.label) for code, v in violations.items())


def _officers(actor):
    return staff_for_work(org_unit=actor.org_unit, roles=[Role.ENFORCEMENT_OFFICER])


class _StepForm(forms.Form):
    """A form of one action on a lead; the view passes the actor and the lead."""

    def __init__(self, *args, actor, lead, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.lead = actor, lead


class RegisterForm(forms.Form):
    source = forms.ChoiceField(label="线索来源", choices=LeadSource.choices)
    channel = forms.ChoiceField(
        label="举报方式", required=False,
        choices=[("", "（非群众举报不填）"), *TipChannel.choices],
    )
    received_on = _date("收到日期")
    external_ref = forms.CharField(
        label="来源编号", max_length=100, required=False,
        help_text="12345 工单号、移送函文号或图斑编号",
    )
    location = forms.CharField(label="违法地点", max_length=200)
    suspect = forms.CharField(label="涉嫌违法主体", max_length=100, required=False)
    violation_type = forms.ChoiceField(label="涉嫌违法类型", required=False)
    description = _text("线索内容")
    tipster_anonymous = forms.BooleanField(label="匿名举报", required=False)
    tipster_name = forms.CharField(label="举报人姓名", max_length=100, required=False)
    tipster_phone = forms.CharField(label="举报人电话", max_length=30, required=False)
    tipster_contact = forms.CharField(
        label="举报人其他联系方式", max_length=200, required=False,
        help_text="通信地址、电子邮箱等；匿名举报人留下的联系方式也填这里",
    )
    assignee = forms.ModelChoiceField(label="核查人", queryset=User.objects.none())
    attachments = MultiFileField(label="线索材料", required=False,
                                 help_text="举报信、照片等；举报材料的文件名不会保留")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        unsure = ("", "（尚不确定）")
        self.fields["violation_type"].choices = [unsure, *violation_choices()]
        self.fields["assignee"].queryset = _officers(actor)
        self.fields["assignee"].initial = actor.pk


class CheckForm(_StepForm):
    checked_on = _date("核查日期")
    findings = _text(
        "核查情况", 5, help_text="现场核查、调查询问所见，是否存在违法事实"
    )


class FileCaseForm(CaseForm):
    """立案 from a lead: the case form itself, filled in from what the check found."""

    def __init__(self, *args, actor, lead, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.lead = lead
        self.initial.setdefault("violation_type", lead.violation_type)
        self.initial.setdefault("party_name", lead.suspect)
        self.initial.setdefault("location", lead.location)
        self.initial.setdefault("facts_summary", lead.check_findings)
        self.initial.setdefault("officers", [actor.pk])


class TransferForm(_StepForm):
    to_agency = forms.CharField(label="移送机关", max_length=100)
    reason = _text("移送理由", 4, help_text="将写入移送函，请勿写入举报人信息")


class CloseForm(_StepForm):
    reason = _text("不予立案理由", 4)
    confirm = forms.BooleanField(label="确认不予立案（此操作不能撤销）")


class AnswerForm(_StepForm):
    answered_on = _date("答复日期")
    method = forms.ChoiceField(label="答复方式", choices=list(ANSWER_METHODS.items()))
    answer = _text("答复内容", 5)


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *LeadState.choices])
    source = forms.ChoiceField(
        label="线索来源", required=False, choices=[("", "全部"), *LeadSource.choices])
    overdue = forms.BooleanField(label="仅超期", required=False)
    q = forms.CharField(label="关键词", required=False,
                        help_text="编号、地点、涉嫌违法主体或线索内容")
