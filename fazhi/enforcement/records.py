"""Full-process records (全过程记录): attach a recording to the act it records,
and say which acts of a case still lack one (rules/recording.toml)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.evidence import evidence_store
from fazhi.core.models import EvidenceKind
from fazhi.enforcement import recording
from fazhi.enforcement.models import AVRecord, Case, RecordKind
from fazhi.enforcement.services import _require

_EVIDENCE_KIND = {RecordKind.VIDEO: EvidenceKind.AV_RECORD,
                  RecordKind.AUDIO: EvidenceKind.AV_RECORD,
                  RecordKind.PHOTO: EvidenceKind.PHOTO,
                  RecordKind.WRITTEN: EvidenceKind.SCAN}


@cache
def acts() -> tuple[recording.Act, ...]:
    """The acts to record: shipped list, then the bureau's override folders."""
    from fazhi.deadlines.selectors import module_rule_dirs

    return recording.load_acts(tuple(module_rule_dirs("enforcement")))


def act_choices() -> list[tuple[str, str]]:
    return [(a.code, a.label) for a in acts()]


def case_record_add(
    *, case: Case, actor, act: str, kind: str, file, captured_at: dt.datetime,
    place: str, device: str, note: str = "",
) -> AVRecord:
    """Store the file as evidence and attach it to ``act`` with time, place, device."""
    _require(actor, case)
    if act not in dict(act_choices()):
        raise ValidationError({"act": "未知的执法环节"})
    if kind not in RecordKind.values:
        raise ValidationError({"kind": "未知的记录形式"})
    if captured_at > timezone.now():
        raise ValidationError({"captured_at": "记录时间不能晚于现在"})
    if not place.strip() or not device.strip():
        raise ValidationError({"place" if not place.strip() else "device":
                               "请填写记录地点和记录设备"})
    with transaction.atomic():
        evidence = evidence_store(
            file=file, actor=actor, org_unit=case.org_unit,
            kind=_EVIDENCE_KIND[kind], matter=case,
            description=f"{dict(act_choices())[act]} {RecordKind(kind).label}",
        )
        record = AVRecord.objects.create(
            case=case, act=act, kind=kind, evidence=evidence, captured_at=captured_at,
            place=place.strip(), device=device.strip(), recorded_by=actor,
            note=note.strip(),
        )
        audit.record(actor=actor, obj=case, action="enforcement.record_add",
                     evidence=[evidence.sha256],
                     summary=f"全过程记录：{dict(act_choices())[act]}"
                             f"（{RecordKind(kind).label}）",
                     after={"record": record.pk, "sha256": evidence.sha256,
                            "captured_at": captured_at.isoformat(), "place": place,
                            "device": device})
    return record


def case_record_gaps(case: Case) -> list[recording.Gap]:
    """The acts that are due by the case's steps and have no accepted record."""
    done = set(case.steps.values_list("action", flat=True))
    have = case.records.values_list("act", "kind")
    return recording.gaps(acts(), done_actions=done, records=list(have))
