"""Annual reports: create one, save staff edits as a new version, sign it off.

Every change writes the audit chain in its own transaction. A version keeps the
edited paragraphs (and the check's confirmations) and a snapshot of the figures as
they stood when it was saved; signing saves a last version, so a signed report is
rendered from the figures it was signed with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.errors import field_error as _err
from fazhi.core.roles import Role
from fazhi.reports import annual, annual_facts, check
from fazhi.reports.models import AnnualReport, ReportState, ReportVersion

READ_ROLES = (Role.PRINCIPAL, Role.LEGAL_AFFAIRS_OFFICER, Role.SUPERVISOR)
WRITE_ROLES = (Role.PRINCIPAL, Role.LEGAL_AFFAIRS_OFFICER)
SIGN_ROLES = (Role.PRINCIPAL,)
HEADER_FIELDS = ("document_number", "addressee", "signing_org", "signed_on", "issuer",
                 "copy_to", "printing_org", "printed_on", "print_masthead")
NOTE_MAX = 200
PARAGRAPH_MAX = 5000
FIRST_YEAR = 2000


def may_edit(actor, report: AnnualReport) -> bool:
    """Staff of the report's own bureau edit it; a city or province only reads."""
    return actor.org_unit_id == report.org_unit_id and actor.has_role(*WRITE_ROLES)


def may_sign(actor, report: AnnualReport) -> bool:
    return actor.org_unit_id == report.org_unit_id and actor.has_role(*SIGN_ROLES)


def header_of(report: AnnualReport) -> dict:
    return {f: getattr(report, f) for f in HEADER_FIELDS}


# --- the document of a report -------------------------------------------------


def latest_version(report: AnnualReport) -> ReportVersion | None:
    return report.versions.order_by("-number").first()


def report_document(report: AnnualReport, *, version: ReportVersion | None = None,
                    progress=None):
    """The report's document and the facts behind it: a draft's figures are live, a
    signed report's (or an older version's) are those the version was saved with."""
    version = version or latest_version(report)
    edits = version.edits if version else {}
    if version is not None and (report.state == ReportState.SIGNED
                                or version != latest_version(report)):
        facts = annual_facts.facts_from_snapshot(
            version.figures, org=report.org_unit, year=report.year,
            header=header_of(report))
    else:
        facts = annual_facts.report_facts(org=report.org_unit, year=report.year,
                                          header=header_of(report), progress=progress)
    return annual.assemble(facts, edits), facts, edits


def report_problems(report: AnnualReport) -> list[check.Problem]:
    doc, facts, edits = report_document(report)
    return check.report_check(doc, facts, edits)


def _snapshot(report: AnnualReport) -> dict:
    facts, records = annual_facts.gather(org=report.org_unit, year=report.year,
                                         header=header_of(report))
    return annual_facts.facts_snapshot(facts, records)


# --- create -------------------------------------------------------------------


def report_create(*, actor, org_unit, year: int) -> AnnualReport:
    """Start the report of ``org_unit`` (the actor's bureau or one under it) for
    ``year``, with the default addressee and signature and a first version."""
    if not actor.has_role(*WRITE_ROLES) or actor.org_unit is None \
            or not actor.org_unit.contains(org_unit):
        raise PermissionDenied("您无权为该机关生成年度报告")
    today = timezone.localdate()
    if not FIRST_YEAR <= year <= today.year:
        raise _err("year", f"年度应在{FIRST_YEAR}年至{today.year}年之间")
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                org_unit=org_unit, year=year, created_by=actor,
                addressee=annual.default_addressee(org_unit.division_name),
                signing_org=org_unit.name)
            ReportVersion.objects.create(report=report, number=1, edits={},
                                         figures=_snapshot(report),
                                         note="生成初稿", created_by=actor)
            audit.record(actor=actor, obj=report, action="reports.annual.create",
                         summary=f"生成{report}初稿（第1版）")
    except IntegrityError:
        raise _err("year", f"{org_unit.name}{year}年的年度报告已经存在") from None
    return report


# --- edit ---------------------------------------------------------------------


def _clean_header(report: AnnualReport, header: Mapping) -> dict:
    out = {}
    for name in HEADER_FIELDS:
        if name not in header:
            continue
        value = header[name]
        if name in ("signed_on", "printed_on"):
            label = AnnualReport._meta.get_field(name).verbose_name
            if value is not None and not report.year <= value.year <= report.year + 1:
                raise _err(name, f"{label}应在{report.year}年或{report.year + 1}年")
        elif name == "print_masthead":
            value = bool(value)
        else:
            value = (value or "").strip()
            limit = AnnualReport._meta.get_field(name).max_length
            if len(value) > limit:
                raise _err(name, f"不超过{limit}字（现为{len(value)}字）")
        out[name] = value
    return out


def _clean_edits(base: dict, edits: Mapping[str, str]) -> dict:
    merged = dict(base)
    for key, text in edits.items():
        if not (key in annual.EDITABLE or key.startswith(check.CONFIRM_PREFIX)):
            raise _err("edits",
                       f"段落“{key}”不可编辑（由指标数据生成的段落不能直接修改）")
        text = (text or "").strip()
        if len(text) > PARAGRAPH_MAX:
            raise _err(key, f"一个段落不超过{PARAGRAPH_MAX}字")
        if key.startswith(check.CONFIRM_PREFIX) and not text:
            merged.pop(key, None)
        else:
            merged[key] = text
    return merged


def report_save_version(*, report: AnnualReport, actor, edits: Mapping[str, str],
                        header: Mapping | None = None, note: str = "",
                        base_number: int | None = None) -> ReportVersion:
    """Save the staff's edits as the next version (unchanged paragraphs carry over).

    ``base_number`` is the version the editor started from: if someone saved in the
    meantime, nothing is saved and the error says so.
    """
    if not may_edit(actor, report):
        raise PermissionDenied("只有本机关的法务人员或负责人可以修改年度报告")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise _err("note", f"修改说明不超过{NOTE_MAX}字")
    given = report
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.state == ReportState.SIGNED:
            raise _err("edits", "报告已签发，不能再修改")
        last = latest_version(report)
        if base_number is not None and last.number != base_number:
            raise _err("edits", f"报告已被他人修改（现为第{last.number}版），"
                                "请刷新后在最新版本上修改")
        clean = _clean_header(report, header or {})
        before = {k: str(getattr(report, k) or "") for k in clean}
        for name, value in clean.items():
            setattr(report, name, value)
            setattr(given, name, value)  # the caller's instance shows the change
        if clean:
            report.save(update_fields=list(clean))
        merged = _clean_edits(last.edits, edits)
        changed = sorted(k for k in set(merged) | set(last.edits)
                         if merged.get(k) != last.edits.get(k))
        version = ReportVersion.objects.create(
            report=report, number=last.number + 1, edits=merged,
            figures=_snapshot(report), note=note or "修改", created_by=actor)
        audit.record(actor=actor, obj=report, action="reports.annual.save",
                     summary=f"保存{report}第{version.number}版：{note or '修改'}",
                     before={"header": before,
                             "edits": {k: last.edits.get(k) for k in changed}},
                     after={"header": {k: str(v or "") for k, v in clean.items()},
                            "edits": {k: merged.get(k) for k in changed}})
    return version


# --- sign ---------------------------------------------------------------------


def report_sign(*, report: AnnualReport, actor) -> ReportVersion:
    """Sign the report off; refused while the check lists anything."""
    if not may_sign(actor, report):
        raise PermissionDenied("只有本机关负责人可以签发年度报告")
    given = report
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.state == ReportState.SIGNED:
            raise _err("state", "报告已经签发")
        problems = report_problems(report)
        if problems:
            raise ValidationError([f"签发前须处理以下{len(problems)}项："]
                                  + [p.message for p in problems])
        last = latest_version(report)
        version = ReportVersion.objects.create(
            report=report, number=last.number + 1, edits=last.edits,
            figures=_snapshot(report), note="签发", created_by=actor)
        updated = AnnualReport.objects.filter(pk=report.pk, state=ReportState.DRAFT
                                              ).update(state=ReportState.SIGNED)
        if not updated:
            raise _err("state", "报告已经签发")
        report.state = given.state = ReportState.SIGNED
        audit.record(actor=actor, obj=report, action="reports.annual.sign",
                     summary=f"签发{report}（第{version.number}版，"
                             f"{report.document_number}）",
                     before={"state": ReportState.DRAFT},
                     after={"state": ReportState.SIGNED, "version": version.number})
    return version


def report_docx(report: AnnualReport, *, version: ReportVersion | None = None,
                progress=None) -> bytes:
    """The report as a GB/T 9704 .docx."""
    from fazhi.reports import render_docx

    doc, facts, _ = report_document(report, version=version, progress=progress)
    return render_docx.render(doc, author=report.signing_org or report.org_unit.name,
                              upward=annual.upward_of(facts))


def report_filename(report: AnnualReport) -> str:
    return f"{report.org_unit.name}{report.year}年法治政府建设年度报告.docx"


def default_year(today: dt.date | None = None) -> int:
    """The year a report is usually written for: last year."""
    return (today or timezone.localdate()).year - 1
