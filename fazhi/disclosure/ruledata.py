"""Disclosure law as data: receipt channels, reply outcomes and fee bands.

Pure: no Django. The shipped files sit in ``rules/`` next to this module:

- ``receipt.toml``    which recorded date is the receipt date, per channel (OGI Art. 31)
- ``outcomes.toml``   reply outcomes, their legal basis and the annual-report row
- ``fees.toml``       information-processing fee bands (国办函〔2020〕109号)
- ``ogi_report.toml`` table 3 of the annual report; ``ogi_table.load_ogi_layout``
                      reads it and checks every outcome's row

A bureau changes an entry without code by putting a file with the same name into one
of its override directories: an entry there replaces the shipped entry with the same
``code``, and a new code is added. Only these four file names are read from an
override directory. Every file has its own ``[law]`` table, so an override entry
carries the citation of the file it came from.

Files are read with the house's rule-data kit (``fazhi.core.ruledata``); the small
helpers here (``rule_dirs``, ``merged``, ``require_codes``, ``lookup``) also serve
``ogi_table``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from fazhi.core.ruledata import (
    CITE_OVERRIDES,
    Citation,
    RuleFileError,
    Table,
    merged_entries,
    rule_files,
    rule_folders,
)

RULES_DIR = Path(__file__).with_name("rules")
FILE_TABLES: dict[str, set[str]] = {
    "receipt.toml": {"channel"},
    "outcomes.toml": {"outcome"},
    "fees.toml": {"method"},
    "ogi_report.toml": {"table", "category", "column", "row"},
}
"""The rule files by name, with the top-level tables each may hold besides [law]."""

DATE_FIELDS: dict[str, str] = {
    "submitted_on": "提交日期",
    "signed_on": "签收日期",
    "confirmed_on": "确认日期",
}
"""Dates a clerk records on registration, with the words the form uses for them."""

CHANNEL_CODES = ("in_person", "registered_mail", "ordinary_letter", "online", "fax")
FEE_METHODS = ("per_request", "per_volume")

_CITATION_OVERRIDES = CITE_OVERRIDES

RuleDataError = RuleFileError
"""The name older callers catch: a rule file is unreadable or wrong."""


class UnknownCodeError(LookupError):
    """A caller asked for a channel, outcome or fee method the rule files lack."""


class ReceiptDateMissing(ValueError):
    """The date that fixes the receipt day for this channel was not recorded."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Channel:
    """A way a request reaches the bureau, and which date is its receipt date."""

    code: str
    label: str
    date_field: str
    rule: str
    citation: Citation
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    """A reply type: its basis, annual-report row and the default reply sentence."""

    code: str
    label: str
    row: str
    citation: Citation
    requires_reasons: bool
    provides_information: bool
    reply_letter: bool
    reply_text: str
    note: str = ""


@dataclass(frozen=True)
class FeeBand:
    """Requests or pages ``start``..``end`` (inclusive) cost ``yuan`` each.

    An open last band (``end`` None) may escalate: every ``every`` units from
    ``start`` on raise the unit price by ``step_yuan``.
    """

    start: int
    end: int | None
    yuan: int
    every: int | None = None
    step_yuan: int = 0


@dataclass(frozen=True)
class FeeMethod:
    """One charging method (按件 or 按量) with its progressive bands."""

    code: str
    label: str
    unit: str
    scope: str
    bands: tuple[FeeBand, ...]
    citation: Citation
    note: str = ""


@dataclass(frozen=True)
class FeeTables:
    """The fee methods by code."""

    methods: Mapping[str, FeeMethod]

    def method(self, code: str) -> FeeMethod:
        """Return the method or raise UnknownCodeError naming the known ones."""
        return lookup(self.methods, code, "收费方式")


@dataclass(frozen=True)
class DisclosureRules:
    """Everything the disclosure module reads from its rule files."""

    channels: Mapping[str, Channel]
    outcomes: Mapping[str, Outcome]
    fees: FeeTables

    def channel(self, code: str) -> Channel:
        """Return the channel or raise UnknownCodeError."""
        return lookup(self.channels, code, "申请方式")

    def outcome(self, code: str) -> Outcome:
        """Return the outcome or raise UnknownCodeError."""
        return lookup(self.outcomes, code, "答复类型")


def receipt_date(
    channel_rule: Channel,
    *,
    submitted_on: date | None,
    signed_on: date | None,
    confirmed_on: date | None,
) -> date:
    """Return the day the request counts as received under OGI Art. 31."""
    given = {
        "submitted_on": submitted_on,
        "signed_on": signed_on,
        "confirmed_on": confirmed_on,
    }
    day = given[channel_rule.date_field]
    if day is None:
        cite = channel_rule.citation
        raise ReceiptDateMissing(
            channel_rule.date_field,
            f"{channel_rule.label}的申请须填写{DATE_FIELDS[channel_rule.date_field]}"
            f"（{cite.short}{cite.article}）",
        )
    return day


def load_disclosure_rules(extra_dirs: Sequence[Path] = ()) -> DisclosureRules:
    """Read the shipped rule files, then each extra dir's; a later code replaces."""
    dirs = rule_dirs(extra_dirs)
    return DisclosureRules(
        channels=MappingProxyType(_channels(dirs)),
        outcomes=MappingProxyType(load_outcomes(extra_dirs)),
        fees=load_fee_tables(extra_dirs),
    )


def load_outcomes(extra_dirs: Sequence[Path] = ()) -> dict[str, Outcome]:
    """Read the reply outcomes (shipped, then overrides), in file order."""
    dirs = rule_dirs(extra_dirs)
    return merged(dirs, "outcomes.toml", "outcome", _read_outcome)


def load_fee_tables(extra_dirs: Sequence[Path] = ()) -> FeeTables:
    """Read the fee bands (shipped, then overrides)."""
    dirs = rule_dirs(extra_dirs)
    methods = merged(dirs, "fees.toml", "method", _read_method)
    require_codes("fees.toml", "method", methods, FEE_METHODS)
    return FeeTables(MappingProxyType(methods))


def _channels(dirs: list[Path]) -> dict[str, Channel]:
    channels = merged(dirs, "receipt.toml", "channel", _read_channel)
    require_codes("receipt.toml", "channel", channels, CHANNEL_CODES)
    return channels


# --- files and merging ---------------------------------------------------------------

E = TypeVar("E")
Reader = Callable[[Table, Citation], E]


def rule_dirs(extra_dirs: Sequence[Path]) -> list[Path]:
    """Return the shipped rules dir followed by each override dir, checked to exist."""
    return rule_folders(RULES_DIR, extra_dirs)


def file_head(top: Table) -> Citation:
    """Check a file's top level and return its [law] as the entries' citation."""
    top.keys({"law"}, FILE_TABLES[top.path.name] if top.path else ())
    return top.sub("law").law()


def merged(dirs: list[Path], name: str, key: str, reader: Reader[E]) -> dict[str, E]:
    """Read ``[[key]]`` entries from the shipped file, then each override's."""
    return merged_entries(rule_files(dirs, name), key, reader, head=file_head)


def require_codes(name: str, key: str, found: Mapping, codes: Sequence[str]) -> None:
    """Fail unless every fixed code (stored in the database) is still defined."""
    missing = [code for code in codes if code not in found]
    if missing:
        raise RuleDataError(
            f"{RULES_DIR / name}：[[{key}]] 缺少固定代码 {missing}",
            path=RULES_DIR / name, key=key,
        )


# --- entries --------------------------------------------------------------------------


def _read_channel(entry: Table, law: Citation) -> Channel:
    entry.keys(
        {"code", "label", "date_field", "article", "rule"},
        {"note", *_CITATION_OVERRIDES},
    )
    return Channel(
        code=entry.ident(),
        label=entry.text("label"),
        date_field=entry.choice("date_field", tuple(DATE_FIELDS)),
        rule=entry.text("rule"),
        citation=entry.cite(law),
        note=entry.text("note", required=False),
    )


def _read_outcome(entry: Table, law: Citation) -> Outcome:
    required = {
        "code",
        "label",
        "row",
        "article",
        "requires_reasons",
        "provides_information",
        "reply_letter",
        "reply_text",
    }
    entry.keys(required, {"note", *_CITATION_OVERRIDES})
    return Outcome(
        code=entry.ident(),
        label=entry.text("label"),
        row=entry.text("row"),
        citation=entry.cite(law),
        requires_reasons=entry.boolean("requires_reasons"),
        provides_information=entry.boolean("provides_information"),
        reply_letter=entry.boolean("reply_letter"),
        reply_text=entry.text("reply_text"),
        note=entry.text("note", required=False),
    )


def _read_method(entry: Table, law: Citation) -> FeeMethod:
    entry.keys(
        {"code", "label", "unit", "article", "scope", "band"},
        {"note", *_CITATION_OVERRIDES},
    )
    code = entry.ident()
    if code not in FEE_METHODS:
        entry.fail(f"code 只能是 {'、'.join(FEE_METHODS)}", "code")
    return FeeMethod(
        code=code,
        label=entry.text("label"),
        unit=entry.text("unit"),
        scope=entry.text("scope"),
        bands=_bands(entry),
        citation=entry.cite(law),
        note=entry.text("note", required=False),
    )


def _bands(method: Table) -> tuple[FeeBand, ...]:
    raw = method.get("band")
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(b, dict) for b in raw)
    ):
        method.fail("收费档次须写作一个或多个 [[method.band]]", "band")
    bands: list[FeeBand] = []
    for n, data in enumerate(raw, 1):
        at = Table(data, f"{method.where} 第{n}档", path=method.path)
        at.keys({"from", "yuan"}, {"to", "every", "step_yuan"})
        band = FeeBand(
            start=at.integer("from", minimum=1),
            end=at.integer("to", minimum=1) if "to" in at else None,
            yuan=at.integer("yuan", minimum=0),
            every=at.integer("every", minimum=1) if "every" in at else None,
            step_yuan=at.integer("step_yuan", minimum=0) if "step_yuan" in at else 0,
        )
        _check_band(at, band, bands[-1] if bands else None, last=n == len(raw))
        bands.append(band)
    return tuple(bands)


def _check_band(at: Table, band: FeeBand, prev: FeeBand | None, *, last: bool) -> None:
    expected = 1 if prev is None else (prev.end or 0) + 1
    if band.start != expected:
        at.fail(f"键 from 须为 {expected}（各档须从1起首尾相接）", "from")
    if band.end is not None and band.end < band.start:
        at.fail("键 to 不能小于 from", "to")
    if last and band.end is not None:
        at.fail("最后一档不写 to（表示以上全部）", "to")
    if not last and band.end is None:
        at.fail("只有最后一档可以不写 to", "to")
    if (band.every is None) != (band.step_yuan == 0) or (band.every and not last):
        at.fail("every 与 step_yuan 须同时写，且只用于最后一档", "every")


# --- lookups --------------------------------------------------------------------------

K = TypeVar("K")


def lookup(table: Mapping[str, K], code: str, what: str) -> K:
    """Return ``table[code]`` or raise UnknownCodeError naming the known codes."""
    try:
        return table[code]
    except KeyError:
        known = "、".join(table)
        raise UnknownCodeError(f"未知的{what} {code!r}（可用：{known}）") from None
