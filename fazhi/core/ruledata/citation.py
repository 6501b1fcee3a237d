"""Where a rule comes from, and what standing it has in the bureau."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum


class Standing(StrEnum):
    """How binding a rule is, in the words staff read next to it (house style 21)."""

    LAW = "law"  # a law, regulation or State Council document: binding as written
    PROVINCE = "province"  # the province's document, shown with its number
    BUREAU = "bureau"  # the bureau's own decision
    PRESET = "preset"  # shipped with the system until the bureau confirms or replaces

    @property
    def label(self) -> str:
        """Return the words staff see for this standing."""
        return _LABELS[self]

    @classmethod
    def parse(cls, value: object) -> Standing | None:
        """Return the standing a rule file's word names, or None if it names none."""
        word = _ALIASES.get(value, value) if isinstance(value, str) else None
        return cls(word) if word in cls._value2member_map_ else None


_LABELS = {
    Standing.LAW: "法律规定",
    Standing.PROVINCE: "省级规定",
    Standing.BUREAU: "本局规定",
    Standing.PRESET: "系统预置，待本局确认",
}
# Words older rule files use for the same standings (bureaus' copies still do).
_ALIASES = {"fazhi_default": "preset"}


@dataclass(frozen=True)
class Citation:
    """A law or document, its version, the article relied on, and its standing."""

    law: str
    version: str
    article: str
    source: str  # where the text was read, for whoever checks it
    in_force: date | None = None
    gist: str = ""  # what the article says, in a few words
    standing: Standing = Standing.LAW
    document: str = ""  # the document number (文号) of a province's or bureau's rule

    @property
    def short(self) -> str:
        """Return the law's name without the 中华人民共和国 prefix."""
        return self.law.removeprefix("中华人民共和国")

    @property
    def standing_label(self) -> str:
        """Return the standing as staff read it: 省级规定（湘自然资规〔2023〕1号）."""
        label = self.standing.label
        return f"{label}（{self.document}）" if self.document else label

    def at(self, article: str, gist: str = "") -> Citation:
        """Return the same law cited at another article."""
        return replace(self, article=article, gist=gist)

    def __str__(self) -> str:
        return f"《{self.short}》（{self.version}）{self.article}"
