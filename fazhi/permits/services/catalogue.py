"""The bureau's permit kinds: loaded from the shipped file, edited on the web page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from fazhi.core import audit
from fazhi.core.instruments import instrument_kinds
from fazhi.core.models import OrgLevel, OrgUnit
from fazhi.core.roles import Role
from fazhi.deadlines.registry import rules_registry
from fazhi.permits import kinds as kind_rules
from fazhi.permits.models import PermitKind
from fazhi.permits.services.common import err


def _statutory_days() -> dict[str, int]:
    return {rid: r.length for rid, r in rules_registry().items()
            if rid.startswith("permit.") and r.unit == "working_day"}


def _spec(kind: PermitKind) -> kind_rules.KindSpec:
    return kind_rules.KindSpec(
        code=kind.code, name=kind.name, basis=kind.basis,
        decision_rule=kind.decision_rule, promised_days=kind.promised_days,
        certificate_word=kind.certificate_word, fee=kind.fee, fee_basis=kind.fee_basis,
        materials=tuple(kind_rules.Material(m["code"], m["label"], m["required"])
                        for m in kind.materials))


def _check_kinds(kinds: list[PermitKind]) -> None:
    taken = {k.word: f"文书“{k.title}”" for k in instrument_kinds().values()}
    try:
        for kind in kinds:
            kind_rules.check_kind(_spec(kind), _statutory_days())
        kind_rules.check_words_unique([_spec(k) for k in kinds], taken)
    except kind_rules.KindError as exc:
        raise ValidationError(str(exc)) from exc


def kinds_sync(*, actor=None, org_units=None) -> int:
    """Give every county bureau (or each of ``org_units``) its own copy of each
    shipped kind it lacks; never touch a kind a bureau already has."""
    specs = kind_rules.load_kinds()
    units = (list(org_units) if org_units is not None
             else list(OrgUnit.objects.filter(level=OrgLevel.COUNTY)))
    return sum(_sync_bureau(org, specs, actor) for org in units)


def _sync_bureau(org: OrgUnit, specs: list[kind_rules.KindSpec], actor) -> int:
    have = set(PermitKind.objects.filter(org_unit=org).values_list("code", flat=True))
    new = [PermitKind(org_unit=org, code=s.code, name=s.name, basis=s.basis,
                      decision_rule=s.decision_rule, promised_days=s.promised_days,
                      certificate_word=s.certificate_word, fee=s.fee,
                      fee_basis=s.fee_basis,
                      materials=[m.__dict__ for m in s.materials])
           for s in specs if s.code not in have]
    if not new:
        return 0
    with transaction.atomic():
        try:
            _check_kinds([*PermitKind.objects.filter(org_unit=org), *new])
        except ValidationError as exc:
            raise ValidationError(f"{org.name}：{exc.messages[0]}") from exc
        PermitKind.objects.bulk_create(new)
        audit.record(actor=actor, obj=None, org_unit=org, action="permits.kinds_sync",
                     object_type="permits.PermitKind",
                     summary=f"载入许可事项 {len(new)} 项",
                     after={"codes": [k.code for k in new]})
    return len(new)


def kind_save(*, actor, kind: PermitKind | None = None, **fields) -> PermitKind:
    """Change one of the actor's bureau's kinds, or add one to it (its system
    administrator); another bureau's kinds and applications stay as they are."""
    if not (actor.is_active and actor.has_role(Role.SYSTEM_ADMIN)):
        raise PermissionDenied("只有系统管理员可以维护许可事项")
    org = actor.org_unit
    # A copy: a refused change must leave the caller's object as it was.
    target = (PermitKind.objects.get(pk=kind.pk) if kind is not None
              else PermitKind(org_unit=org, added_by_bureau=True))
    if org is None or target.org_unit_id != org.pk:
        raise PermissionDenied("只能维护本机关的许可事项")
    _check_materials(fields.get("materials", kind.materials if kind else None))
    before = {} if kind is None else {f: getattr(kind, f) for f in fields}
    for name, value in fields.items():
        setattr(target, name, value)
    if target.org_unit_id != org.pk:  # nor handed to another bureau
        raise PermissionDenied("只能维护本机关的许可事项")
    others = PermitKind.objects.filter(org_unit=org).exclude(pk=target.pk)
    if kind is None and others.filter(code=target.code).exists():
        raise err("code", f"本机关已有编码为“{target.code}”的许可事项，请换一个编码")
    with transaction.atomic():
        _check_kinds([*others, target])
        target.save()
        audit.record(actor=actor, obj=target, action="permits.kind_save",
                     summary=f"{'修改' if kind else '新增'}许可事项“{target.name}”",
                     before=before, after=fields)
    if kind is not None:  # the caller's object now agrees with the database
        for name, value in fields.items():
            setattr(kind, name, value)
    return target


def _check_materials(items) -> None:
    ok = isinstance(items, list) and items and all(
        isinstance(m, dict) and isinstance(m.get("code"), str) and m["code"]
        and isinstance(m.get("label"), str) and m["label"]
        and isinstance(m.get("required"), bool) for m in items)
    if not ok:
        raise err("materials", "申请材料清单每项须有编码、材料名称和是否必需")

