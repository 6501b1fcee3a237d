"""Instruments (文书): kinds, numbering, issuing and listing.

Every module issues its instruments through ``instrument_issue``: it numbers the
instrument in the bureau's series, fills the kind's .docx template, stores the
result in the evidence store (hashed, verified on read) and writes the audit
chain, all in one transaction — so a failure anywhere leaves no number used.

Kinds are data (``instrument_kinds.toml``); templates are .docx files a bureau
may replace without code, through FAZHI_TEMPLATE_DIRS (``INSTRUMENT_TEMPLATE_DIRS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core import audit, ruledata
from fazhi.core.docx_render import InstrumentError, Value, render_docx
from fazhi.core.evidence import evidence_store
from fazhi.core.models import EvidenceKind, Instrument, InstrumentSequence, OrgUnit
from fazhi.core.remedies import load_remedy_periods, period_words
from fazhi.core.rule_folders import module_rules
from fazhi.core.ruledata import RuleFileError, read_table
from fazhi.core.scope import get_scoped_or_404, scoped

__all__ = [
    "InstrumentError", "InstrumentKind", "doc_number_format", "instrument_get",
    "instrument_issue", "instrument_kind", "instrument_kinds",
    "instrument_list_for", "instrument_number_next", "instrument_template_path",
]

KINDS_FILE = "instrument_kinds.toml"
SHIPPED_KINDS = Path(__file__).with_name(KINDS_FILE)
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # fazhi/
_FIELDS = {"title", "word", "template"}


class InstrumentKindsError(RuleFileError, InstrumentError):
    """A kinds file is wrong: a rule-file error, caught as InstrumentError too."""


@dataclass(frozen=True)
class InstrumentKind:
    code: str  # e.g. "disclosure.correction_notice"
    title: str  # e.g. 政府信息公开申请补正告知书
    word: str  # the middle of the doc number, e.g. 公开补
    template: str = ""  # a .docx file name; empty for a numbering series only

    @property
    def app(self) -> str:
        """Return the app whose instruments/ folder ships the template."""
        return self.code.split(".", 1)[0]


# --- kinds and templates -----------------------------------------------------------


def template_dirs() -> list[Path]:
    """Return the bureau's template directories, searched before the shipped ones."""
    return [Path(d) for d in getattr(settings, "INSTRUMENT_TEMPLATE_DIRS", [])]


def instrument_kinds(dirs: Sequence[Path] | None = None) -> dict[str, InstrumentKind]:
    """Return every kind by code: the shipped ones overridden by the bureau's."""
    dirs = template_dirs() if dirs is None else list(dirs)
    return ruledata.cached(_load_kinds, dirs)


def _load_kinds(dirs: Sequence[Path]) -> dict[str, InstrumentKind]:
    # The first directory listed wins: it is read last.
    folders = [SHIPPED_KINDS.parent, *reversed(dirs)]
    raw: dict[str, dict] = {}
    for path in ruledata.rule_files(folders, KINDS_FILE):
        for code, fields in _read_kinds(path).items():
            raw[code] = {**raw.get(code, {}), **fields}
    kinds = {code: _kind(code, fields) for code, fields in raw.items()}
    _check_words_unique(kinds)
    return kinds


def instrument_kind(code: str, dirs: Sequence[Path] | None = None) -> InstrumentKind:
    """Return one kind, or raise InstrumentError naming the unknown code."""
    try:
        return instrument_kinds(dirs)[code]
    except KeyError:
        raise InstrumentError(f"未知的文书种类：{code}") from None


def instrument_template_path(
    kind: InstrumentKind, dirs: Sequence[Path] | None = None
) -> Path:
    """Return the template file of ``kind``: the bureau's first, then the shipped."""
    if not kind.template:
        raise InstrumentError(f"文书种类“{kind.title}”只用于编号，没有文书模板")
    dirs = template_dirs() if dirs is None else list(dirs)
    candidates = [p for d in dirs for p in (Path(d) / kind.app / kind.template,
                                            Path(d) / kind.template)]
    candidates.append(PACKAGE_DIR / kind.app / "instruments" / kind.template)
    for path in candidates:
        if path.is_file():
            return path
    tried = "；".join(str(p) for p in candidates)
    raise InstrumentError(f"找不到文书模板 {kind.template}（已查找：{tried}）")


def _read_kinds(path: Path) -> dict[str, dict]:
    top = read_table(path, error=InstrumentKindsError)
    top.keys(set(), {"kinds"})
    kinds = {}
    for code, fields in top.subs("kinds"):
        fields.keys(set(), _FIELDS)
        kinds[code] = dict(fields.data)
    return kinds


def _kind(code: str, fields: dict) -> InstrumentKind:
    title, word = fields.get("title"), fields.get("word")
    template = fields.get("template", "")
    if not (isinstance(title, str) and title and isinstance(word, str) and word):
        raise InstrumentError(f"文书种类 {code} 须写明名称（title）和文号代字（word）")
    if not isinstance(template, str) or (
        template and (Path(template).name != template or
                      not template.endswith(".docx"))
    ):
        raise InstrumentError(f"文书种类 {code} 的模板应为 .docx 文件名（不含目录）")
    return InstrumentKind(code=code, title=title, word=word, template=template)


def _check_words_unique(kinds: dict[str, InstrumentKind]) -> None:
    seen: dict[str, str] = {}
    for kind in kinds.values():
        if kind.word in seen:
            raise InstrumentError(
                f"文书种类 {seen[kind.word]} 与 {kind.code} 的文号代字同为"
                f"“{kind.word}”，文号将会重复"
            )
        seen[kind.word] = kind.code


# --- numbering ---------------------------------------------------------------------


def doc_number_format(*, short_name: str, word: str, year: int, serial: int) -> str:
    """Format a doc number as GB/T 9704 7.2.5 asks: 潭县自然资公开补〔2026〕3号."""
    return f"{short_name}{word}〔{year}〕{serial}号"


def instrument_number_next(
    *, org_unit: OrgUnit, kind: str, year: int, word: str | None = None
) -> tuple[int, str]:
    """Take the next serial of the bureau's ``kind`` series in ``year``.

    Call it inside the transaction that uses the number: the increment then rolls
    back with that transaction, and the series keeps no gaps. ``word`` numbers a
    series that is not a shipped kind (a permit kind's certificates, whose kinds a
    bureau adds in the web pages); the caller keeps such words unique.
    """
    word = word or instrument_kind(kind).word
    if not org_unit.short_name:
        raise InstrumentError(
            f"“{org_unit.name}”未设置文号机关代字，请先在机关信息中填写")
    key = {"org_unit": org_unit, "kind": kind, "year": year}
    with transaction.atomic():
        # get_or_create survives a concurrent create (it retries the read after the
        # unique constraint fires); the row lock then serialises the increment.
        InstrumentSequence.objects.get_or_create(**key)
        sequence = InstrumentSequence.objects.select_for_update().get(**key)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    number = doc_number_format(short_name=org_unit.short_name, word=word,
                               year=year, serial=sequence.last)
    return sequence.last, number


# --- issuing -----------------------------------------------------------------------


def instrument_issue(
    *, kind: str, org_unit: OrgUnit, matter: models.Model,
    context: Mapping[str, Value], actor, title: str = "",
    series: tuple[str, str] | None = None,
) -> Instrument:
    """Number, render, store and record one instrument of ``matter``.

    The calling module checks the actor's role; this checks that the actor is
    active staff whose subtree holds the issuing bureau and the matter.
    ``series`` = (series code, word) numbers it in a series of its own instead of
    the kind's (see ``instrument_number_next``).
    """
    _check_may_issue(actor, org_unit, matter)
    spec = instrument_kind(kind)
    template = instrument_template_path(spec)
    title = title or spec.title
    today = timezone.localdate()
    with transaction.atomic():
        code, word = series or (kind, None)
        serial, doc_number = instrument_number_next(org_unit=org_unit, kind=code,
                                                    year=today.year, word=word)
        data = render_docx(template, _context(context, org_unit, doc_number, today))
        evidence = evidence_store(
            file=ContentFile(data, name=f"{doc_number}.docx"), actor=actor,
            org_unit=org_unit, kind=EvidenceKind.DOCUMENT,
            description=f"{title} {doc_number}", matter=matter,
        )
        instrument = Instrument.objects.create(
            # A series of its own is a kind of its own: serials are unique per kind.
            org_unit=org_unit, kind=code, doc_number=doc_number, year=today.year,
            serial=serial, title=title, evidence=evidence, created_by=actor,
            content_type=ContentType.objects.get_for_model(matter),
            object_id=str(matter.pk),
        )
        audit.record(
            actor=actor, obj=matter, action="instrument.issue", org_unit=org_unit,
            evidence=[evidence.sha256], summary=f"制发{title} {doc_number}",
            after={"instrument": instrument.pk, "kind": kind,
                   "doc_number": doc_number, "sha256": evidence.sha256},
        )
    return instrument


def date_cn(day: dt.date) -> str:
    """Write a date as instruments do (GB/T 9704 7.3.5.4): 2026年1月8日, no zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


def _context(
    context: Mapping[str, Value], org_unit: OrgUnit, doc_number: str, today: dt.date
) -> dict[str, Value]:
    values: dict[str, Value] = {
        # Under the 2023 Reconsideration Law (Art. 24) the government of the same
        # level hears reconsiderations of its departments' acts.
        "reconsideration_body": f"{org_unit.division_name}人民政府",
        # Every decision's remedies (六十日, 六个月) from the rule data, never the
        # template's words: {{reconsideration_period}}, {{litigation_period}}.
        **period_words(module_rules("core", load_remedy_periods)),
        **context,
    }
    values.update(doc_number=doc_number, org_name=org_unit.name,
                  date_cn=date_cn(today), year=str(today.year))
    return values


def _check_may_issue(actor, org_unit: OrgUnit, matter: models.Model) -> None:
    own = getattr(actor, "org_unit", None)
    if not getattr(actor, "is_active", False) or own is None:
        raise PermissionDenied("只有在职且属于某一机关的工作人员才能制发文书")
    if not own.contains(org_unit):
        raise PermissionDenied("只能以本机关或下级机关的名义制发文书")
    matter_org = getattr(matter, "org_unit", None)
    if matter_org is not None and not own.contains(matter_org):
        raise PermissionDenied("不能为其他机关的事项制发文书")
    if matter.pk is None:
        raise InstrumentError("事项尚未保存，不能制发文书")


# --- reading -----------------------------------------------------------------------


def instrument_list_for(*, actor, matter: models.Model) -> QuerySet[Instrument]:
    """Return the instruments of ``matter`` the caller may see, oldest first."""
    qs = Instrument.objects.filter(
        content_type=ContentType.objects.get_for_model(matter),
        object_id=str(matter.pk),
    ).select_related("evidence", "created_by", "org_unit")
    return scoped(qs, actor).order_by("created_at", "pk")


def instrument_get(*, actor, pk) -> Instrument:
    """Return one instrument of the caller's subtree, or raise Http404."""
    qs = Instrument.objects.select_related("evidence", "created_by", "org_unit")
    return get_scoped_or_404(qs, actor, pk=pk)
