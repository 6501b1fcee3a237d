"""The extraction on the whole corpus of report texts (``tests/reports/corpus``):
no wrong figure, and at least 85% of the figures a careful reader finds, on the
half the rules were written against and on each set written after (``heldout``,
``heldout2``, ``heldout3``, ``heldout4``, ``heldout5``, ``heldout6``). Pure."""

from __future__ import annotations

import pytest

from tests.reports.scoring import HALVES, score, texts


@pytest.mark.parametrize("half", HALVES)
def test_the_corpus_gives_no_wrong_figure_and_most_of_the_readers(half):
    assert len(texts(half)) >= 6
    result = score(half)
    assert result.wrong == [], result.wrong
    assert result.share >= 0.85, result.line(half) + "\n" + "\n".join(result.missing)
