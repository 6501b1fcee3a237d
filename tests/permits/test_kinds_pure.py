"""Permit kinds as rule data and the application's state table, without Django."""

from __future__ import annotations

import dataclasses

import pytest

from fazhi.core.transitions import GuardFailed, NotAllowedNow, RoleNotAllowed
from fazhi.deadlines.rules import load_rules
from fazhi.permits import kinds, workflow
from tests.purity import assert_runs_without_django


def statutory() -> dict[str, int]:
    return {rid: r.length for rid, r in load_rules().items()
            if rid.startswith("permit.") and r.unit == "working_day"}


def rural() -> kinds.KindSpec:
    return next(s for s in kinds.load_kinds() if s.code == "rural_planning")


def test_the_shipped_file_loads_ten_kinds_that_keep_the_law():
    specs = kinds.load_kinds()
    assert len(specs) == 10
    assert len({s.code for s in specs}) == 10
    for spec in specs:
        kinds.check_kind(spec, statutory())
    kinds.check_words_unique(specs, {})
    assert rural().certificate_word == "乡规" and rural().promised_days == 5
    red_line = next(s for s in specs if s.code == "red_line")
    assert red_line.fee and red_line.fee_basis
    assert [m.code for m in rural().materials] == ["application", "township",
                                                   "site_plan"]


def test_the_statutory_decision_limit_is_twenty_working_days():
    assert statutory()["permit.decision"] == 20


@pytest.mark.parametrize("days", [21, 30, 0])
def test_a_promised_limit_outside_one_to_the_statutory_days_is_refused(days):
    spec = dataclasses.replace(rural(), promised_days=days)
    with pytest.raises(kinds.KindError, match="不得长于法定期限") as exc:
        kinds.check_kind(spec, statutory())
    assert "1至20个工作日" in str(exc.value)


def test_a_promised_limit_equal_to_the_statutory_one_is_allowed():
    kinds.check_kind(dataclasses.replace(rural(), promised_days=20), statutory())


def test_an_unknown_statutory_rule_is_refused():
    spec = dataclasses.replace(rural(), decision_rule="permit.nonexistent")
    with pytest.raises(kinds.KindError, match="未知的法定期限规则"):
        kinds.check_kind(spec, statutory())


def test_duplicate_material_codes_and_a_blank_word_are_refused():
    spec = rural()
    twice = dataclasses.replace(spec, materials=spec.materials + spec.materials[:1])
    with pytest.raises(kinds.KindError, match="申请材料编码重复"):
        kinds.check_kind(twice, statutory())
    with pytest.raises(kinds.KindError, match="证书文号代字"):
        kinds.check_kind(dataclasses.replace(spec, certificate_word=" "), statutory())


def test_two_kinds_with_one_certificate_word_are_refused():
    first = rural()
    second = dataclasses.replace(first, code="rural_planning_2", name="另一事项")
    with pytest.raises(kinds.KindError, match="文号将会重复") as exc:
        kinds.check_words_unique([first, second], {})
    assert "乡规" in str(exc.value) and "另一事项" in str(exc.value)


def test_a_word_of_another_instrument_series_is_refused():
    spec = dataclasses.replace(rural(), certificate_word="许受")
    with pytest.raises(kinds.KindError, match="行政许可申请受理"):
        kinds.check_words_unique([spec], {"许受": "文书“行政许可申请受理”"})


def test_a_malformed_file_names_the_file(tmp_path):
    bad = tmp_path / "kinds.toml"
    bad.write_text("[[kind]]\ncode = \n", encoding="utf-8")
    with pytest.raises(kinds.KindError) as exc:
        kinds.load_kinds(bad)
    assert str(bad) in str(exc.value) and "无法读取" in str(exc.value)


def test_a_kind_missing_a_key_names_the_file_entry_and_key(tmp_path):
    path = tmp_path / "kinds.toml"
    path.write_text('[[kind]]\ncode = "x"\nname = "某事项"\n', encoding="utf-8")
    with pytest.raises(kinds.KindError) as exc:
        kinds.load_kinds(path)
    message = str(exc.value)
    assert str(path) in message and "第1个" in message
    assert "promised_days" in message and "certificate_word" in message


def test_a_file_without_kinds_and_a_fractional_limit_are_refused(tmp_path):
    empty = tmp_path / "empty.toml"
    empty.write_text("[source]\nname = \"x\"\n", encoding="utf-8")
    with pytest.raises(kinds.KindError, match=r"须有一个或多个 \[\[kind\]\]"):
        kinds.load_kinds(empty)
    text = kinds.SHIPPED.read_text(encoding="utf-8").replace(
        "promised_days = 5", "promised_days = 5.5", 1)
    fractional = tmp_path / "fractional.toml"
    fractional.write_text(text, encoding="utf-8")
    with pytest.raises(kinds.KindError, match="promised_days 须为整数") as exc:
        kinds.load_kinds(fractional)
    assert str(fractional) in str(exc.value)


def test_missing_materials_lists_required_items_neither_provided_nor_waived():
    checklist = [
        ("申请表", True, True, False),  # provided
        ("审核意见", True, False, False),  # missing
        ("位置图", True, False, True),  # waived
        ("补充说明", False, False, False),  # optional
        ("身份证明", True, False, False),  # missing
    ]
    assert workflow.missing_materials(checklist) == ["审核意见", "身份证明"]
    assert workflow.missing_materials([]) == []


T, CLERK, PRINCIPAL = workflow.TABLE, "window_clerk", "principal"


SIGNED_APPROVAL = workflow.DecisionFacts(chain_complete=True, proposal="approve")


def test_the_state_table_allows_approval_only_after_acceptance_and_sign_off():
    assert T.check("accept", workflow.RECEIVED, CLERK) == workflow.ACCEPTED
    assert T.check("propose", workflow.ACCEPTED, CLERK) == workflow.REVIEWING
    assert T.check("approve", workflow.SIGNED, CLERK,
                   SIGNED_APPROVAL) == workflow.APPROVED
    assert T.check("pause", workflow.ACCEPTED, CLERK) == workflow.ACCEPTED
    for state in (workflow.RECEIVED, workflow.ACCEPTED, workflow.REVIEWING,
                  workflow.SIGNING):
        with pytest.raises(NotAllowedNow, match="不能准予许可"):
            T.check("approve", state, CLERK, SIGNED_APPROVAL)
    with pytest.raises(NotAllowedNow, match="不能制发证书"):
        T.check("issue_certificate", workflow.ACCEPTED, CLERK)


def test_the_decision_waits_for_a_complete_chain_that_proposed_it():
    with pytest.raises(GuardFailed, match=r"审批流程尚未完成.*行政许可法第三十七条"):
        T.check("approve", workflow.SIGNED, CLERK, workflow.DecisionFacts())
    with pytest.raises(GuardFailed, match="不能作出不予许可决定"):
        T.check("refuse", workflow.SIGNED, CLERK, SIGNED_APPROVAL)


def test_the_section_head_then_the_principal_act_next():
    assert T.waits_on(workflow.REVIEWING) == "section_head"
    assert T.waits_on(workflow.SIGNING) == "principal"
    assert T.waits_on(workflow.SIGNED) == CLERK
    assert T.check("review", workflow.REVIEWING, "section_head") == workflow.SIGNING
    assert T.check("send_back", workflow.SIGNING, "principal") == workflow.ACCEPTED
    with pytest.raises(RoleNotAllowed, match="科室负责人"):
        T.check("review", workflow.REVIEWING, CLERK)


def test_completion_can_be_requested_only_once():
    state = T.check("request_completion", workflow.RECEIVED, CLERK)
    assert state == workflow.COMPLETION
    with pytest.raises(NotAllowedNow, match="待补正"):
        T.check("request_completion", state, CLERK)
    assert T.check("complete", state, CLERK) == workflow.ACCEPTED


def test_only_the_principal_revokes_a_permit_or_decides_an_extension():
    with pytest.raises(RoleNotAllowed, match="负责人"):
        T.check("revoke", workflow.CERTIFIED, CLERK)
    with pytest.raises(RoleNotAllowed, match="负责人"):
        T.check("decide_extension", workflow.ACCEPTED, CLERK)
    assert T.check("revoke", workflow.CERTIFIED, PRINCIPAL) == workflow.REVOKED


def test_actions_open_follow_the_table_and_ended_states_allow_nothing_new():
    both = {CLERK, PRINCIPAL}
    assert T.actions_open(workflow.RECEIVED, CLERK)[:3] == [
        "accept", "request_completion", "refuse_intake"]
    assert "approve" not in T.actions_open(workflow.RECEIVED, both)
    assert T.actions_open(workflow.REFUSED, both) == []
    assert T.actions_open(workflow.CERTIFIED, both) == ["fee", "change", "revoke"]
    assert set(T.open_states).isdisjoint({workflow.REFUSED, workflow.CERTIFIED})
    assert T.waits_on(workflow.COMPLETION) == "party"


SCRIPT = """
from fazhi.permits import kinds, workflow
specs = kinds.load_kinds()
assert len(specs) == 10
workflow.TABLE.check("accept", workflow.RECEIVED, "window_clerk")
workflow.missing_materials([("a", True, False, True)])
"""


def test_kinds_and_workflow_import_and_run_without_django():
    assert_runs_without_django(SCRIPT)
