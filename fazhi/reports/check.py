"""What a report lacks before it can be signed (pure: no Django).

``report_check`` reads the assembled document, the facts it was written from and
the staff's confirmations, and lists each problem with the field or paragraph to
fix. Two kinds can be settled by a confirmation written into the version instead
of a change (the reason is kept with the edits): a metric with no records for the
year ("本年度确无此类事项"), and a year-on-year comparison with no figure for the
year before ("首年使用本系统，上年报告未载此项").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from fazhi.reports.annual import YEAR_ON_YEAR, ReportDocument, ReportFacts

CONFIRM_PREFIX = "confirm:"
DOC_NUMBER = re.compile(r"^\S+〔(\d{4})〕[1-9]\d*号$")


@dataclass(frozen=True)
class Problem:
    """One thing to settle; ``key`` is stable (confirmations refer to it)."""

    key: str
    field: str  # the form field or paragraph id where it is fixed
    message: str
    confirmable: bool = False
    metric_id: str = ""


def confirmation_key(problem_key: str) -> str:
    """The edits key under which a confirmation of ``problem_key`` is stored."""
    return CONFIRM_PREFIX + problem_key


def report_check(doc: ReportDocument, facts: ReportFacts,
                 edits: Mapping[str, str]) -> list[Problem]:
    """List what must be settled before signing; confirmed problems are left out."""
    found = [*_header(facts), *_placeholders(doc), *_metrics(doc, facts),
             *(Problem(f"gather:{i}", "", text)
               for i, text in enumerate(facts.problems))]
    return [p for p in found
            if not (p.confirmable and edits.get(confirmation_key(p.key), "").strip())]


def _header(facts: ReportFacts) -> list[Problem]:
    out = []
    number = facts.document_number.strip()
    if not number:
        out.append(Problem("document_number", "document_number",
                           "缺少发文字号，如“潭县自然资字〔2026〕3号”"))
    elif not (m := DOC_NUMBER.match(number)):
        out.append(Problem("document_number", "document_number",
                           f"发文字号“{number}”格式不对：应为机关代字、〔年份〕和不带“第”、"
                           "不编虚位的序号，如“潭县自然资字〔2026〕3号”"))
    elif int(m.group(1)) < facts.year:
        out.append(Problem("document_number", "document_number",
                           f"发文字号的年份 {m.group(1)} 早于报告年度 {facts.year}"))
    if facts.signed_on is None:
        out.append(Problem("signed_on", "signed_on", "缺少成文日期"))
    if not facts.addressee.strip():
        out.append(Problem("addressee", "addressee", "缺少主送机关"))
    if not facts.signing_org.strip():
        out.append(Problem("signing_org", "signing_org", "缺少署名机关"))
    if not facts.issuer.strip():
        out.append(Problem("issuer", "issuer", "缺少签发人（上报上级机关的公文须标注）"))
    return out


def _placeholders(doc: ReportDocument) -> list[Problem]:
    return [Problem(f"placeholder:{p.id}", p.id,
                    f"尚未填写的段落：{p.text.strip('【】')}")
            for p in doc.paragraphs if p.editable and p.placeholder]


def _metrics(doc: ReportDocument, facts: ReportFacts) -> list[Problem]:
    shown = list(dict.fromkeys(r.metric_id.split("/", 1)[0]
                               for r in doc.figure_runs()))
    out = []
    for mid in shown:
        f = facts.figures.get(mid)
        if f is None:
            out.append(Problem(f"missing:{mid}", "", f"指标 {mid} 未能取得",
                               metric_id=mid))
        elif not f.has_data:
            out.append(Problem(
                f"nodata:{mid}", "",
                f"“{f.name}”本年度没有任何记录：请核实台账是否已录入本系统，"
                "或确认本年度确无此类事项", confirmable=True, metric_id=mid))
    for mid in (m for m in shown if m in YEAR_ON_YEAR):
        f = facts.figures.get(mid)
        if f is not None and f.has_data and f.value is not None \
                and f.previous_source is None:
            out.append(Problem(
                f"baseline:{mid}", "",
                f"“{f.name}”缺少{facts.year - 1}年的数值，无法同比："
                f"请录入{facts.year - 1}年基期数据，或确认不作同比", confirmable=True,
                metric_id=mid))
    return out
