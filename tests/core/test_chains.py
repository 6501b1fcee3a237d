"""Approval chains as rule data and who may sign next (pure: no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.core.chains import (
    NotIndependent,
    NotYourStep,
    RoundClosed,
    Signed,
    judge,
    load_chains,
    misfit,
    next_step,
)
from fazhi.core.ruledata import RuleFileError, Standing
from fazhi.core.transitions import NotAllowedNow, RoleNotAllowed
from tests.purity import assert_runs_without_django

FAZHI = Path(__file__).resolve().parents[2] / "fazhi"
PERMITS = FAZHI / "permits" / "rules"
CLERK, HEAD, PRINCIPAL = "window_clerk", "section_head", "principal"

LAW = '[law]\nname = "中华人民共和国行政许可法"\nversion = "本局版"\nsource = "本局"\n'
TWO_STEPS = '''
[[chain]]
code = "permit.decision.land_approval"
label = "行政许可审批（本局）"
article = "第三十七条"
standing = "bureau"
steps = [
  { code = "undertake", label = "承办", role = "window_clerk" },
  { code = "review", label = "审核", role = "section_head" },
]
'''


def bureau(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "permits"
    folder.mkdir()
    (folder / "approvals.toml").write_text(LAW + text, encoding="utf-8")
    return folder


def test_a_permit_decision_goes_through_clerk_section_head_and_principal():
    chains = load_chains([PERMITS])
    chain = chains.get_for("permit.decision", "land_approval")
    assert chain.code == "permit.decision"
    assert chain.route == "承办 → 审核 → 批准"
    assert chain.roles == (CLERK, HEAD, PRINCIPAL)
    assert chain.proposer.label == "承办" and len(chain.signers) == 2
    assert "行政许可法" in str(chain.basis) and "第三十七条" in str(chain.basis)
    assert chain.basis.standing == Standing.PRESET  # the levels are the bureau's


def test_some_kinds_need_only_the_section_heads_review():
    chain = load_chains([PERMITS]).get_for("permit.decision", "red_line")
    assert chain.route == "承办 → 审核"


def test_a_bureau_file_changes_one_kinds_chain_without_code(tmp_path):
    chains = load_chains([PERMITS, bureau(tmp_path, TWO_STEPS)])
    chain = chains.get_for("permit.decision", "land_approval")
    assert chain.route == "承办 → 审核"
    assert chain.basis.standing == Standing.BUREAU
    assert chain.basis.version == "本局版"  # cited from the bureau's own [law]
    # Every other kind keeps the shipped chain.
    assert chains.get_for("permit.decision", "rural_planning").route == (
        "承办 → 审核 → 批准")


def test_a_chain_of_one_step_or_an_unknown_role_is_refused_naming_file_and_key(
        tmp_path):
    one = TWO_STEPS.replace(
        '  { code = "review", label = "审核", role = "section_head" },\n', "")
    with pytest.raises(RuleFileError, match="至少两步") as error:
        load_chains([PERMITS, bureau(tmp_path, one)])
    assert error.value.key == "steps"
    assert error.value.path.name == "approvals.toml"

    unknown = TWO_STEPS.replace('"section_head"', '"deputy"')
    (tmp_path / "permits" / "approvals.toml").write_text(LAW + unknown,
                                                          encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"permit\.decision\.land_approval") as error:
        load_chains([PERMITS, tmp_path / "permits"])
    assert error.value.key == "role"


def test_a_module_whose_states_follow_the_steps_names_a_misfit():
    chain = load_chains([PERMITS])["permit.decision"]
    positions = [(CLERK,), (HEAD,), (PRINCIPAL,)]
    assert misfit(chain, positions) == ""
    assert "第2步“审核”须由负责人签署" in misfit(chain, [(CLERK,), (PRINCIPAL,),
                                                        (PRINCIPAL,)])
    assert "最多2步" in misfit(chain, positions[:2])


# --- a round ------------------------------------------------------------------------

STEPS = load_chains([PERMITS])["permit.decision"].steps
ANN, BEN, CAI = 1, 2, 3  # user ids


def test_the_steps_are_signed_in_order_each_by_its_role():
    assert next_step(STEPS, [Signed(0, ANN)]) == 1
    assert judge(STEPS, [Signed(0, ANN)], BEN, {HEAD}) == 1
    with pytest.raises(NotYourStep, match="“审核”须由科室负责人签署"):
        judge(STEPS, [Signed(0, ANN)], CAI, {PRINCIPAL})
    assert judge(STEPS, [Signed(0, ANN), Signed(1, BEN)], CAI, {PRINCIPAL}) == 2


def test_nobody_signs_their_own_proposal_or_after_a_step_they_signed():
    # The clerk who proposed also holds the section head's role: still refused.
    with pytest.raises(NotIndependent, match="须由他人签署"):
        judge(STEPS, [Signed(0, ANN)], ANN, {CLERK, HEAD})
    with pytest.raises(NotIndependent):
        judge(STEPS, [Signed(0, ANN), Signed(1, BEN)], BEN, {HEAD, PRINCIPAL})
    assert issubclass(NotIndependent, RoleNotAllowed)


def test_after_a_disagreement_or_the_last_agreement_nothing_waits():
    returned = [Signed(0, ANN), Signed(1, BEN, agreed=False)]
    assert next_step(STEPS, returned) is None
    with pytest.raises(RoundClosed, match="已退回承办人"):
        judge(STEPS, returned, CAI, {PRINCIPAL})
    done = [Signed(0, ANN), Signed(1, BEN), Signed(2, CAI)]
    with pytest.raises(RoundClosed, match="已完成"):
        judge(STEPS, done, 4, {PRINCIPAL})
    assert issubclass(RoundClosed, NotAllowedNow)


def test_the_chain_kit_runs_without_django():
    assert_runs_without_django(
        "from pathlib import Path\nfrom fazhi.core.chains import load_chains\n"
        "load_chains([Path('fazhi/permits/rules')])")


def test_a_stand_in_signs_as_themself_and_whoever_they_stand_in_for():
    # BEN stands in for ANN, who proposed: BEN may not sign the review.
    with pytest.raises(NotIndependent):
        judge(STEPS, [Signed(0, ANN)], {BEN, ANN}, {HEAD})
    # CAI signed the review acting for BEN; BEN may not approve it in person.
    signed = [Signed(0, ANN), Signed(1, CAI, acting_for=BEN)]
    with pytest.raises(NotIndependent):
        judge(STEPS, signed, BEN, {PRINCIPAL})
    assert judge(STEPS, [Signed(0, ANN)], {BEN}, {HEAD}) == 1
