"""Full-process records (全过程记录): attach a recording to the act it records,
and say which acts of a case still lack one (rules/recording.toml)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.dates import date_check
from fazhi.core.evidence import Refused, evidence_store, original_name, sniff
from fazhi.core.models import EvidenceKind
from fazhi.core.permissions import require_role
from fazhi.core.roles import Role
from fazhi.enforcement import rulesets
from fazhi.enforcement.cases import recording
from fazhi.enforcement.models import AVRecord, Case, RecordKind

# What the content of each kind must be (sniffed from its bytes); a body camera may
# save a sound-only recording as an MP4 video, so a recording accepts either.
_MEDIA = {RecordKind.PHOTO: ("image/",), RecordKind.VIDEO: ("video/",),
          RecordKind.AUDIO: ("audio/", "video/")}
_MEDIA_WORDS = {RecordKind.PHOTO: "照片（JPEG、PNG、HEIC 等图片）",
                RecordKind.VIDEO: "执法记录仪或相机拍摄的视频（MP4、MOV、AVI 等）",
                RecordKind.AUDIO: "录音（MP3、M4A、WAV、AMR 等）或音像文件"}
_EVIDENCE_KIND = {RecordKind.VIDEO: EvidenceKind.AV_RECORD,
                  RecordKind.AUDIO: EvidenceKind.AV_RECORD,
                  RecordKind.PHOTO: EvidenceKind.PHOTO,
                  RecordKind.WRITTEN: EvidenceKind.SCAN}


def acts() -> tuple[recording.Act, ...]:
    """The acts to record: shipped list, then the bureau's override folders."""
    return rulesets.recording_acts()


def act_choices() -> list[tuple[str, str]]:
    return [(a.code, a.label) for a in acts()]


def case_record_add(
    *, case: Case, actor, act: str, kind: str, file, captured_at: dt.datetime,
    place: str, device: str, note: str = "",
) -> AVRecord:
    """Store the file as evidence and attach it to ``act`` with time, place, device."""
    require_role(actor, case, Role.ENFORCEMENT_OFFICER)
    if act not in dict(act_choices()):
        raise ValidationError({"act": "未知的执法环节"})
    if kind not in RecordKind.values:
        raise ValidationError({"kind": "未知的记录形式"})
    date_check(timezone.localtime(captured_at).date(), field="captured_at",
               label="记录时间")
    if captured_at > timezone.now():
        raise ValidationError({"captured_at": "记录时间不能晚于现在"})
    _check_content(file, kind)
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


def _check_content(file, kind: str) -> None:
    """A photo must be a picture, a video a video, a recording sound: by content.

    The evidence store takes any safe document; a text file filed as the photo of an
    inspection would leave the act unrecorded while counting as recorded.
    """
    accepted = _MEDIA.get(kind)
    if accepted is None:
        return
    name = original_name(file)
    try:
        media_type = sniff(file, name)
    except Refused as exc:
        raise ValidationError({"file": str(exc)}) from None
    if not media_type.startswith(accepted):
        raise ValidationError({"file": (
            f"“{name}”不是{RecordKind(kind).label}文件，"
            f"请上传{_MEDIA_WORDS[kind]}")})


def case_record_gaps(case: Case) -> list[recording.Gap]:
    """The acts that are due by the case's steps and have no accepted record."""
    done = set(case.steps.values_list("action", flat=True))
    have = case.records.values_list("act", "kind")
    return recording.gaps(acts(), done_actions=done, records=list(have))
