"""A province on several machines: two app nodes and a worker share PostgreSQL and S3.

Real processes, real HTTP: an S3-compatible server (moto in server mode, from PyPI),
two waitress servers of the project (nodes A and B, each with its own empty data
folder, so nothing they need can come from a shared disk) and ``fazhi db_worker``
processes, all on one PostgreSQL database this test creates and drops. It proves:

- a field photo uploaded through node A is served by node B;
- an import submitted through node A is done by a worker and visible on node B;
- a worker killed (SIGKILL) mid-import leaves nothing partial, and the next worker
  started finishes the import once;
- the audit chain verifies against the anchor in object storage, and deleting the
  newest events written by node B is caught when verifying from node A.

PostgreSQL only (the cluster's database); run with ``-m multinode``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.multinode

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"
BUCKET = "fazhi-cluster"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"node A photo" + b"\xff\xd9"
JPEG_B = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32) + b"node B photo" + b"\xff\xd9"
TAKEN = "2025-11-05T10:00:00+08:00"
LAYER_FEATURES = 120_000  # enough for the import to run some seconds in the worker
WAIT = 300  # seconds: the longest any step may take on a loaded 2-core machine


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the multi-node test runs on PostgreSQL (DATABASE_URL)")
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(check, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Cluster:
    """The processes of the test, their environments and their logs."""

    def __init__(self, tmp: Path, db_url: str, s3_port: int) -> None:
        self.tmp = tmp
        self.db_url = db_url
        self.s3 = f"http://127.0.0.1:{s3_port}"
        self.procs: list[subprocess.Popen] = []

    def env(self, node: str) -> dict:
        data = self.tmp / f"data-{node}"
        data.mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("FAZHI_", "DJANGO_"))}
        env.update({
            "PYTHONPATH": str(ROOT), "DATABASE_URL": self.db_url,
            "FAZHI_DATA_DIR": str(data),
            "FAZHI_SECRET_KEY": "multinode-test-secret-key-shared-by-all-nodes",
            "FAZHI_AUDIT_KEY": "multinode-test-audit-key-shared-by-all-nodes!",
            "FAZHI_HTTPS": "0", "FAZHI_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "FAZHI_S3_BUCKET": BUCKET, "FAZHI_S3_ENDPOINT": self.s3,
            "FAZHI_S3_ACCESS_KEY": "testing", "FAZHI_S3_SECRET_KEY": "testing",
            "FAZHI_S3_REGION": "us-east-1", "FAZHI_AUDIT_ANCHOR_RETAIN_DAYS": "1",
            "FAZHI_LOG_LEVEL": "INFO",
        })
        return env

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = (self.tmp / f"{name}.log").open("ab")
        proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs.append(proc)
        return proc

    def fazhi(self, node: str, *args: str, check: bool = True):
        return subprocess.run(
            [sys.executable, "-c", "from fazhi.cli import main; main()", *args],
            cwd=ROOT, env=self.env(node), capture_output=True, text=True, check=check,
            timeout=WAIT)

    def node(self, name: str) -> str:
        port = _free_port()
        self.start(f"node-{name}", ["-m", "waitress", f"--listen=127.0.0.1:{port}",
                                    "--threads=4", "fazhi.wsgi:application"],
                   self.env(name))
        _wait_for(lambda: _listening(port), f"node {name} listening")
        return f"http://127.0.0.1:{port}"

    def worker(self, name: str) -> subprocess.Popen:
        return self.start(name, ["-c", "from fazhi.cli import main; main()",
                                 "db_worker", "--interval", "0.2",
                                 "--no-startup-delay"], self.env(name))

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import psycopg

    server = _server_url()
    name = f"fazhi_multinode_{os.getpid()}"
    admin = urlparse(server)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    # A CI timeout's SIGTERM still runs the finally below: no server outlives the run.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tmp_path_factory.mktemp("cluster")
    s3_port = _free_port()
    c = Cluster(tmp, urlparse(server)._replace(path=f"/{name}").geturl(), s3_port)
    try:
        c.start("s3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)],
                c.env("s3"))
        _wait_for(lambda: _listening(s3_port), "the S3 server")
        s3 = c.s3_client = _s3(c.s3)
        # What a province's operator sets up once: versioning and object lock.
        s3.create_bucket(Bucket=BUCKET, ObjectLockEnabledForBucket=True)
        s3.put_bucket_versioning(Bucket=BUCKET,
                                 VersioningConfiguration={"Status": "Enabled"})
        c.fazhi("setup", "migrate", "--noinput")
        seeded = subprocess.run(
            [sys.executable, "-m", "tests.multinode.seed"], cwd=ROOT,
            env={**c.env("setup"), "DJANGO_SETTINGS_MODULE": "fazhi.settings"},
            capture_output=True, text=True, check=False, timeout=WAIT)
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        c.seed = json.loads(seeded.stdout.strip().splitlines()[-1])
        c.a, c.b = c.node("a"), c.node("b")
        yield c
    finally:
        c.stop()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        signal.signal(signal.SIGTERM, previous)


def _s3(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing",
                        aws_secret_access_key="testing", region_name="us-east-1")


def _db(cluster):
    import psycopg

    return psycopg.connect(cluster.db_url, autocommit=True)


def _session(node: str, username: str = "xt_officer"):
    """Log in through a node's login page; the session lives in the shared database."""
    import requests

    s = requests.Session()
    s.get(f"{node}/login/", timeout=60).raise_for_status()
    r = s.post(f"{node}/login/", timeout=60, allow_redirects=False, data={
        "username": username, "password": PASSWORD,
        "csrfmiddlewaretoken": s.cookies["csrftoken"]})
    assert r.status_code == 302, r.text[:500]
    return s


def _csrf(s) -> dict:
    return {"X-CSRFToken": s.cookies["csrftoken"]}


def _post_photo(s, node: str, task: int, data: bytes, uid: str):
    return s.post(f"{node}/monitoring/field/tasks/{task}/photos/", headers=_csrf(s),
                  timeout=60, files={"file": ("IMG_1.jpg", data, "image/jpeg")},
                  data={"sha256": hashlib.sha256(data).hexdigest(), "client_uid": uid,
                        "latitude": "", "longitude": "", "accuracy_m": "6.5",
                        "heading": "", "taken_at": TAKEN})


def _files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_photo_uploaded_through_node_a_is_served_by_node_b(cluster):
    a, b = _session(cluster.a), None
    task = cluster.seed["task"]
    r = _post_photo(a, cluster.a, task, JPEG, "uid-multinode-a")
    assert r.status_code in (200, 201), r.text[:500]
    pk = r.json()["photo"]["id"]
    b = _session(cluster.b)
    listing = b.get(f"{cluster.b}/monitoring/field/tasks/{task}/photos/", timeout=60)
    assert [p["id"] for p in listing.json()["photos"]] == [pk]
    image = b.get(f"{cluster.b}/monitoring/field/tasks/{task}/photos/{pk}/image",
                  timeout=60)
    assert image.status_code == 200 and image.content == JPEG
    # Served from object storage: neither node keeps evidence on its own disk.
    for node in ("a", "b"):
        assert _files_under(cluster.tmp / f"data-{node}" / "evidence") == []
    keys = [o["Key"] for o in cluster.s3_client.list_objects_v2(
        Bucket=BUCKET, Prefix="evidence/").get("Contents", [])]
    assert any(k.endswith(hashlib.sha256(JPEG).hexdigest()) for k in keys)
    health = b.get(f"{cluster.b}/healthz", timeout=60).json()
    assert health["ok"] and health["storage"]["stores"] == ["evidence", "monitoring"]
    assert health["database"]["vendor"] == "postgresql"


def _layer_file(path: Path, n: int) -> Path:
    """A GeoJSON layer of ``n`` 20 m squares near 湘潭县 (CGCS2000 / GK zone 38)."""
    x0, y0 = 391_000.0, 3_080_000.0
    with path.open("w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","crs":{"type":"name","properties":'
                '{"name":"urn:ogc:def:crs:EPSG::4547"}},"features":[')
        for i in range(n):
            x, y = x0 + (i % 400) * 25, y0 + (i // 400) * 25
            ring = [[x, y], [x + 20, y], [x + 20, y + 20], [x, y + 20], [x, y]]
            f.write(("," if i else "") + json.dumps(
                {"type": "Feature", "properties": {"BH": f"L{i:07d}", "DLMC": "水田"},
                 "geometry": {"type": "Polygon", "coordinates": [ring]}}))
        f.write("]}")
    return path


def _job(cluster, pk: int) -> tuple[str, str, int]:
    with _db(cluster) as conn:
        state, phase, done, error = conn.execute(
            "SELECT state, phase, done, error FROM monitoring_importjob WHERE id = %s",
            [pk]).fetchone()
    assert state != "failed", error
    return state, phase, done


def test_an_import_through_node_a_survives_a_killed_worker_and_shows_on_node_b(cluster):
    a = _session(cluster.a)
    big = _layer_file(cluster.tmp / "big.geojson", LAYER_FEATURES)
    with big.open("rb") as f:
        r = a.post(f"{cluster.a}/monitoring/import/layer/new/", timeout=WAIT,
                   headers=_csrf(a), allow_redirects=False,
                   data={"kind": "farmland", "name": "耕地（多节点）", "id_field": "BH",
                         "csrfmiddlewaretoken": a.cookies["csrftoken"]},
                   files={"file": ("big.geojson", f, "application/geo+json")})
    assert r.status_code == 302, r.text[-2000:]
    pk = int(re.search(r"/import/jobs/(\d+)/", r.headers["Location"])[1])
    # The upload went to object storage, not to node A's disk.
    assert _files_under(cluster.tmp / "data-a" / "monitoring" / "uploads") == []

    first = cluster.worker("worker-1")
    _wait_for(lambda: _job(cluster, pk)[0] == "inspected", "the preview")
    with _db(cluster) as conn:  # what the preview page shows and sends back
        shown = conn.execute("SELECT params->>'encoding', coalesce(params->>'crs', ''), "
                             "params->>'id_field' FROM monitoring_importjob "
                             "WHERE id = %s", [pk]).fetchone()
    r = a.post(f"{cluster.a}/monitoring/import/jobs/{pk}/", timeout=60,
               allow_redirects=False, headers=_csrf(a),
               data={"encoding": shown[0], "crs": shown[1], "id_field": shown[2],
                     "invalid": "reject", "confirmed": "on",
                     "csrfmiddlewaretoken": a.cookies["csrftoken"]})
    assert r.status_code == 302, r.text[-2000:]
    # Kill the worker in the middle of the import proper.
    def under_way():
        state, phase, done = _job(cluster, pk)
        assert state != "done", "the import ended before the worker could be killed"
        return (state, phase) == ("running", "import") and done > 0

    _wait_for(under_way, "the import under way")
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    with _db(cluster) as conn:
        assert _job(cluster, pk)[0] == "running"  # cut off: no one will finish it
        assert conn.execute("SELECT count(*) FROM monitoring_layerversion v JOIN "
                            "monitoring_referencelayer l ON l.id = v.layer_id "
                            "WHERE l.name = '耕地（多节点）'").fetchone()[0] == 0

    cluster.worker("worker-2")  # finds the cut-off job and queues it again
    _wait_for(lambda: _job(cluster, pk)[0] == "done", "the import's end")
    with _db(cluster) as conn:
        state, error = conn.execute("SELECT state, error FROM monitoring_importjob "
                                    "WHERE id = %s", [pk]).fetchone()
        assert (state, error) == ("done", "")
        versions = conn.execute(
            "SELECT v.version, v.feature_count, v.store_path FROM monitoring_layerversion "
            "v JOIN monitoring_referencelayer l ON l.id = v.layer_id "
            "WHERE l.name = '耕地（多节点）'").fetchall()
    assert [(v, n) for v, n, _ in versions] == [(1, LAYER_FEATURES)]  # once, whole
    keys = [o["Key"] for o in cluster.s3_client.list_objects_v2(
        Bucket=BUCKET, Prefix=f"monitoring/{versions[0][2]}/").get("Contents", [])]
    assert f"monitoring/{versions[0][2]}/manifest.json" in keys

    b = _session(cluster.b)
    page = b.get(f"{cluster.b}/monitoring/import/jobs/{pk}/", timeout=60)
    assert page.status_code == 200 and "导入完成" in page.text
    layers = b.get(f"{cluster.b}/monitoring/layers/", timeout=60)
    assert "耕地（多节点）" in layers.text
    # Node B reads the new index from object storage into its cache to overlay.
    cluster.fazhi("b", "shell", "-c", (
        "from fazhi.monitoring.models import LayerVersion as V;"
        "from fazhi.monitoring.importing import layer_store;"
        f"assert layer_store(V.objects.get(layer__name='耕地（多节点）')).count == "
        f"{LAYER_FEATURES}"))


def test_the_chain_verifies_against_the_shared_anchor_and_catches_node_bs_deletions(
        cluster):
    b = _session(cluster.b)
    r = _post_photo(b, cluster.b, cluster.seed["task"], JPEG_B, "uid-multinode-b")
    assert r.status_code in (200, 201), r.text[:500]
    ok = cluster.fazhi("a", "audit", "verify", check=False)
    assert ok.returncode == 0, ok.stderr
    assert "审计链完好" in ok.stdout
    with _db(cluster) as conn:
        newest = conn.execute("SELECT max(seq) FROM core_auditevent WHERE action = "
                              "'monitoring.field_photo_add'").fetchone()[0]
        # Whoever deletes the newest events also rewinds the head to match.
        conn.execute("DELETE FROM core_auditevent WHERE seq >= %s", [newest])
        conn.execute("UPDATE core_audithead SET seq = e.seq, hash = e.hash FROM "
                     "(SELECT seq, hash FROM core_auditevent ORDER BY seq DESC LIMIT 1)"
                     " e WHERE core_audithead.id = 1")
    broken = cluster.fazhi("a", "audit", "verify", check=False)
    assert broken.returncode == 1
    assert "审计链断裂" in broken.stderr and "缺失" in broken.stderr
    # Node A has no anchor file of its own: it read the anchor in object storage.
    assert not list((cluster.tmp).glob("data-a*.audit-anchor.json"))
