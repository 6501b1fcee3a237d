"""The audit chain: appended in the change's transaction, tamper-evident, anchored."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import os
import subprocess
import sys

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from fazhi.core import audit
from fazhi.core.hashing import GENESIS, HASHERS, chain_hash, hmac_generic, keyed_hash
from fazhi.core.models import AuditEvent, AuditHead, AuditImmutable, OrgUnit


def _append(n: int, orgs) -> list[AuditEvent]:
    return [audit.record(actor=None, obj=orgs["xt"], action="test.step",
                         summary=f"第{i}步", after={"i": i}) for i in range(n)]


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_events_form_a_chain_from_genesis(orgs):
    events = list(AuditEvent.objects.order_by("seq"))
    assert events[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(events):
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
        "object_id, object_repr, action, payload, evidence, prev_hash, hash, algorithm,"
        " scheme, anchored) VALUES (%s, %s, '伪造', '', '', '', '', 'forged', '{}', '',"
        " %s, %s, 'sha256', 2, %s)",
        [last.seq + 1, last.at, last.hash, "f" * 64, False],
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


# --- the fields the old digest left out, the key, the anchor's disappearance ---------


def _event(seq: int) -> AuditEvent:
    return AuditEvent.objects.get(seq=seq)


def test_moving_an_event_to_another_county_breaks_the_chain(orgs):
    events = _append(3, orgs)
    target = events[1]
    # Filed under 湘乡市, the event would vanish from 湘潭县's audit administrator.
    _raw("UPDATE core_auditevent SET org_unit_id = %s WHERE seq = %s",
         [orgs["xx"].pk, target.seq])
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok
    assert result.broken_seq == target.seq
    assert f"事件 #{target.seq} 的内容与其哈希不符" in result.message


def test_renaming_an_events_object_breaks_the_chain(orgs):
    events = _append(3, orgs)
    _raw("UPDATE core_auditevent SET object_repr = %s WHERE seq = %s",
         ["无关的对象", events[0].seq])
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok and result.broken_seq == events[0].seq


def _forge_after(last: AuditEvent, *, scheme: int, key: bytes | None) -> int:
    """Append an event as an attacker who knows the formulas but not the key."""
    seq, at = last.seq + 1, last.at
    payload = audit.canonical_json({"summary": "补记", "before": None, "after": None})
    legacy = audit.event_fields(seq, at, None, "伪造", "430321", "core.OrgUnit", "1",
                                "forged", payload, "", last.hash)
    if key is None:
        digest = chain_hash("sha256", legacy)
    else:
        fields = audit.keyed_fields(legacy, last.org_unit_id, "伪造", "sha256", True)
        digest = keyed_hash("sha256", key, fields)
    _raw(
        "INSERT INTO core_auditevent (seq, at, actor_name, org_unit_id, org_code, "
        "object_type, object_id, object_repr, action, payload, evidence, prev_hash, "
        "hash, algorithm, scheme, anchored) VALUES (%s, %s, '伪造', %s, '430321', "
        "'core.OrgUnit', '1', '伪造', 'forged', %s, '', %s, %s, 'sha256', %s, %s)",
        [seq, at, last.org_unit_id, payload, last.hash, digest, scheme, True],
    )
    _raw("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", [seq, digest])
    return seq


@pytest.mark.parametrize("scheme, key", [(1, None), (2, b"a guess at the key")],
                         ids=["old-formula", "keyed-with-a-wrong-key"])
def test_an_event_appended_with_a_recomputed_hash_is_refused(orgs, scheme, key):
    last = _append(2, orgs)[-1]
    forged = _forge_after(last, scheme=scheme, key=key)
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok
    assert result.broken_seq == forged
    assert f"#{forged}" in result.message


def test_keyed_digest_depends_on_the_key(orgs, settings):
    _append(2, orgs)
    assert audit.verify(audit.Anchor(0, "", "")).ok
    settings.AUDIT_KEY = "another-key-of-at-least-thirty-two-chars"
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok and result.broken_seq == 1


def test_keyed_digest_is_standard_hmac():
    for key in (b"k", b"x" * 64, b"y" * 100):
        assert hmac_generic(HASHERS["sha256"], key, "事件".encode()) == hmac.new(
            key, "事件".encode(), hashlib.sha256).hexdigest()


def _anchored_chain(orgs) -> list[AuditEvent]:
    """Events written while an anchor existed, the newest of them anchored."""
    first = _append(1, orgs)[0]
    audit.anchor_write(first.seq, first.hash)  # as after every commit
    events = _append(4, orgs)
    call_command("audit", "anchor")
    return events


def test_deleting_the_anchor_then_the_newest_events_fails_verify(orgs, capsys):
    events = _anchored_chain(orgs)
    audit.anchor_path().unlink()
    _raw("DELETE FROM core_auditevent WHERE seq >= %s", [events[2].seq])
    _raw("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1",
         [events[1].seq, events[1].hash])
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "审计链断裂" in err and "锚点文件" in err and "不存在或已清空" in err
    assert f"#{events[0].seq}" in err  # the first event written with an anchor


def test_an_emptied_anchor_file_fails_verify(orgs):
    _anchored_chain(orgs)
    audit.anchor_path().write_text("", encoding="utf-8")
    result = audit.verify()
    assert not result.ok and "锚点文件" in result.message


def test_a_chain_never_anchored_verifies_without_an_anchor_file(orgs):
    _append(3, orgs)  # no commit in this test, so no anchor was ever written
    assert not audit.anchor_path().exists()
    assert audit.verify().ok


def test_verify_prints_neither_the_key_nor_a_part_of_it(orgs, settings, capsys):
    events = _anchored_chain(orgs)
    call_command("audit", "verify")
    _raw("UPDATE core_auditevent SET org_unit_id = NULL WHERE seq = %s",
         [events[0].seq])
    with pytest.raises(SystemExit):
        call_command("audit", "verify")
    captured = capsys.readouterr()
    assert settings.AUDIT_KEY[:12] not in captured.out + captured.err


# --- chains from before the key: still verify, and are sealed -----------------------


def _legacy_chain(n: int) -> list[int]:
    """Write ``n`` events as the code before the key did (unkeyed, scheme 1)."""
    head, _ = AuditHead.objects.get_or_create(pk=1)
    seq, prev = head.seq, head.hash
    for i in range(n):
        seq += 1
        at = timezone.now()
        payload = audit.canonical_json({"summary": f"旧事件{i}", "before": None,
                                        "after": None})
        fields = audit.event_fields(seq, at, None, "系统", "", "test.Old", str(i),
                                    "test.old", payload, "", prev)
        digest = chain_hash("sha256", fields)
        _raw(
            "INSERT INTO core_auditevent (seq, at, actor_name, org_code, object_type, "
            "object_id, object_repr, action, payload, evidence, prev_hash, hash, "
            "algorithm, scheme, anchored) VALUES (%s, %s, '系统', '', 'test.Old', %s, "
            "%s, 'test.old', %s, '', %s, %s, 'sha256', 1, %s)",
            [seq, at, str(i), f"旧对象{i}", payload, prev, digest, False],
        )
        prev = digest
    _raw("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1", [seq, prev])
    return list(range(seq - n + 1, seq + 1))


def test_a_chain_from_before_the_key_verifies_once_sealed(db):
    old = _legacy_chain(4)
    seal = audit.legacy_seal(AuditEvent, AuditHead)
    assert seal.seq == old[-1] + 1 and seal.scheme == audit.SCHEME
    assert "此前的 4 条事件一并封存" in seal.summary
    audit.record(actor=None, obj=None, action="test.after", object_type="test.New",
                 object_id="1")
    assert audit.verify(audit.Anchor(0, "", "")).ok


def test_an_old_event_renamed_after_the_seal_is_detected(db):
    old = _legacy_chain(3)
    seal = audit.legacy_seal(AuditEvent, AuditHead)
    _raw("UPDATE core_auditevent SET object_repr = '改名' WHERE seq = %s", [old[1]])
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok and result.broken_seq == seal.seq
    assert "所属机关或对象名称被改动" in result.message


def test_an_old_style_event_after_the_seal_is_refused(db):
    _legacy_chain(2)
    audit.legacy_seal(AuditEvent, AuditHead)
    forged = _legacy_chain(1)[0]
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok and result.broken_seq == forged
    assert "旧方式" in result.message


def test_old_events_without_their_seal_fail(db):
    _legacy_chain(2)
    audit.legacy_seal(AuditEvent, AuditHead)
    _raw("DELETE FROM core_auditevent WHERE action = %s", [audit.SEAL_ACTION])
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok and "缺少封存记录" in result.message


def test_an_empty_chain_needs_no_seal(db):
    assert audit.legacy_seal(AuditEvent, AuditHead) is None


# --- the key's setting ----------------------------------------------------------------


def _settings_in(tmp_path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import fazhi.settings as s; print(len(s.AUDIT_KEY))"],
        env={"PATH": os.environ["PATH"], "FAZHI_DATA_DIR": str(tmp_path),
             "FAZHI_SECRET_KEY": "x" * 50, **env},
        capture_output=True, text=True, check=False,
    )


def test_the_key_is_required_outside_debug(tmp_path):
    done = _settings_in(tmp_path, FAZHI_DEBUG="0")
    assert done.returncode != 0 and "FAZHI_AUDIT_KEY" in done.stderr
    done = _settings_in(tmp_path, FAZHI_DEBUG="0", FAZHI_AUDIT_KEY="short")
    assert done.returncode != 0 and "short" not in done.stderr


def test_the_key_is_read_from_a_file(tmp_path):
    key_file = tmp_path / "audit_key_secret"
    key_file.write_text("k" * 40 + "\n", encoding="utf-8")
    done = _settings_in(tmp_path, FAZHI_DEBUG="0", FAZHI_AUDIT_KEY_FILE=str(key_file))
    assert done.returncode == 0 and done.stdout.strip() == "40"


def test_debug_generates_the_key_into_the_data_folder_once(tmp_path):
    first = _settings_in(tmp_path, FAZHI_DEBUG="1")
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "audit_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    key = key_file.read_text(encoding="utf-8")
    assert _settings_in(tmp_path, FAZHI_DEBUG="1").returncode == 0
    assert key_file.read_text(encoding="utf-8") == key


def test_no_key_is_generated_for_a_node_of_a_cluster(tmp_path):
    # Each node generating its own key would refuse the others' chain events.
    for shared in ({"DATABASE_URL": "postgres://db.internal/fazhi"},
                   {"FAZHI_S3_BUCKET": "fazhi"}):
        done = _settings_in(tmp_path, FAZHI_DEBUG="1", **shared)
        assert done.returncode != 0 and "FAZHI_AUDIT_KEY" in done.stderr
        assert not (tmp_path / "audit_key").exists()


# --- anchoring on purpose ---------------------------------------------------------


def test_anchor_refuses_a_broken_chain(orgs):
    events = _append(2, orgs)
    _raw("UPDATE core_auditevent SET object_repr = 'x' WHERE seq = %s", [events[0].seq])
    with pytest.raises(CommandError, match="不能锚定"):
        call_command("audit", "anchor")
    assert not audit.anchor_path().exists()


def test_a_lost_anchor_is_replaced_only_on_purpose_and_the_chain_says_so(orgs):
    events = _anchored_chain(orgs)
    audit.anchor_path().unlink()
    with pytest.raises(CommandError, match="--missing"):
        call_command("audit", "anchor")
    assert not audit.anchor_path().exists()
    call_command("audit", "anchor", "--missing")
    event = AuditEvent.objects.order_by("seq").last()
    assert event.seq == events[-1].seq + 1 and event.action == "audit.reanchor"
    assert f"按链头 #{events[-1].seq} 重新锚定" in event.summary
    assert audit.anchor_read().seq == event.seq
    assert audit.verify().ok


# --- many events in one pass --------------------------------------------------------


def _entries(people, n: int, start) -> list[dict]:
    officer = people.xt_officer
    return [dict(actor=officer if i % 2 else None, obj=officer.org_unit,
                 action="test.bulk", summary=f"第{i}件", after={"i": i},
                 evidence=["cd" * 32] if i % 3 == 0 else (),
                 at=start + dt.timedelta(minutes=i)) for i in range(n)]


def test_append_many_makes_the_chain_record_would_have_made(people):
    start = timezone.now() - dt.timedelta(days=30)
    entries = _entries(people, 12, start)
    with transaction.atomic():  # one by one, then undone
        one_by_one = []
        for entry in entries:
            with time_machine.travel(entry["at"], tick=False):
                kwargs = {k: v for k, v in entry.items() if k != "at"}
                one_by_one.append(audit.record(**kwargs))
        transaction.set_rollback(True)
    head = audit.append_many(entries, batch=5)
    many = list(AuditEvent.objects.filter(action="test.bulk").order_by("seq"))
    assert [(e.seq, e.hash, e.prev_hash, e.payload, e.evidence) for e in many] == [
        (e.seq, e.hash, e.prev_hash, e.payload, e.evidence) for e in one_by_one]
    assert head == (many[-1].seq, many[-1].hash)
    assert AuditHead.objects.get(pk=1).seq == many[-1].seq
    assert audit.verify(audit.Anchor(0, "", "")).ok


def test_append_many_continues_a_chain_that_record_continues(people):
    audit.append_many(_entries(people, 7, timezone.now()), batch=3)
    after = audit.record(actor=None, obj=people.xt_officer.org_unit,
                         action="test.after")
    assert AuditEvent.objects.get(seq=after.seq - 1).hash == after.prev_hash
    assert audit.verify(audit.Anchor(0, "", "")).ok


def test_append_many_with_nothing_leaves_the_head(orgs):
    head = AuditHead.objects.get(pk=1)
    assert audit.append_many([]) == (head.seq, head.hash)


def test_a_tampered_event_of_append_many_is_caught(people):
    audit.append_many(_entries(people, 9, timezone.now()), batch=4)
    target = AuditEvent.objects.filter(action="test.bulk").order_by("seq")[5]
    _raw("UPDATE core_auditevent SET object_repr = %s WHERE seq = %s",
         ["别的县", target.seq])
    result = audit.verify(audit.Anchor(0, "", ""))
    assert not result.ok and result.broken_seq == target.seq


@pytest.mark.django_db(transaction=True)
def test_append_many_anchors_its_head_on_commit(settings, tmp_path):
    from fazhi.core.demo import org_tree_ensure

    county = org_tree_ensure()["430321"]
    with transaction.atomic():
        seq, hash_ = audit.append_many(
            [dict(actor=None, obj=county, action="test.bulk") for _ in range(3)])
    anchor = audit.anchor_read()
    assert (anchor.seq, anchor.hash) == (seq, hash_)
    assert audit.verify().ok
