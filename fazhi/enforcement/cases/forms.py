"""Forms of the case pages: they parse; the services decide and validate."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from fazhi.core.models import User
from fazhi.core.roles import Role
from fazhi.core.selectors import staff_for_work
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import majority, workflow
from fazhi.enforcement.cases.discretion import LAND_CLASSES
from fazhi.enforcement.models import CaseState, PartyKind, RecordKind
from fazhi.ui.forms import DateField, DateTimeField, SignOffForm


def _date(label: str, help_text: str = "", required: bool = True) -> DateField:
    return DateField(
        label=label,
        help_text=help_text,
        required=required,
        initial=timezone.localdate,
    )


def _text(label: str, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=required,
        help_text=help_text,
    )


def _money(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=14, decimal_places=2, min_value=0, help_text=help_text
    )


def _officers(org_unit):
    return staff_for_work(org_unit=org_unit, roles=[Role.ENFORCEMENT_OFFICER])


def violation_choices() -> list[tuple[str, str]]:
    return [(code, v.label) for code, v in rulesets.benchmark().current().items()]


def factor_choices() -> list[tuple[str, str]]:
    return [(code, f.label) for code, f in rulesets.benchmark().factors.items()]


class FilterForm(forms.Form):
    q = forms.CharField(
        label="关键词",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "编号、当事人、地点"}),
    )
    stage = forms.ChoiceField(
        label="阶段",
        required=False,
        choices=[("", "全部"), *[(s.code, s.label) for s in workflow.STAGES]],
    )
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *CaseState.choices]
    )
    violation_type = forms.ChoiceField(label="违法类型", required=False)
    overdue = forms.BooleanField(label="仅超期", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation_type"].choices = [("", "全部"), *violation_choices()]


class CaseForm(forms.Form):
    """立案呈批: what is known when a case is proposed for filing."""

    violation_type = forms.ChoiceField(label="违法类型")
    party_name = forms.CharField(label="当事人", max_length=100)
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    party_id_number = forms.CharField(
        label="身份证号码或统一社会信用代码", max_length=40, required=False
    )
    party_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    party_address = forms.CharField(label="住址", max_length=200, required=False)
    location = forms.CharField(label="违法地点", max_length=200)
    area_m2 = forms.DecimalField(
        label="面积（平方米）",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="1 亩 = 666.67 平方米，页面同时显示亩数",
    )
    land_class = forms.ChoiceField(
        label="地类", required=False, choices=[("", "不涉及"), *LAND_CLASSES.items()]
    )
    ore_value_yuan = forms.DecimalField(
        label="违法开采矿产品价值（元）",
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    illegal_gains_yuan = forms.DecimalField(
        label="违法所得（元）",
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    violation_ended_on = DateField(
        label="违法行为终了日期",
        required=False,
        help_text="违法行为有连续或者继续状态的，填终了之日；仍在继续的不填。"
        "据此确定适用哪一部法律的规定：终了在新法施行之前的，适用当时的规定，新法较轻的适用新法",
    )
    factors = forms.MultipleChoiceField(
        label="从重、从轻情节", required=False, widget=forms.CheckboxSelectMultiple
    )
    facts_summary = _text("案情摘要")
    officers = forms.ModelMultipleChoiceField(
        label="承办执法人员（至少两名持证人员）",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_violation_ended_on(self):
        day = self.cleaned_data.get("violation_ended_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError("违法行为终了日期不能晚于今天；仍在继续的不填")
        return day

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation_type"].choices = violation_choices()
        self.fields["factors"].choices = factor_choices()
        self.fields["officers"].queryset = _officers(actor.org_unit)
        self.fields["officers"].label_from_instance = lambda u: (
            f"{u.full_name or u.username}（执法证 {u.badge_number or '无'}）"
        )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label="确认办理（此操作不能撤销）")


class ReasonForm(forms.Form):
    reason = _text("理由")


class ConfirmReasonForm(ReasonForm):
    confirm = forms.BooleanField(label="确认办理（此操作不能撤销）")


_AMOUNT_LABELS = {
    "illegal_gains_yuan": "没收违法所得（元）",
    "confiscated_property_yuan": "没收非法财物的价值（元）",
    "demolition_area_m2": "责令限期拆除的建筑面积（平方米）",
}


class MeasuresForm(forms.Form):
    """The penalty kinds besides the fine, and the circumstances that make a
    decision major: each is judged against the major-decision rules, so they are
    ticked and counted here, never only written in words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, words in majority.MEASURES.items():
            if name in _AMOUNT_LABELS:
                self.fields[name] = forms.DecimalField(
                    label=_AMOUNT_LABELS[name], max_digits=16, decimal_places=2,
                    min_value=0, required=False, help_text="不适用的不填")
            else:
                self.fields[name] = forms.BooleanField(label=words, required=False)
        for name, words in majority.CIRCUMSTANCES.items():
            self.fields[name] = forms.BooleanField(
                label=f"本案情形：{words}", required=False)
        self.order_fields([*self.field_order_first, *majority.MEASURES,
                           *majority.CIRCUMSTANCES, "other_measures"])

    field_order_first: list[str] = []

    def clean(self):
        data = super().clean()
        names = (*majority.MEASURES, *majority.CIRCUMSTANCES)
        measures = {n: data.pop(n) for n in names if n in data}
        # A request naming none of them (the API or the command line giving only
        # the fine) means "as the notice proposed"; a page always posts the amounts.
        given = self.data is not None and any(n in self.data for n in names)
        data["measures"] = measures if given else None
        return data


class NoticeForm(MeasuresForm):
    fine_proposed = _money("拟罚款（元）", "应在裁量基准推荐幅度内；超出须书面说明理由")
    other_measures = _text(
        "其他处理措施",
        required=False,
        help_text="列明的处罚种类请在上面勾选；此栏只填其他措施，如：责令退还非法占用的土地",
    )
    departure_reason = _text("偏离裁量基准的理由", required=False)
    served_on = _date("告知书送达日期")
    late_reason = _text("补登理由", required=False,
                        help_text="送达日期早于三日前的，须写明为何现在才登记")
    field_order_first = ["fine_proposed"]


class DayForm(forms.Form):
    on = _date("日期")
    late_reason = _text("补登理由", required=False,
                        help_text="日期早于三日前的，须写明为何现在才登记")


class HearingForm(forms.Form):
    notified_on = _date("通知听证时间、地点的日期", "须在听证七个工作日前通知")
    chair = forms.ModelChoiceField(label="听证主持人", queryset=User.objects.none())
    late_reason = _text("补登理由", required=False,
                        help_text="通知日期早于三日前的，须写明为何现在才登记")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = staff_for_work(org_unit=case.org_unit)


class SubmitReviewForm(forms.Form):
    departure_reason = _text("偏离裁量基准的理由（如有）", required=False)


class ReviewForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="审核结论",
        coerce=lambda v: v == "1",
        choices=[("1", "通过"), ("0", "退回补正")],
        widget=forms.RadioSelect,
    )
    opinion = _text(
        "书面审核意见", help_text="行政处罚法第五十八条：须出具书面审核意见"
    )


class ApproveForm(ConfirmForm):
    """The principal's 同意 (the 不同意 is the refusal's own page)."""

    reasons = _text("意见说明", required=False)


class ProposeForm(forms.Form):
    """The officer's proposal to the principal (承办意见)."""

    reason = _text("承办意见及理由", required=False)


class ProposeReasonForm(forms.Form):
    reason = _text("承办意见及理由")


class DiscussionForm(SignOffForm):
    """The heads' collective discussion: the minutes, and the principal's 同意 or
    不同意 on the proposal discussed."""

    minutes = _text("集体讨论纪要")
    field_order = ["minutes", "agree", "reasons"]


class DecideForm(MeasuresForm):
    """The decision, filled in with what the notice proposed: lighter is allowed,
    heavier or added needs a new notice (the service refuses it)."""

    fine_decided = _money("决定罚款（元）")
    other_measures = _text("其他处理措施", required=False,
                           help_text="不填则按告知书所列")
    departure_reason = _text("与拟处罚不一致或偏离基准的理由", required=False)
    field_order_first = ["fine_decided"]

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.initial = {"fine_decided": case.fine_proposed,
                            **(case.measures_proposed or {}),
                            "other_measures": ""}


class NoPenaltyForm(ConfirmForm):
    reason = _text("不予行政处罚的理由",
                   help_text="如：违法行为轻微并及时改正，没有造成危害后果"
                             "（行政处罚法第三十三条第一款）")


class PaymentForm(forms.Form):
    paid_on = _date("缴纳日期")
    amount = forms.DecimalField(
        label="缴纳金额（元）",
        max_digits=16,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="不填则按罚款加逾期加处罚款计算",
    )


class NoteForm(forms.Form):
    note = _text("执行情况", required=False)


class RemedyForm(forms.Form):
    started_on = _date("申请复议或起诉日期")
    # no initial date: an end filled in by default would end the remedy at once
    ended_on = DateField(label="复议或诉讼终结日期（未结不填）", required=False)


class CourtForm(forms.Form):
    applied_on = _date("申请日期")
    court = forms.CharField(label="受理法院", max_length=100)


class CompleteForm(forms.Form):
    completed_on = _date("执行完毕日期")
    note = _text("执行情况")


class TransferForm(ConfirmReasonForm):
    to_agency = forms.CharField(label="移送机关", max_length=100)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=30)
    reason = _text("延长理由（案情复杂）")


class ExtensionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="审批意见", coerce=lambda v: v == "1",
                                     choices=[("1", "批准延长"), ("0", "不批准")],
                                     widget=forms.RadioSelect)


class RecordForm(forms.Form):
    act = forms.ChoiceField(label="执法环节")
    kind = forms.ChoiceField(label="记录形式", choices=RecordKind.choices)
    file = forms.FileField(label="文件")
    captured_at = DateTimeField(
        label="记录时间",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="地点", max_length=200)
    device = forms.CharField(
        label="记录设备", max_length=100, help_text="如：执法记录仪 编号 ZFJLY-001"
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        from fazhi.enforcement.cases.records import act_choices

        super().__init__(*args, **kwargs)
        self.fields["act"].choices = act_choices()


class DocumentForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
