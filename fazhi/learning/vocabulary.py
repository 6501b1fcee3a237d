"""The words of the learning records as rule data (pure: no Django).

``rules/vocabulary.toml`` ships the forms of staff study and the audiences and
channels of outreach; a bureau's folders add words after them. A record stores the
word itself, so ``check`` only decides whether a word may be chosen now.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SHIPPED = Path(__file__).with_name("rules") / "vocabulary.toml"
FILE_NAME = SHIPPED.name
LISTS = {"study_kinds": "学法形式", "audiences": "宣传对象", "channels": "宣传形式"}
WORD_MAX = 40  # the models' CharField length


class VocabularyError(ValueError):
    """A vocabulary file breaks a rule; the message names the file and the list."""


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
    files = [SHIPPED, *(p for d in dirs if (p := Path(d) / FILE_NAME).is_file())]
    lists: dict[str, list[str]] = {name: [] for name in LISTS}
    for path in files:
        data = _read(path)
        for name in LISTS:
            for word in _words(data, name, path):
                if word not in lists[name]:
                    lists[name].append(word)
    if not all(lists.values()):
        empty = "、".join(LISTS[n] for n, words in lists.items() if not words)
        raise VocabularyError(f"{SHIPPED}：{empty}不能为空")
    return Vocabulary(**{n: tuple(w) for n, w in lists.items()},
                      sources=tuple(str(p) for p in files))


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise VocabularyError(f"{path}：不是有效的 TOML（{exc}）") from None


def _words(data: dict, name: str, path: Path) -> list[str]:
    words = data.get(name, [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise VocabularyError(f"{path}：{name}（{LISTS[name]}）应为文字列表")
    cleaned = [w.strip() for w in words]
    for word in cleaned:
        if not word or len(word) > WORD_MAX:
            raise VocabularyError(
                f"{path}：{LISTS[name]}“{word}”应为1至{WORD_MAX}个字")
    return cleaned


def check(vocabulary: Vocabulary, name: str, word: str) -> str:
    """Return ``word`` stripped, or raise VocabularyError naming the allowed words."""
    word = word.strip()
    allowed = vocabulary.words(name)
    if word not in allowed:
        raise VocabularyError(f"{LISTS[name]}应为：{'、'.join(allowed)}")
    return word
