"""One TOML table with its place in the file, and typed readers naming file and key."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

from fazhi.core.ruledata.citation import Citation, Standing
from fazhi.core.ruledata.errors import RuleFileError

CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")
"""The usual shape of a code or id: lower-case words joined by dots."""

LAW_KEYS = frozenset({"name", "version", "source", "in_force", "standing", "document"})
"""Keys a file's [law] table may hold."""
CITE_OVERRIDES = frozenset({"law", "version", "source", "in_force"})
"""Keys an entry may write to cite another law than its file's [law]."""


class Table:
    """A table of a rule file: ``where`` says file and place for every message.

    ``error`` is the class raised; it is ``RuleFileError`` or a subclass of it that a
    module's older callers still catch by its old name.
    """

    def __init__(
        self,
        data: object,
        where: str,
        *,
        path: Path | None = None,
        error: type[RuleFileError] = RuleFileError,
        top: bool = False,
    ) -> None:
        self.where, self.path, self.error, self.top = where, path, error, top
        if not isinstance(data, dict):
            self.fail("必须是一个表")
        self.data: dict[str, Any] = data

    @classmethod
    def of_file(
        cls, data: object, path: Path, *, error: type[RuleFileError] = RuleFileError
    ) -> Table:
        """Return the top level of the file at ``path``."""
        return cls(data, f"{path}：文件顶层", path=path, error=error, top=True)

    def fail(self, message: str, key: str | None = None) -> NoReturn:
        """Raise this table's error: ``<where>：<message>``."""
        raise self.error(f"{self.where}：{message}", path=self.path, key=key)

    def child(self, label: str, data: object) -> Table:
        """Return a table nested here, placed by ``label`` (e.g. ``[law]``)."""
        base = str(self.path) if self.top and self.path else self.where
        return Table(data, f"{base}：{label}", path=self.path, error=self.error)

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str, default: Any = None) -> Any:
        """Return the raw value of ``key``, unchecked."""
        return self.data.get(key, default)

    # --- shape --------------------------------------------------------------------

    def keys(self, required: Collection[str], optional: Collection[str] = ()) -> None:
        """Fail on a key neither required nor optional, then on a missing one."""
        unknown = sorted(set(self.data) - set(required) - set(optional))
        if unknown:
            self.fail(f"未知的键 {', '.join(unknown)}", unknown[0])
        missing = sorted(set(required) - set(self.data))
        if missing:
            self.fail(f"缺少键 {', '.join(missing)}", missing[0])

    def sub(self, key: str) -> Table:
        """Return the table ``[key]``, which must be there."""
        if key not in self.data:
            self.fail(f"缺少表 [{key}]", key)
        return self.child(f"[{key}]", self.data[key])

    def subs(self, key: str) -> Iterator[tuple[str, Table]]:
        """Yield each named table of ``[key.<name>]``, in file order."""
        tables = self.child(f"[{key}]", self.data.get(key, {}))
        for name, value in tables.data.items():
            yield name, self.child(f"[{key}.{name}]", value)

    def entries(
        self, key: str, *, id_key: str | None = "code", required: bool = False
    ) -> list[Table]:
        """Return the ``[[key]]`` tables, each placed by its id (or its number)."""
        raw = self.data.get(key, [])
        if not isinstance(raw, list) or (required and not raw):
            self.fail(f"须有一个或多个 [[{key}]]", key)
        found = []
        for n, entry in enumerate(raw, 1):
            ident = entry.get(id_key) if id_key and isinstance(entry, dict) else None
            label = ident if isinstance(ident, str) else f"第{n}个"
            found.append(self.child(f"[[{key}]] {label}", entry))
        return found

    # --- values -------------------------------------------------------------------

    def text(self, key: str, *, required: bool = True) -> str:
        """Return the text of ``key`` stripped; optional text defaults to ""."""
        value = self.data.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"键 {key} 必须是非空文字，现为 {value!r}", key)
        return value.strip()

    def ident(self, key: str = "code", pattern: re.Pattern[str] = CODE) -> str:
        """Return a code or id: lower-case letters, digits, underscores and dots."""
        value = self.text(key)
        if not pattern.fullmatch(value):
            self.fail(f"键 {key} 须为小写字母、数字、下划线，以点分段", key)
        return value

    def boolean(self, key: str) -> bool:
        """Return the true/false of ``key``, which must be there."""
        if key not in self.data:
            self.fail(f"缺少键 {key}", key)
        return self.flag(key)

    def flag(self, key: str, default: bool = False) -> bool:
        """Return the true/false of ``key``, ``default`` when it is not written."""
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"键 {key} 必须是 true 或 false，现为 {value!r}", key)
        return value

    def choice(
        self, key: str, options: Sequence[str], default: str | None = None
    ) -> str:
        """Return ``key``'s value, one of ``options``."""
        value = self.data.get(key, default)
        if value not in options:
            self.fail(f"键 {key} 只能是 {'、'.join(options)}，现为 {value!r}", key)
        return value

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        """Return a list of texts; an optional list defaults to empty."""
        if required and key not in self.data:
            self.fail(f"缺少键 {key}", key)
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"键 {key} 必须是文字列表，现为 {value!r}", key)
        return tuple(value)

    def choices(self, key: str, options: Sequence[str]) -> tuple[str, ...]:
        """Return a list of texts, each one of ``options``."""
        values = self.texts(key)
        for value in values:
            if value not in options:
                self.fail(f"键 {key} 含 {value!r}，只能是 {'、'.join(options)}", key)
        return values

    def integer(self, key: str, *, minimum: int = 0) -> int:
        """Return a whole number not below ``minimum`` (true/false is no number)."""
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(f"键 {key} 必须是不小于 {minimum} 的整数，现为 {value!r}", key)
        return value

    def decimal(
        self, key: str, *, above: Decimal | None = None, most: Decimal | None = None
    ) -> Decimal:
        """Return a number not below 0 (above ``above``, at most ``most``) exactly."""
        value = to_decimal(self.data.get(key))
        if value is None or value < 0 or (above is not None and value <= above):
            floor = "不小于0" if above is None else f"大于{above}"
            self.fail(
                f'键 {key} 必须是{floor}的数（建议写成字符串，如 "100"），'
                f"现为 {self.data.get(key)!r}",
                key,
            )
        if most is not None and value > most:
            self.fail(f"键 {key} 不能大于 {most}", key)
        return value

    def optional_decimal(
        self, key: str, *, above: Decimal | None = None
    ) -> Decimal | None:
        """Return the number of ``key``, or None when it is not written."""
        return self.decimal(key, above=above) if key in self.data else None

    def date(self, key: str, *, required: bool = True) -> date | None:
        """Return a date written as a TOML date (2019-05-15, no quotes)."""
        value = self.data.get(key)
        if value is None and not required:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.fail(f"键 {key} 必须是日期（如 2019-05-15），现为 {value!r}", key)
        return value

    def standing(
        self, key: str = "standing", default: Standing = Standing.LAW
    ) -> Standing:
        """Return the rule's standing: law, province, bureau or preset."""
        if key not in self.data:
            return default
        found = Standing.parse(self.data[key])
        if found is None:
            words = "、".join(f"{s.value}（{s.label}）" for s in Standing)
            self.fail(f"键 {key} 只能是 {words}，现为 {self.data[key]!r}", key)
        return found

    # --- citations ----------------------------------------------------------------

    def law(
        self, required: Collection[str] = ("name", "version", "source")
    ) -> Citation:
        """Read this table as a file's [law]: the citation its entries share."""
        self.keys(required, LAW_KEYS - set(required))
        return Citation(
            law=self.text("name"),
            version=self.text("version", required="version" in required),
            article="",
            source=self.text("source", required="source" in required),
            in_force=self.date("in_force", required="in_force" in required),
            standing=self.standing(),
            document=self.text("document", required=False),
        )

    def cite(self, law: Citation, *, article_key: str = "article") -> Citation:
        """Return ``law`` at this entry's article; the entry may name another law."""
        merged = Table(
            {
                "law": self.data.get("law", law.law),
                "version": self.data.get("version", law.version),
                "source": self.data.get("source", law.source),
                "in_force": self.data.get("in_force", law.in_force),
            },
            self.where,
            path=self.path,
            error=self.error,
        )
        return Citation(
            law=merged.text("law"),
            version=merged.text("version", required=bool(law.version)),
            article=self.text(article_key),
            source=merged.text("source", required=bool(law.source)),
            in_force=merged.date("in_force", required=False),
            standing=law.standing,
            document=law.document,
        )


def to_decimal(value: object) -> Decimal | None:
    """Return a finite Decimal of a TOML number or numeric text, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
