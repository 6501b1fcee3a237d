"""Disclosure law as data: receipt channels, reply outcomes and fee bands.

Pure: standard library only. The shipped files sit in ``rules/`` next to this module:

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

The public helpers under "reading kit" serve the other disclosure readers
(``ogi_table``); they are not meant for use outside this package.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

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

_CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")
_LAW_KEYS = {"name", "version", "source"}
_LAW_OPTIONAL = {"in_force"}
_CITATION_OVERRIDES = {"law", "version", "source", "in_force"}


class RuleDataError(ValueError):
    """A rule file is unreadable or wrong; the message names the file and the key."""


class UnknownCodeError(LookupError):
    """A caller asked for a channel, outcome or fee method the rule files lack."""


class ReceiptDateMissing(ValueError):
    """The date that fixes the receipt day for this channel was not recorded."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: law or normative document, version and article."""

    law: str
    version: str
    article: str
    source: str
    in_force: date | None = None

    @property
    def short(self) -> str:
        """Law name without the 中华人民共和国 prefix, as used in error messages."""
        return self.law.removeprefix("中华人民共和国")

    def __str__(self) -> str:
        return f"《{self.law}》（{self.version}）{self.article}"


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
    return merge_entries(dirs, "outcomes.toml", "outcome", _read_outcome)


def load_fee_tables(extra_dirs: Sequence[Path] = ()) -> FeeTables:
    """Read the fee bands (shipped, then overrides)."""
    dirs = rule_dirs(extra_dirs)
    methods = merge_entries(dirs, "fees.toml", "method", _read_method)
    require_codes("fees.toml", "method", methods, FEE_METHODS)
    return FeeTables(MappingProxyType(methods))


def _channels(dirs: list[Path]) -> dict[str, Channel]:
    channels = merge_entries(dirs, "receipt.toml", "channel", _read_channel)
    require_codes("receipt.toml", "channel", channels, CHANNEL_CODES)
    return channels


# --- reading kit: files and merging ---------------------------------------------------

E = TypeVar("E")
Reader = Callable[[str, dict, dict], E]


def rule_dirs(extra_dirs: Sequence[Path]) -> list[Path]:
    """Return the shipped rules dir followed by each override dir, checked to exist."""
    folders = [RULES_DIR]
    for folder in map(Path, extra_dirs):
        if not folder.is_dir():
            raise RuleDataError(f"{folder}：规则目录不存在")
        folders.append(folder)
    return folders


def rule_files(dirs: list[Path], name: str) -> list[Path]:
    """Return the shipped file and every override dir's file of the same name."""
    shipped, *extra = [folder / name for folder in dirs]
    return [shipped, *(path for path in extra if path.is_file())]


def parse_rule_file(path: Path) -> tuple[dict[str, Any], dict]:
    """Parse one rule file; return its data and its checked [law] table."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleDataError(f"{path}：无法读取规则文件：{exc}") from exc
    check_keys(f"{path}：文件顶层", data, {"law"}, FILE_TABLES[path.name])
    law = data["law"]
    if not isinstance(law, dict):
        raise RuleDataError(f"{path}：[law] 必须是一个表")
    check_keys(f"{path}：[law]", law, _LAW_KEYS, _LAW_OPTIONAL)
    return data, law


def merge_entries(
    dirs: list[Path], name: str, key: str, reader: Reader[E]
) -> dict[str, E]:
    """Read ``[[key]]`` entries from the shipped file, then each override's."""
    merged: dict[str, E] = {}
    for n, path in enumerate(rule_files(dirs, name)):
        data, law = parse_rule_file(path)
        found = _entries(path, data, key, law, reader, required=n == 0)
        merged.update(found)
    return merged


def _entries(
    path: Path, data: dict, key: str, law: dict, reader: Reader[E], *, required: bool
) -> dict[str, E]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or (required and not raw):
        raise RuleDataError(f"{path}：须写作一个或多个 [[{key}]]")
    found: dict[str, E] = {}
    for n, entry in enumerate(raw, 1):
        if not isinstance(entry, dict):
            raise RuleDataError(f"{path}：第{n}条 [[{key}]] 必须是一个表")
        code = entry.get("code")
        where = (
            f"{path}：[[{key}]] {code}"
            if isinstance(code, str)
            else f"{path}：第{n}条 [[{key}]]"
        )
        item = reader(where, entry, law)
        if entry["code"] in found:
            raise RuleDataError(f"{where}：code 在同一文件中重复出现")
        found[entry["code"]] = item
    return found


def require_codes(name: str, key: str, found: Mapping, codes: Sequence[str]) -> None:
    """Fail unless every fixed code (stored in the database) is still defined."""
    missing = [code for code in codes if code not in found]
    if missing:
        raise RuleDataError(f"{RULES_DIR / name}：[[{key}]] 缺少固定代码 {missing}")


# --- entries --------------------------------------------------------------------------


def _read_channel(where: str, entry: dict, law: dict) -> Channel:
    check_keys(
        where,
        entry,
        {"code", "label", "date_field", "article", "rule"},
        {"note", *_CITATION_OVERRIDES},
    )
    date_field = entry["date_field"]
    if date_field not in DATE_FIELDS:
        raise RuleDataError(
            f"{where}：键 date_field 只能是 {'、'.join(DATE_FIELDS)}，"
            f"现为 {date_field!r}"
        )
    return Channel(
        code=read_code(where, entry),
        label=read_text(where, entry, "label"),
        date_field=date_field,
        rule=read_text(where, entry, "rule"),
        citation=read_citation(where, entry, law),
        note=read_text(where, entry, "note", required=False),
    )


def _read_outcome(where: str, entry: dict, law: dict) -> Outcome:
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
    check_keys(where, entry, required, {"note", *_CITATION_OVERRIDES})
    return Outcome(
        code=read_code(where, entry),
        label=read_text(where, entry, "label"),
        row=read_text(where, entry, "row"),
        citation=read_citation(where, entry, law),
        requires_reasons=read_bool(where, entry, "requires_reasons"),
        provides_information=read_bool(where, entry, "provides_information"),
        reply_letter=read_bool(where, entry, "reply_letter"),
        reply_text=read_text(where, entry, "reply_text"),
        note=read_text(where, entry, "note", required=False),
    )


def _read_method(where: str, entry: dict, law: dict) -> FeeMethod:
    check_keys(
        where,
        entry,
        {"code", "label", "unit", "article", "scope", "band"},
        {"note", *_CITATION_OVERRIDES},
    )
    code = read_code(where, entry)
    if code not in FEE_METHODS:
        raise RuleDataError(f"{where}：code 只能是 {'、'.join(FEE_METHODS)}")
    return FeeMethod(
        code=code,
        label=read_text(where, entry, "label"),
        unit=read_text(where, entry, "unit"),
        scope=read_text(where, entry, "scope"),
        bands=_bands(where, entry["band"]),
        citation=read_citation(where, entry, law),
        note=read_text(where, entry, "note", required=False),
    )


def _bands(where: str, raw: Any) -> tuple[FeeBand, ...]:
    if (
        not isinstance(raw, list)
        or not raw
        or not all(isinstance(b, dict) for b in raw)
    ):
        raise RuleDataError(f"{where}：收费档次须写作一个或多个 [[method.band]]")
    bands = []
    for n, entry in enumerate(raw, 1):
        at = f"{where} 第{n}档"
        check_keys(at, entry, {"from", "yuan"}, {"to", "every", "step_yuan"})
        last = n == len(raw)
        band = FeeBand(
            start=read_int(at, entry, "from", minimum=1),
            end=read_int(at, entry, "to", minimum=1) if "to" in entry else None,
            yuan=read_int(at, entry, "yuan", minimum=0),
            every=read_int(at, entry, "every", minimum=1) if "every" in entry else None,
            step_yuan=read_int(at, entry, "step_yuan", minimum=0)
            if "step_yuan" in entry
            else 0,
        )
        _check_band(at, band, bands[-1] if bands else None, last=last)
        bands.append(band)
    return tuple(bands)


def _check_band(at: str, band: FeeBand, prev: FeeBand | None, *, last: bool) -> None:
    expected = 1 if prev is None else (prev.end or 0) + 1
    if band.start != expected:
        raise RuleDataError(f"{at}：键 from 须为 {expected}（各档须从1起首尾相接）")
    if band.end is not None and band.end < band.start:
        raise RuleDataError(f"{at}：键 to 不能小于 from")
    if last and band.end is not None:
        raise RuleDataError(f"{at}：最后一档不写 to（表示以上全部）")
    if not last and band.end is None:
        raise RuleDataError(f"{at}：只有最后一档可以不写 to")
    if (band.every is None) != (band.step_yuan == 0) or (band.every and not last):
        raise RuleDataError(f"{at}：every 与 step_yuan 须同时写，且只用于最后一档")


# --- reading kit: small readers -------------------------------------------------------

K = TypeVar("K")


def lookup(table: Mapping[str, K], code: str, what: str) -> K:
    try:
        return table[code]
    except KeyError:
        known = "、".join(table)
        raise UnknownCodeError(f"未知的{what} {code!r}（可用：{known}）") from None


def check_keys(where: str, table: dict, required: set, optional: set) -> None:
    unknown = sorted(set(table) - required - optional)
    if unknown:
        raise RuleDataError(f"{where}：未知的键 {', '.join(unknown)}")
    missing = sorted(required - set(table))
    if missing:
        raise RuleDataError(f"{where}：缺少键 {', '.join(missing)}")


def read_citation(where: str, entry: dict, law: dict) -> Citation:
    merged = {
        "law": entry.get("law", law["name"]),
        "version": entry.get("version", law["version"]),
        "source": entry.get("source", law["source"]),
    }
    in_force = entry.get("in_force", law.get("in_force"))
    if in_force is not None and (
        isinstance(in_force, datetime) or not isinstance(in_force, date)
    ):
        raise RuleDataError(f"{where}：键 in_force 必须是日期（如 2019-05-15）")
    return Citation(
        law=read_text(where, merged, "law"),
        version=read_text(where, merged, "version"),
        article=read_text(where, entry, "article"),
        source=read_text(where, merged, "source"),
        in_force=in_force,
    )


def read_code(where: str, entry: dict) -> str:
    value = read_text(where, entry, "code")
    if not _CODE.fullmatch(value):
        raise RuleDataError(f"{where}：键 code 须为小写字母、数字、下划线，以点分段")
    return value


def read_text(where: str, table: dict, key: str, *, required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise RuleDataError(f"{where}：键 {key} 必须是非空文字，现为 {value!r}")
    return value.strip()


def read_bool(where: str, table: dict, key: str) -> bool:
    value = table[key]
    if not isinstance(value, bool):
        raise RuleDataError(f"{where}：键 {key} 必须是 true 或 false，现为 {value!r}")
    return value


def read_int(where: str, table: dict, key: str, *, minimum: int) -> int:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RuleDataError(
            f"{where}：键 {key} 必须是不小于 {minimum} 的整数，现为 {value!r}"
        )
    return value


def read_choice(where: str, table: dict, key: str, allowed: Sequence[str]) -> str:
    value = table[key]
    if value not in allowed:
        raise RuleDataError(
            f"{where}：键 {key} 只能是 {'、'.join(allowed)}，现为 {value!r}"
        )
    return value
