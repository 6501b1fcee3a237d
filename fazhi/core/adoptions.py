"""Adopted rule sets: the documents a bureau adopts to give rule values their force.

A rule value is statute, a province's document the bureau applies, the bureau's own
decision, or fazhi's preset. The system administrator adopts a document for a rule
file — entered (title, number, date, scanned copy into the evidence store) or loaded
whole from a province's file (``provinces/<name>.toml``) — in one transaction with
its audit event. The rule readers see it through ``adopted.toml`` in the module's
adopted folder (``settings.RULES_ADOPTED_DIR/<module>/``), which this module writes
from the table after each adoption; the rule-data cache notices the file changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.core import audit
from fazhi.core.evidence import evidence_store
from fazhi.core.models import AdoptedStanding, RuleAdoption
from fazhi.core.permissions import require_admin
from fazhi.core.roles import Role
from fazhi.core.ruledata import ADOPTED, Table, forget_checks, read_table

PROVINCES = Path(__file__).parent / "provinces"

ADOPTABLE = {"enforcement/discretion.toml": "行政处罚裁量基准"}
"""The rule files whose readers take an adopted document (module/file → label)."""

_PRESETS: list[Callable[[], list[tuple[str, str]]]] = []


def presets_source(source: Callable[[], list[tuple[str, str]]]) -> None:
    """Register an app's list of values still standing as presets (rule set, item);
    apps call it from ``AppConfig.ready`` (core imports no app)."""
    if source not in _PRESETS:
        _PRESETS.append(source)


def presets() -> list[tuple[str, str]]:
    """Return (rule set, item) for each value still standing only as a preset."""
    return [found for source in _PRESETS for found in source()]


@dataclass(frozen=True)
class ProvinceDocument:
    rule: str
    label: str
    standing: str
    title: str
    document: str
    issued_on: dt.date | None
    in_force: dt.date | None
    source: str


@dataclass(frozen=True)
class Province:
    """A province's file: the documents a bureau there can adopt in one step."""

    key: str
    code: str
    name: str
    documents: tuple[ProvinceDocument, ...]


def provinces() -> list[Province]:
    """Return the shipped province files, by name of file."""
    return [_province(path) for path in sorted(PROVINCES.glob("*.toml"))]


def _province(path: Path) -> Province:
    top = read_table(path)
    top.keys({"province", "adopted"})
    head = top.sub("province")
    head.keys({"code", "name"})
    return Province(path.stem, head.text("code"), head.text("name"), tuple(
        _document(t) for t in top.entries("adopted", id_key="rule", required=True)))


def _document(t: Table) -> ProvinceDocument:
    t.keys({"rule", "label", "standing", "title", "document", "source"},
           {"issued_on", "in_force"})
    rule = t.choice("rule", tuple(ADOPTABLE))
    return ProvinceDocument(rule, t.text("label"), t.choice("standing", ("province",)),
                            t.text("title"), t.text("document"),
                            t.date("issued_on", required=False),
                            t.date("in_force", required=False), t.text("source"))


def rule_adopt(*, actor, rule: str, standing: str, title: str, document: str,
               issued_on: dt.date, scan, in_force: dt.date | None = None
               ) -> RuleAdoption:
    """Adopt a document for ``rule`` as entered by the system administrator."""
    require_admin(actor, Role.SYSTEM_ADMIN, actor.org_unit)
    _check(rule, standing, title, document)
    if scan is None:
        raise ValidationError({"scan": "请上传文件的扫描件"})
    with transaction.atomic():
        evidence = evidence_store(file=scan, actor=actor, org_unit=actor.org_unit,
                                  kind="scan", description=f"{title}（{document}）")
        adoption = _adopt(actor, rule=rule, standing=standing, title=title.strip(),
                          document=document.strip(), issued_on=issued_on,
                          in_force=in_force, scan=evidence, source="本局录入")
        adopted_write()
    return adoption


def province_adopt(*, actor, key: str) -> list[RuleAdoption]:
    """Adopt every document of the province's file ``key`` in one transaction."""
    require_admin(actor, Role.SYSTEM_ADMIN, actor.org_unit)
    found = {p.key: p for p in provinces()}
    if key not in found:
        raise ValidationError({"province": "没有这个省份的文件"})
    province = found[key]
    with transaction.atomic():
        done = [_adopt(actor, rule=d.rule, standing=d.standing, title=d.title,
                       document=d.document, issued_on=d.issued_on,
                       in_force=d.in_force, scan=None,
                       source=f"{province.name}文件：{d.source}")
                for d in province.documents]
        adopted_write()
    return done


def _check(rule: str, standing: str, title: str, document: str) -> None:
    errors = {}
    if rule not in ADOPTABLE:
        errors["rule"] = "请选择要采用文件的规则"
    if standing not in AdoptedStanding.values:
        errors["standing"] = "效力只能是省厅文件或本局规定"
    if not title.strip():
        errors["title"] = "请填写文件名称"
    if not document.strip():
        errors["document"] = "请填写文号"
    if errors:
        raise ValidationError(errors)


def _adopt(actor, **fields) -> RuleAdoption:
    module, name = fields.pop("rule").split("/", 1)
    adoption = RuleAdoption.objects.create(module=module, rule=name,
                                           org_unit=actor.org_unit, adopted_by=actor,
                                           **fields)
    audit.record(
        actor=actor, obj=adoption, action="rules.adopt",
        summary=f"采用{ADOPTABLE[f'{module}/{name}']}：《{adoption.title}》"
                f"（{adoption.document}）",
        after={"rule": f"{module}/{name}", "standing": adoption.standing,
               "title": adoption.title, "document": adoption.document,
               "issued_on": str(adoption.issued_on or ""),
               "in_force": str(adoption.in_force or "")},
        evidence=[adoption.scan.sha256] if adoption.scan else (),
    )
    return adoption


def adopted_root() -> Path:
    return Path(settings.RULES_ADOPTED_DIR)


def adopted_write() -> None:
    """Write each module's ``adopted.toml`` from the newest adoption of each rule."""
    newest: dict[str, dict[str, RuleAdoption]] = {}
    for a in RuleAdoption.objects.order_by("adopted_at", "pk"):
        newest.setdefault(a.module, {})[a.rule] = a
    for module, rules in newest.items():
        folder = adopted_root() / module
        folder.mkdir(parents=True, exist_ok=True)
        temp = folder / f".{ADOPTED}.tmp"
        temp.write_text("".join(_entry(a) for a in rules.values()), encoding="utf-8")
        temp.replace(folder / ADOPTED)
    forget_checks()  # the rest of this request reads the rules it just adopted


def _entry(a: RuleAdoption) -> str:
    lines = ["[[adopted]]", f"rule = {_q(a.rule)}", f"standing = {_q(a.standing)}",
             f"title = {_q(a.title)}", f"document = {_q(a.document)}"]
    lines += [f"{k} = {v.isoformat()}" for k, v in
              (("issued_on", a.issued_on), ("in_force", a.in_force)) if v]
    return "\n".join(lines) + "\n\n"


def _q(text: str) -> str:
    # a JSON string is a TOML basic string (same escapes)
    return json.dumps(text, ensure_ascii=False)
