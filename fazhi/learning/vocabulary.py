"""The words of the learning records as rule data (pure: no Django).

``rules/vocabulary.toml`` ships the forms of staff study and the audiences and
channels of outreach; a bureau's folders add words after them. A record stores the
word itself, so ``check`` only decides whether a word may be chosen now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fazhi.core.ruledata import (
    RuleFileError,
    Table,
    read_table,
    rule_files,
    rule_folders,
)

SHIPPED = Path(__file__).with_name("rules") / "vocabulary.toml"
FILE_NAME = SHIPPED.name
LISTS = {"study_kinds": "学法形式", "audiences": "宣传对象", "channels": "宣传形式"}
WORD_MAX = 40  # the models' CharField length


class VocabularyError(ValueError):
    """A word is not on the list, or a vocabulary file breaks a rule."""


class VocabularyFileError(RuleFileError, VocabularyError):
    """A vocabulary file is wrong: a rule-file error, caught as VocabularyError too."""


@dataclass(frozen=True)
class Vocabulary:
    study_kinds: tuple[str, ...]
    audiences: tuple[str, ...]
    channels: tuple[str, ...]
    sources: tuple[str, ...]  # the files read, shipped first

    def words(self, name: str) -> tuple[str, ...]:
        return getattr(self, name)


def load_vocabulary(dirs: Iterable[Path] = ()) -> Vocabulary:
    """Read the shipped file, then ``<dir>/vocabulary.toml`` of each dir having one."""
    folders = rule_folders(SHIPPED.parent, dirs, error=VocabularyFileError)
    files = rule_files(folders, FILE_NAME)
    lists: dict[str, list[str]] = {name: [] for name in LISTS}
    for path in files:
        top = read_table(path, error=VocabularyFileError)
        top.keys(set(), {*LISTS, "source"})
        for name in LISTS:
            for word in _words(top, name):
                if word not in lists[name]:
                    lists[name].append(word)
    if not all(lists.values()):
        empty = "、".join(LISTS[n] for n, words in lists.items() if not words)
        raise VocabularyFileError(f"{SHIPPED}：{empty}不能为空", path=SHIPPED)
    return Vocabulary(**{n: tuple(w) for n, w in lists.items()},
                      sources=tuple(str(p) for p in files))


def _words(top: Table, name: str) -> list[str]:
    words = top.get(name, [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        top.fail(f"{name}（{LISTS[name]}）应为文字列表", name)
    cleaned = [w.strip() for w in words]
    for word in cleaned:
        if not word or len(word) > WORD_MAX:
            top.fail(f"{LISTS[name]}“{word}”应为1至{WORD_MAX}个字", name)
    return cleaned


def check(vocabulary: Vocabulary, name: str, word: str) -> str:
    """Return ``word`` stripped, or raise VocabularyError naming the allowed words."""
    word = word.strip()
    allowed = vocabulary.words(name)
    if word not in allowed:
        raise VocabularyError(f"{LISTS[name]}应为：{'、'.join(allowed)}")
    return word
