"""Score :func:`fazhi.reports.extract.extract` on the corpus of report texts in
``tests/reports/corpus``: each ``NAME.txt`` has beside it ``NAME.json``, the figures a
careful reader finds in it (the same shape as ``fazhi baseline extract --json``).

A figure is *found* when the extraction gives the reader's value, *wrong* when it
gives another value or a figure the reader did not find, *missing* when it gives
none. ``train`` is the half the extraction's rules were written against; ``heldout``
was written after, to check that the rules generalise. ``heldout2`` was written by
someone who had not read the extraction's phrases (main's code then found 80.2% with 5
wrong); ``heldout3`` was written after heldout2's fixes, as a check of them (93.3% with
3 wrong on its first run). ``heldout4`` was written blind again, without reading the
extraction or the other texts (78.7% with 4 wrong on its first run); ``heldout5`` blind
once more, in other provinces' portal styles (83.2% with 4 wrong on its first run);
``heldout6`` blind once more (WeChat and question-and-answer versions, PDF line breaks,
乡镇, 城管局; 91.0% with 1 wrong, a study group's name, on its first run).

Run ``python -m tests.reports.scoring [-v]`` to print the figures per half (``-v``
lists every wrong and missing figure).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from fazhi.reports.extract import decode, extract

CORPUS = Path(__file__).parent / "corpus"
HALVES = ("train", "heldout", "heldout2", "heldout3", "heldout4", "heldout5",
          "heldout6")


def flat(tree: dict, prefix: str = "") -> dict[str, object]:
    """The figures by dotted key ("litigation.lost")."""
    out: dict[str, object] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out |= flat(value, f"{name}.")
        else:
            out[name] = value
    return out


def same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return Decimal(str(a)) == Decimal(str(b))
    return a == b


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    wrong: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def add(self, name: str, got: dict, want: dict) -> None:
        got, want = flat(got), flat(want)
        self.expected += len(want)
        for key, value in want.items():
            if key not in got:
                self.missing.append(f"{name}: {key}={value}")
            elif same(got[key], value):
                self.found += 1
            else:
                self.wrong.append(f"{name}: {key}={got[key]}，应为 {value}")
        self.wrong += [f"{name}: {k}={v}，不应有" for k, v in got.items()
                       if k not in want]

    def line(self, half: str) -> str:
        return (f"{half}: {self.expected} expected, found {self.found} "
                f"({self.share:.1%}), wrong {len(self.wrong)}, "
                f"missing {len(self.missing)}")


def texts(half: str) -> list[Path]:
    return sorted((CORPUS / half).glob("*.txt"))


def expected_of(path: Path) -> dict:
    """The figures a careful reader takes; a key starting with "_" is a note for the
    reader of the corpus (``_not_taken``: the numbers not to take and why), not a
    figure."""
    tree = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return {k: v for k, v in tree.items() if not k.startswith("_")}


def score(half: str) -> Score:
    result = Score()
    for path in texts(half):
        got = extract(decode(path.read_bytes())).figures
        result.add(path.stem, got, expected_of(path))
    return result


def main(argv: list[str]) -> None:
    for half in HALVES:
        s = score(half)
        print(s.line(half))
        if "-v" in argv:
            for row in s.wrong:
                print("  WRONG  ", row)
            for row in s.missing:
                print("  MISSING", row)


if __name__ == "__main__":
    main(sys.argv[1:])
