"""Sign-offs: a decision proposed by one person and signed, step by step, by others.

One pair of models for every module. An ``Approval`` is one round of a chain
(``fazhi.core.chains``) on one matter, reached by a generic relation as a
``deadlines.Clock`` is; it keeps the steps as the rule data said when the round
was proposed, so a bureau's later change of the chain never rewrites a round
already running or printed. A ``SignOff`` is one signature in it: step 0 is the
proposal (承办意见), each later step an opinion (同意 / 不同意) with reasons.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from fazhi.core.role_names import ROLE_LABELS


class ApprovalState(models.TextChoices):
    OPEN = "open", "审批中"  # a step is waiting to be signed
    APPROVED = "approved", "审批通过"  # every step agreed
    RETURNED = "returned", "已退回"  # a signer disagreed; back with the proposer
    ENDED = "ended", "已终止"  # the matter ended another way (e.g. withdrawn)


class Opinion(models.TextChoices):
    PROPOSE = "propose", "拟办"  # the proposal itself (承办意见)
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"  # with reasons; the round goes back


class Approval(models.Model):
    """One round of a chain of sign-offs on one matter."""

    content_type = models.ForeignKey(ContentType, models.PROTECT)
    object_id = models.CharField(max_length=64)
    matter = GenericForeignKey("content_type", "object_id")
    org_unit = models.ForeignKey("core.OrgUnit", models.PROTECT, related_name="+")
    chain = models.CharField("审批流程", max_length=80)
    title = models.CharField("审批事项", max_length=100)
    # The round: 1 for the first proposal, one more after each return.
    round = models.PositiveSmallIntegerField("轮次", default=1)
    # The steps as the rule data said when proposed: [{"code", "label", "role"}].
    steps = models.JSONField("审批环节")
    basis = models.CharField("依据", max_length=300, blank=True)
    proposal = models.CharField("拟办事项", max_length=40)  # the module's code
    proposal_label = models.CharField("拟办意见", max_length=100)
    state = models.CharField("审批状态", max_length=10, choices=ApprovalState.choices,
                             default=ApprovalState.OPEN, db_index=True)
    # The index of the step waiting (OPEN); len(steps) once APPROVED.
    waiting_step = models.PositiveSmallIntegerField("待签环节", default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "审批"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "chain", "round"],
                name="approval_round_once"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"]),
                   models.Index(fields=["org_unit", "state"])]

    def __str__(self) -> str:
        return f"{self.title}（第{self.round}轮，{self.get_state_display()}）"

    @property
    def waiting(self) -> dict | None:
        """The step waiting to be signed, or None once the round is over."""
        if self.state != ApprovalState.OPEN:
            return None
        return self.steps[self.waiting_step]

    @property
    def waiting_role_label(self) -> str:
        """Who must sign next, as staff read it: 科室负责人."""
        waiting = self.waiting
        return ROLE_LABELS[waiting["role"]] if waiting else ""


class SignOff(models.Model):
    """One signature in a round: who, when, for which step, the opinion and reasons."""

    approval = models.ForeignKey(Approval, models.CASCADE, related_name="signoffs")
    step = models.PositiveSmallIntegerField("环节序号")
    label = models.CharField("环节", max_length=20)  # 承办, 审核, 批准
    role = models.CharField("角色", max_length=30)
    opinion = models.CharField("意见", max_length=10, choices=Opinion.choices)
    reasons = models.TextField("意见说明", blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                  related_name="+", verbose_name="签署人")
    signed_at = models.DateTimeField("签署时间", default=timezone.now)
    # Signed by a stand-in during someone's leave: the person acted for.
    acting_for = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name="被代理人")

    class Meta:
        ordering = ["step"]
        verbose_name = "签署"
        # A step is signed once: a second signer racing the first is refused.
        constraints = [models.UniqueConstraint(fields=["approval", "step"],
                                               name="signoff_step_once")]

    def __str__(self) -> str:
        return f"{self.label}：{self.get_opinion_display()}（{self.signer_name}）"

    @property
    def signer_name(self) -> str:
        """Who signed, as the form prints it: 张三, or 李四（代张三） for a stand-in."""
        if self.acting_for_id is None:
            return str(self.signed_by)
        return f"{self.signed_by}（代{self.acting_for}）"

    @property
    def signed_on(self):
        return timezone.localdate(self.signed_at)
