"""The audit anchor in object storage (fazhi.core.anchor_s3), on moto's in-process S3.

The cluster itself (several processes on one anchor) is tests/multinode; here the
anchor's own rules: the newest head wins whatever the order heads arrive in, a
restore starts an epoch, a deleted anchor is a break, and object lock keeps heads.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from django.db import connection

from fazhi.core import audit

BUCKET = "fazhi-anchor-test"


@pytest.fixture
def s3(settings):
    from moto import mock_aws

    with mock_aws():
        from fazhi.core import anchor_s3

        anchor_s3._CLIENTS.clear()
        settings.S3 = {"bucket": BUCKET, "endpoint_url": None, "access_key": "testing",
                       "secret_key": "testing", "region_name": "us-east-1"}
        settings.AUDIT_ANCHOR_URL = f"s3://{BUCKET}/audit-anchor"
        settings.AUDIT_ANCHOR_RETAIN_DAYS = 1
        store = audit.anchor_store()
        store.client.create_bucket(Bucket=BUCKET, ObjectLockEnabledForBucket=True)
        audit._ANCHOR_SEEN.clear()
        yield store
        anchor_s3._CLIENTS.clear()
        audit._ANCHOR_SEEN.clear()


def test_the_newest_head_wins_whatever_order_nodes_write_in(s3):
    assert audit.anchor_read() is None and not audit.anchor_exists()
    for seq in (3, 9, 4, 12, 10):  # commits of several nodes land in any order
        audit.anchor_write(seq, f"h{seq}")
    newest = audit.anchor_read()
    assert (newest.seq, newest.hash) == (12, "h12")
    assert audit.anchor_exists()


def test_a_restore_starts_an_epoch_that_discards_later_heads(s3):
    audit.anchor_write(40, "h40")
    audit.anchor_write(7, "h7", force=True, note="restored")
    assert (audit.anchor_read().seq, audit.anchor_read().note) == (7, "restored")
    audit.anchor_write(8, "h8")
    assert audit.anchor_read().seq == 8


def test_heads_under_object_lock_cannot_be_deleted(s3):
    audit.anchor_write(5, "h5")
    key = s3.client.list_objects_v2(Bucket=BUCKET, Prefix="audit-anchor/heads/")[
        "Contents"][0]["Key"]
    version = s3.client.head_object(Bucket=BUCKET, Key=key)["VersionId"]
    with pytest.raises(ClientError):
        s3.client.delete_object(Bucket=BUCKET, Key=key, VersionId=version)
    assert audit.anchor_read().seq == 5


def _raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_against_the_s3_anchor_catches_deleted_newest_events(s3, orgs):
    events = [audit.record(actor=None, obj=orgs["xt"], action="test.event",
                           summary=f"事件 {i}") for i in range(4)]
    audit.anchor_write(events[-1].seq, events[-1].hash)  # as after the commit
    assert audit.verify().ok
    _raw("DELETE FROM core_auditevent WHERE seq >= %s", [events[2].seq])
    _raw("UPDATE core_audithead SET seq = %s, hash = %s WHERE id = 1",
         [events[1].seq, events[1].hash])
    result = audit.verify()
    assert not result.ok and "缺失" in result.message


def test_an_anchor_gone_from_the_bucket_is_a_break(s3, orgs):
    first = audit.record(actor=None, obj=orgs["xt"], action="test.event", summary="一")
    audit.anchor_write(first.seq, first.hash)
    audit.record(actor=None, obj=orgs["xt"], action="test.event", summary="二")
    from django.test import override_settings

    with override_settings(AUDIT_ANCHOR_URL=f"s3://{BUCKET}/elsewhere"):
        result = audit.verify()
    assert not result.ok and result.anchor_missing
    assert "对象存储中的锚点" in result.message
