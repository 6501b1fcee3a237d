"""The audit chain: appended in the change's transaction, tamper-evident, anchored."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from fazhi.core import audit
from fazhi.core.hashing import GENESIS
from fazhi.core.models import AuditEvent, AuditImmutable, OrgUnit


def _append(n: int, orgs) -> list[AuditEvent]:
    return [audit.record(actor=None, obj=orgs["xt"], action="test.step",
                         summary=f"第{i}步", after={"i": i}) for i in range(n)]


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_events_form_a_chain_from_genesis(orgs):
    events = list(AuditEvent.objects.order_by("seq"))
    assert events[0].prev_hash == GENESIS
    for before, after in zip(events, events[1:]):
        assert after.seq == before.seq + 1
        assert after.prev_hash == before.hash
    assert audit.verify(audit.Anchor(0, "", "")).ok


def test_event_records_who_what_and_the_evidence(people):
    officer = people.xt_officer
    event = audit.record(actor=officer, obj=officer.org_unit, action="test.photo",
                         summary="现场照片", before={"a": 1}, after={"a": 2},
                         evidence=["ab" * 32])
    assert event.actor_name == "湘潭县执法"
    assert event.org_code == "430321"
    assert '"before":{"a":1}' in event.payload
    assert event.evidence == "ab" * 32


def test_orm_refuses_to_change_or_delete_events(orgs):
    event = AuditEvent.objects.first()
    event.action = "forged"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()


def test_event_rolls_back_with_the_change_it_describes(orgs):
    count = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        OrgUnit.objects.filter(pk=orgs["xt"].pk).update(name="改名")
        audit.record(actor=None, obj=orgs["xt"], action="org.rename")
        raise RuntimeError("the service failed after writing")
    assert AuditEvent.objects.count() == count
    assert OrgUnit.objects.get(pk=orgs["xt"].pk).name == "湘潭县自然资源局"


def test_verify_names_an_event_changed_behind_the_orm(orgs):
    events = _append(5, orgs)
    target = events[2]
    _raw("UPDATE core_auditevent SET payload = %s WHERE seq = %s",
         ['{"summary":"篡改"}', target.seq])
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok
    assert result.broken_seq == target.seq
    assert f"#{target.seq}" in result.message


def test_verify_names_a_deleted_event(orgs):
    events = _append(5, orgs)
    _raw("DELETE FROM core_auditevent WHERE seq = %s", [events[1].seq])
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok and result.broken_seq == events[1].seq
    assert "缺失" in result.message


def test_verify_names_an_inserted_event(orgs):
    events = _append(3, orgs)
    last = events[-1]
    _raw(
        "INSERT INTO core_auditevent (seq, at, actor_name, org_code, object_type, "
        "object_id, object_repr, action, payload, evidence, prev_hash, hash, algorithm)"
        " VALUES (%s, %s, '伪造', '', '', '', '', 'forged', '{}', '', %s, %s, 'sha256')",
        [last.seq + 1, last.at, last.hash, "f" * 64],
    )
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok and result.broken_seq == last.seq + 1


def test_verify_detects_deleted_newest_events_against_the_anchor(orgs):
    events = _append(4, orgs)
    head = events[-1]
    audit.anchor_write(head.seq, head.hash)
    _raw("DELETE FROM core_auditevent WHERE seq >= %s", [events[2].seq])
    # The chain that is left is internally consistent ...
    assert audit.verify(audit.Anchor(0, "", "")).ok
    # ... but the anchor outside the database remembers the head.
    result = audit.verify()
    assert not result.ok
    assert result.broken_seq == events[2].seq
    assert f"#{head.seq}" in result.message


def test_anchor_never_moves_backwards(orgs):
    events = _append(2, orgs)
    audit.anchor_write(events[1].seq, events[1].hash)
    audit.anchor_write(events[0].seq, events[0].hash)
    assert audit.anchor_read().seq == events[1].seq


@pytest.mark.django_db(transaction=True)
def test_committed_events_move_the_anchor(settings, tmp_path):
    from fazhi.core.demo import org_tree_ensure

    units = org_tree_ensure()
    event = audit.record(actor=None, obj=units["430321"], action="test.commit")
    anchor = audit.anchor_read()
    assert (anchor.seq, anchor.hash) == (event.seq, event.hash)


def test_sm3_can_be_chosen_for_new_events(settings, orgs):
    settings.AUDIT_HASH = "sm3"
    event = audit.record(actor=None, obj=orgs["xt"], action="test.sm3")
    assert event.algorithm == "sm3"
    # SM3 of the same fields differs from SHA-256, and the chain still verifies.
    assert audit.verify(audit.Anchor(0, "", "")).ok
    _raw("UPDATE core_auditevent SET action = 'x' WHERE seq = %s", [event.seq])
    assert audit.verify(audit.Anchor(0, "", "")).broken_seq == event.seq


def test_verify_command_reports_count_or_first_break(orgs, capsys):
    events = _append(3, orgs)
    audit.anchor_write(events[-1].seq, events[-1].hash)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert f"已核验 {events[-1].seq} 条事件" in out
    _raw("UPDATE core_auditevent SET actor_name = 'x' WHERE seq = %s", [events[0].seq])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    assert f"#{events[0].seq}" in capsys.readouterr().err
