"""The three rates on hand-built matters: numerators, denominators, empty ones,
matters spanning a year end, year-on-year change, and definitions as data."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from fazhi.disputes.rates import (
    Hearing,
    MatterFacts,
    RateError,
    change_in_points,
    load_rates,
    rate_compute,
)
from tests.purity import assert_runs_without_django

Y2025 = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
Y2024 = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
RATES = load_rates()


def recon(pk, outcome, day=dt.date(2025, 6, 1)):
    return MatterFacts(pk, "reconsideration", concluded_on=day, outcome=outcome)


def suit(pk, outcome="won", day=dt.date(2025, 6, 1), merits=True, hearings=()):
    return MatterFacts(pk, "litigation", concluded_on=day, outcome=outcome,
                       merits=merits, hearings=tuple(hearings))


def test_correction_rate_counts_the_correcting_decisions_over_decisions():
    matters = [recon(1, "upheld"), recon(2, "revoked"), recon(3, "dismissed"),
               recon(4, "declared_unlawful"), recon(5, "mediated"),
               recon(6, "withdrawn"), recon(7, "declared_void")]
    result = rate_compute(RATES["correction_rate"], matters, Y2025)
    assert result.numerator == (2, 4)
    assert result.denominator == (1, 2, 3, 4, 7)  # mediation and withdrawal left out
    assert result.value == Fraction(2, 5) and result.shown == "40.0%"


def test_an_empty_denominator_is_a_dash_never_zero():
    result = rate_compute(RATES["correction_rate"], [recon(1, "withdrawn")], Y2025)
    assert result.denominator == () and result.value is None and result.shown == "—"
    assert rate_compute(RATES["loss_rate"], [], Y2025).shown == "—"


def test_a_matter_counts_in_the_year_it_concluded_not_the_year_it_began():
    spanning = recon(1, "revoked", day=dt.date(2025, 1, 6))  # applied Dec 2024
    still_open = MatterFacts(2, "reconsideration", outcome="")
    assert rate_compute(RATES["correction_rate"], [spanning, still_open],
                        Y2024).denominator == ()
    now = rate_compute(RATES["correction_rate"], [spanning, still_open], Y2025)
    assert now.numerator == (1,) and now.denominator == (1,)


def test_loss_rate_counts_partial_losses_over_every_concluded_suit():
    matters = [suit(1, "won"), suit(2, "lost"), suit(3, "partly_lost"),
               suit(4, "withdrawn", merits=False), suit(5, "lost", day=None)]
    result = rate_compute(RATES["loss_rate"], matters, Y2025)
    assert result.numerator == (2, 3) and result.denominator == (1, 2, 3, 4)
    assert result.shown == "50.0%"
    merits = rate_compute(RATES["merits_loss_rate"], matters, Y2025)
    assert merits.denominator == (1, 2, 3) and merits.shown == "66.7%"


def test_appearance_rate_counts_suits_heard_in_the_period():
    heard_with = suit(1, hearings=[Hearing(dt.date(2025, 3, 1), False),
                                   Hearing(dt.date(2025, 9, 1), True)])
    heard_without = suit(2, hearings=[Hearing(dt.date(2025, 4, 1), False)])
    never_heard = suit(3, outcome="withdrawn")
    last_year = suit(4, hearings=[Hearing(dt.date(2024, 12, 30), True)],
                     day=dt.date(2025, 2, 1))
    result = rate_compute(RATES["appearance_rate"],
                          [heard_with, heard_without, never_heard, last_year], Y2025)
    assert result.numerator == (1,) and result.denominator == (1, 2)
    assert rate_compute(RATES["appearance_rate"], [last_year], Y2024).shown == "100.0%"


def test_the_other_kind_of_matter_is_ignored():
    assert rate_compute(RATES["loss_rate"], [recon(1, "revoked")], Y2025).value is None


@pytest.mark.parametrize(("now", "before", "words"), [
    (Fraction(1, 10), Fraction(1, 8), "下降2.5个百分点"),
    (Fraction(1, 4), Fraction(1, 5), "上升5.0个百分点"),
    (Fraction(1, 5), Fraction(1, 5), "持平"),
    (None, Fraction(1, 5), "—"),
    (Fraction(1, 5), None, "—"),
])
def test_year_on_year_change_is_in_percentage_points(now, before, words):
    assert change_in_points(now, before) == words


def test_every_shipped_definition_cites_its_source():
    assert set(RATES) == {"correction_rate", "loss_rate", "merits_loss_rate",
                          "appearance_rate"}
    assert all(r.source and r.status in ("confirmed", "unconfirmed")
               for r in RATES.values())


def test_a_province_replaces_a_definition_by_id(tmp_path):
    (tmp_path / "rates.toml").write_text('''
[[rate]]
id = "correction_rate"
name = "行政复议纠错率（省定口径）"
matter = "reconsideration"
numerator = { concluded = true, outcomes = ["revoked", "varied", "declared_unlawful",
                                            "ordered_to_perform", "declared_void"] }
denominator = { concluded = true }
source = "某省法治政府建设考核细则"
status = "confirmed"
''', encoding="utf-8")
    rates = load_rates([tmp_path])
    result = rate_compute(rates["correction_rate"],
                          [recon(1, "declared_void"), recon(2, "mediated")], Y2025)
    assert result.shown == "50.0%" and rates["loss_rate"] == RATES["loss_rate"]


@pytest.mark.parametrize(("text", "words"), [
    ('[[rate]]\nid="x"\n', "缺少键"),
    ('[[rate]]\nid="x"\nname="x"\nmatter="permits"\nnumerator={concluded=true}\n'
     'denominator={concluded=true}\nsource="s"\nstatus="confirmed"\n', "matter"),
    ('[[rate]]\nid="x"\nname="x"\nmatter="litigation"\nnumerator={won=true}\n'
     'denominator={concluded=true}\nsource="s"\nstatus="confirmed"\n', "未知的条件"),
    ("not toml [", "无法读取"),
])
def test_a_malformed_definition_names_the_file_and_the_fault(tmp_path, text, words):
    (tmp_path / "rates.toml").write_text(text, encoding="utf-8")
    with pytest.raises(RateError, match=words) as caught:
        load_rates([tmp_path])
    assert str(tmp_path) in str(caught.value)


def test_the_rates_run_without_django():
    assert_runs_without_django(
        "from fazhi.disputes import rates\n"
        "assert len(rates.load_rates()) == 4")
