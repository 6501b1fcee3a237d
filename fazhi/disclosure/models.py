"""Information-disclosure requests (依申请公开) and the steps taken on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from fazhi.core.matters import state_choices, state_field
from fazhi.core.models import Matter, number_unique_per_org
from fazhi.disclosure import workflow


class Channel(models.TextChoices):
    IN_PERSON = "in_person", "当面提交"  # handed in at the office
    REGISTERED_MAIL = "registered_mail", "邮寄（需签收）"  # mail the bureau signs for
    ORDINARY_LETTER = "ordinary_letter", "平常信函"  # letter without signature
    ONLINE = "online", "互联网渠道"  # the government website's request form
    FAX = "fax", "传真"  # fax


class RequesterCategory(models.TextChoices):
    NATURAL_PERSON = "natural_person", "自然人"  # a citizen
    BUSINESS = "business", "商业企业"  # a company
    RESEARCH = "research", "科研机构"  # a research institution
    PUBLIC_INTEREST = (
        "public_interest",
        "社会公益组织",
    )  # a public-interest organisation
    LEGAL_SERVICE = "legal_service", "法律服务机构"  # a law firm or legal-aid body
    OTHER_ORG = "other_org", "其他组织"  # any other organisation


# Where a request stands: the states of the request table, with labels and comments.
RequestState = state_choices("RequestState", workflow.TABLE, __name__)


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", "当面领取"  # collected at the office, signed for
    MAIL = "mail", "邮寄"  # posted (EMS / registered mail)
    EMAIL = "email", "电子邮件"  # e-mail
    ONLINE = "online", "网上答复"  # through the online platform
    FAX = "fax", "传真"  # fax


class DisclosureRequest(Matter):
    """One request for government information, from receipt to delivered reply."""

    number = models.CharField("登记编号", max_length=60)
    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    signed_on = models.DateField("签收日期", null=True, blank=True)
    confirmed_on = models.DateField("确认日期", null=True, blank=True)
    received_on = models.DateField("收到申请日期", db_index=True)
    requester_category = models.CharField(
        "申请人类型", max_length=20, choices=RequesterCategory.choices
    )
    requester_name = models.CharField("申请人", max_length=100)
    requester_id_number = models.CharField("证件号码", max_length=40, blank=True)
    requester_contact_person = models.CharField("联系人", max_length=50, blank=True)
    requester_phone = models.CharField("联系电话", max_length=30, blank=True)
    requester_address = models.CharField("通信地址", max_length=200, blank=True)
    requester_email = models.EmailField("电子邮箱", blank=True)
    content = models.TextField("申请公开的内容")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name="承办人",
    )
    state = state_field(RequestState, RequestState.REGISTERED)
    reply_clock = models.OneToOneField(
        "deadlines.Clock", models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField("答复类型", max_length=40, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_summary = models.TextField("答复内容摘要", blank=True)
    withheld_reasons = models.TextField("不予公开部分及理由", blank=True)
    replied_late = models.BooleanField("逾期答复", default=False, db_index=True)
    days_late = models.PositiveSmallIntegerField("逾期工作日数", default=0)
    delivery_method = models.CharField(
        "送达方式", max_length=20, blank=True, choices=DeliveryMethod.choices
    )
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    fee_method = models.CharField("收费方式", max_length=20, blank=True)
    fee_amount = models.PositiveIntegerField("信息处理费（元）", default=0)
    fee_basis = models.TextField("收费依据", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "依申请公开"
        constraints = [number_unique_per_org("disclosure_number_per_org")]
        indexes = [
            models.Index(fields=["org_unit", "state", "received_on"]),
            # The list's order within a bureau: newest first, id breaking ties.
            models.Index(fields=["org_unit", "-received_on", "-id"],
                         name="disclosure_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.requester_name}"

    def get_absolute_url(self) -> str:
        return reverse("disclosure:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


OPEN_STATES = workflow.TABLE.open_states


class CorrectionNotice(models.Model):
    """The one correction notice a request may receive (Art. 30)."""

    request = models.OneToOneField(
        DisclosureRequest, models.CASCADE, related_name="correction"
    )
    issued_on = models.DateField("告知日期")
    items = models.TextField("需补正事项")  # one item per line
    deadline = models.DateField("补正期限")
    completed_on = models.DateField("收到补正日期", null=True, blank=True)
    instrument = models.ForeignKey(
        "core.Instrument", models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"补正告知 {self.issued_on}"

    @property
    def org_unit(self):
        return self.request.org_unit


class ConsultationParty(models.TextChoices):
    THIRD_PARTY = (
        "third_party",
        "第三方",
    )  # disclosure may harm its lawful rights (Art. 32)
    AGENCY = "agency", "其他机关"  # information produced jointly (Art. 34)


class ConsultationOpinion(models.TextChoices):
    AGREE = "agree", "同意公开"  # consents
    OBJECT = "object", "不同意公开"  # objects, with reasons
    NONE = "none", "逾期未答复"  # silent by the deadline


class Consultation(models.Model):
    """A consultation of a third party or agency; its time is excluded (Art. 33)."""

    request = models.ForeignKey(
        DisclosureRequest, models.CASCADE, related_name="consultations"
    )
    party_kind = models.CharField(
        "征求对象", max_length=20, choices=ConsultationParty.choices
    )
    party_name = models.CharField("名称", max_length=100)
    sent_on = models.DateField("发出日期")
    clock = models.OneToOneField(
        "deadlines.Clock", models.PROTECT, null=True, related_name="+"
    )
    answered_on = models.DateField("答复日期", null=True, blank=True)
    opinion = models.CharField(
        "意见", max_length=10, blank=True, choices=ConsultationOpinion.choices
    )
    opinion_summary = models.TextField("意见摘要", blank=True)
    instrument = models.ForeignKey(
        "core.Instrument", models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"征求{self.party_name}意见"

    @property
    def org_unit(self):
        return self.request.org_unit
