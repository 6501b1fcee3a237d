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
    Standing.PROVINCE: "省厅文件",
    Standing.BUREAU: "本局规定",
    Standing.PRESET: "系统预置，待本局确认",
}
# Words older rule files use for the same standings (bureaus' copies still do).
_ALIASES = {"fazhi_default": "preset"}


def standing_words(standing: Standing | str | None, document: str = "") -> str:
    """Return a rule's standing as staff read it: 省厅文件 湘自然资规〔2022〕1号.

    The one wording of provenance (house style 21): pages show this, never a rule
    id, a setting name, a docs path or a placeholder marker. A preset is shown as
    waiting for the bureau, whatever document a file may name.
    """
    found = standing if isinstance(standing, Standing) else Standing.parse(standing)
    found = found or Standing.PRESET
    if document and found in (Standing.PROVINCE, Standing.BUREAU):
        return f"{found.label} {document}"
    return found.label


@dataclass(frozen=True)
class Adoption:
    """A rule set the bureau has adopted: the document that gives its values force.

    ``rule`` names the rule file (``enforcement/discretion.toml``); ``standing`` is
    province (a provincial document the bureau applies) or bureau (its own decision).
    """

    rule: str
    standing: Standing
    title: str
    document: str
    issued_on: date | None = None
    in_force: date | None = None

    @property
    def citation(self) -> Citation:
        """Return the document as an instrument cites it: 《名称》（文号）."""
        return Citation(law=self.title, version=self.document, article="",
                        source=self.document, in_force=self.in_force,
                        standing=self.standing, document=self.document)


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
        """Return the standing as staff read it: 省厅文件 湘自然资规〔2023〕1号."""
        return standing_words(self.standing, self.document)

    def at(self, article: str, gist: str = "") -> Citation:
        """Return the same law cited at another article."""
        return replace(self, article=article, gist=gist)

    def __str__(self) -> str:
        return f"《{self.short}》（{self.version}）{self.article}"
