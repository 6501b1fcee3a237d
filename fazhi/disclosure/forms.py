"""Forms of the disclosure pages: they parse; the services decide and validate."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from fazhi.core.models import User
from fazhi.core.roles import Role
from fazhi.core.selectors import staff_for_work
from fazhi.disclosure.models import (
    Channel,
    ConsultationOpinion,
    ConsultationParty,
    DeliveryMethod,
    RequesterCategory,
    RequestState,
)
from fazhi.ui.forms import DateField, MultiFileField


def _date(label: str, required: bool = True, help_text: str = "") -> DateField:
    return DateField(
        label=label, required=required, help_text=help_text
    )


class RegisterForm(forms.Form):
    channel = forms.ChoiceField(label="申请方式", choices=Channel.choices)
    submitted_on = _date("提交日期", False, "当面提交的，填提交当日")
    signed_on = _date("签收日期", False, "邮寄需签收的，填本机关签收之日")
    confirmed_on = _date(
        "确认日期", False, "平常信函、互联网、传真的，填与申请人确认之日"
    )
    requester_category = forms.ChoiceField(
        label="申请人类型", choices=RequesterCategory.choices
    )
    requester_name = forms.CharField(label="申请人姓名或名称", max_length=100)
    requester_id_number = forms.CharField(
        label="证件号码", max_length=40, required=False
    )
    requester_contact_person = forms.CharField(
        label="联系人", max_length=50, required=False
    )
    requester_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    requester_address = forms.CharField(
        label="通信地址", max_length=200, required=False
    )
    requester_email = forms.EmailField(label="电子邮箱", required=False)
    content = forms.CharField(
        label="申请公开的政府信息内容", widget=forms.Textarea(attrs={"rows": 4})
    )
    assignee = forms.ModelChoiceField(label="承办人", queryset=User.objects.none())
    scans = MultiFileField(label="申请书扫描件", required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff_for_work(
            org_unit=actor.org_unit, roles=[Role.DISCLOSURE_OFFICER])
        self.fields["assignee"].initial = actor.pk


class CorrectionForm(forms.Form):
    issued_on = _date("告知日期")
    items = forms.CharField(
        label="需补正事项",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项",
    )
    deadline = _date("补正期限", help_text="申请人应在此日期前补正")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()


class CompleteForm(forms.Form):
    completed_on = _date("收到补正日期")
    scans = MultiFileField(label="补正材料", required=False)


class DayForm(forms.Form):
    on = _date("日期")
    reason = forms.CharField(label="说明", max_length=300, required=False)
    confirm = forms.BooleanField(label="确认办理（此操作将办结该申请，不能撤销）")


class ConsultForm(forms.Form):
    party_kind = forms.ChoiceField(label="征求对象", choices=ConsultationParty.choices)
    party_name = forms.CharField(label="第三方或机关名称", max_length=100)
    sent_on = _date("发出日期")


class ConsultAnswerForm(forms.Form):
    answered_on = _date("答复日期")
    opinion = forms.ChoiceField(label="意见", choices=ConsultationOpinion.choices)
    summary = forms.CharField(
        label="意见摘要", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtensionForm(forms.Form):
    days = forms.IntegerField(label="延长工作日数", min_value=1)
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审批意见",
        coerce=lambda v: v == "1",
        choices=[("1", "同意延期"), ("0", "不同意")],
    )
    reasons = forms.CharField(
        label="意见说明（不同意的须写明理由，退回承办人）", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    outcome = forms.ChoiceField(label="答复类型")
    replied_on = _date("答复日期")
    reply_summary = forms.CharField(
        label="答复内容",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="将写入答复书，每行一段",
    )
    withheld_reasons = forms.CharField(
        label="不予公开的内容及理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="部分公开、不予公开等答复类型必填（政府信息公开条例第三十六、三十七条）",
    )
    files = MultiFileField(label="答复材料及提供的信息", required=False)

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "请选择"), *outcomes]
        self.fields["replied_on"].initial = timezone.localdate()


class DeliverForm(forms.Form):
    method = forms.ChoiceField(label="送达方式", choices=DeliveryMethod.choices)
    delivered_on = _date("送达日期")
    proof = MultiFileField(label="送达回证", required=False)


class FeeForm(forms.Form):
    method = forms.ChoiceField(
        label="计收方式",
        choices=[
            ("per_request", "按件计收（同一申请人当月第几件）"),
            ("per_volume", "按量计收（页数）"),
        ],
    )
    quantity = forms.IntegerField(label="件次或页数", min_value=1)


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *RequestState.choices]
    )
    channel = forms.ChoiceField(
        label="申请方式", required=False, choices=[("", "全部"), *Channel.choices]
    )
    overdue = forms.BooleanField(label="仅超期", required=False)
    assignee = forms.ModelChoiceField(
        label="承办人", required=False, queryset=User.objects.none()
    )
    received_from = _date("收到日期从", False)
    received_to = _date("至", False)
    q = forms.CharField(label="关键词", required=False, help_text="编号、申请人或内容")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(
            org_unit__path__startswith=actor.org_unit.path,
            role_grants__role=Role.DISCLOSURE_OFFICER,
        ).order_by("username")
