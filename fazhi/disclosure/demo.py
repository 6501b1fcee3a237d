"""Demo disclosure requests: every state, some overdue, one extension waiting for
the office head's approval, in both demo counties.

Dates are relative to today so the colours stay meaningful whenever the demo runs.
Loading again adds nothing: a county that already has requests is left alone.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from fazhi.core.models import User
from fazhi.disclosure import services as s
from fazhi.disclosure.models import DisclosureRequest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

TOPICS = [
    "本县2025年度建设用地批准文件及附图",
    "某村集体土地征收补偿安置方案",
    "本县永久基本农田划定成果图",
    "2024年度卫片执法图斑核查结果",
    "某建设项目用地预审与选址意见书",
    "本县国土空间总体规划（2021—2035年）批复文件",
    "某矿山采矿许可证及年度检查情况",
    "本人房屋所在地块的规划条件",
    "本县2025年行政处罚决定书目录",
    "某地块出让合同及土地出让金缴纳情况",
    "本县地质灾害隐患点分布情况",
]


def load(*, prefix: str) -> int:
    """Create the demo requests of the county whose users start with ``prefix``."""
    officer = User.objects.get(username=f"{prefix}_disclosure")
    head = User.objects.get(username=f"{prefix}_disclosurehead")
    if DisclosureRequest.objects.filter(org_unit=officer.org_unit).exists():
        return 0
    with transaction.atomic():
        return _load(officer, head, timezone.localdate())


def _reg(officer, days_ago: int, n: int, today, **extra):
    received = today - dt.timedelta(days=days_ago)
    names = [
        "张伟",
        "湘潭某置业有限公司",
        "李娜",
        "湖南某律师事务所",
        "王芳",
        "某大学土地研究所",
        "刘洋",
        "陈静",
        "某环保公益协会",
        "赵磊",
        "周敏",
    ]
    categories = [
        "natural_person",
        "business",
        "natural_person",
        "legal_service",
        "natural_person",
        "research",
        "natural_person",
        "natural_person",
        "public_interest",
        "natural_person",
        "natural_person",
    ]
    return s.request_register(
        actor=officer,
        channel=extra.pop("channel", "in_person"),
        submitted_on=extra.pop("submitted_on", received),
        requester_category=categories[n],
        requester_name=names[n],
        requester_phone="0731-5700" + f"{n:04d}",
        requester_address="湘潭县易俗河镇",
        content=f"申请公开：{TOPICS[n]}",
        assignee=officer,
        scans=[ContentFile(PDF, name=f"申请书{n + 1}.pdf")],
        **extra,
    )


def _load(officer, head, today) -> int:
    d = dt.timedelta
    _reg(officer, 1, 0, today)  # fresh, green
    r = _reg(
        officer,
        24,
        1,
        today,
        channel="online",
        confirmed_on=today - d(24),
        submitted_on=today - d(25),
    )  # close to the end: yellow or red, and an extension waits on the head
    s.request_extension_ask(
        request=r, actor=officer, days=15, reason="所需文件及附图分存于多个年度档案，需调阅汇总"
    )
    _reg(officer, 45, 2, today)  # never answered: overdue
    r = _reg(
        officer,
        5,
        3,
        today,
        channel="registered_mail",
        signed_on=today - d(5),
        submitted_on=today - d(7),
    )
    s.request_correction_issue(
        request=r,
        actor=officer,
        issued_on=today - d(3),
        items=["请明确所需信息的文号或形成时间", "请补充联系人电话"],
        deadline=today + d(15),
    )
    r = _reg(officer, 10, 4, today)
    s.request_consult_start(
        request=r,
        actor=officer,
        party_kind="third_party",
        party_name="湘潭某置业有限公司",
        sent_on=today - d(4),
    )
    r = _reg(officer, 20, 5, today)
    s.request_reply(
        request=r,
        actor=officer,
        outcome="disclose",
        replied_on=today - d(6),
        reply_summary="经查，所申请信息予以公开，随本答复书提供复制件。",
    )
    s.request_deliver(
        request=r, actor=officer, method="mail", delivered_on=today - d(4)
    )
    r = _reg(officer, 60, 6, today)  # answered, but late
    s.request_reply(
        request=r,
        actor=officer,
        outcome="disclose",
        replied_on=today - d(8),
        reply_summary="所申请信息予以公开。",
    )
    r = _reg(officer, 30, 7, today)
    ext = s.request_extension_ask(
        request=r, actor=officer, days=15, reason="所需信息分散于多个股室，需调阅档案"
    )
    s.request_extension_decide(extension=ext, actor=head, approve=True)
    s.request_reply(
        request=r,
        actor=officer,
        outcome="partial",
        replied_on=today - d(1),
        reply_summary="部分公开，提供规划条件通知书。",
        withheld_reasons="附图中涉及第三方个人信息的部分不予公开",
    )
    r = _reg(officer, 70, 8, today)
    s.request_correction_issue(
        request=r,
        actor=officer,
        issued_on=today - d(68),
        items=["请明确申请公开的具体信息名称"],
        deadline=today - d(50),
    )
    s.request_abandon(request=r, actor=officer, on=today - d(45))
    r = _reg(officer, 12, 9, today)
    s.request_withdraw(
        request=r, actor=officer, on=today - d(2), reason="申请人书面撤回"
    )
    r = _reg(officer, 15, 10, today, channel="fax", confirmed_on=today - d(15))
    s.request_reply(
        request=r,
        actor=officer,
        outcome="unavailable.not_held",
        replied_on=today - d(3),
        reply_summary="经检索，本机关未制作或获取该信息。",
        withheld_reasons="本机关不掌握该信息",
    )
    return 11
