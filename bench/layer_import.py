"""Benchmark the web path's layer import (ImportJob) on a large file: memory, progress.

    .venv/bin/python bench/layer_import.py /tmp/province-data/gd.gpkg
    DATABASE_URL=postgres://… for PostgreSQL (SQLite in a temporary folder otherwise)

Runs what the import pages run, without the HTTP round trips: ``job_create`` (the
upload kept and hashed), ``job_run`` for the inspection (every feature read and
checked, chunk by chunk), ``job_confirm``, then ``job_run`` for the import proper
(``LayerStore.build_from_file``: read, check and index chunk by chunk, then land in
one transaction) — all in this one process, as the embedded default's thread runs
it. Prints, per phase, wall and CPU time, the progress the job reported (how many
updates, whether ``done`` only went up, the last one), and the process's peak RSS
after each phase (``ru_maxrss``: the peak so far). Asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_audit


def setup(tmp: str) -> None:
    """Point the platform at a fresh data folder and migrate it (bench_audit's
    set-up), the import running in this process and the anchor in the folder."""
    os.environ["FAZHI_IMPORT_INLINE"] = "1"
    # inside the temporary folder: by default the anchor sits beside the data folder
    os.environ.setdefault("FAZHI_AUDIT_ANCHOR", str(Path(tmp) / "audit-anchor.json"))
    bench_audit.setup(tmp)


def officer():
    """Return 湘潭县's enforcement officer (made here, on the demo's tree)."""
    from fazhi.core import services
    from fazhi.core.demo import org_tree_ensure
    from fazhi.core.models import User
    from fazhi.monitoring.services import OFFICER

    found = User.objects.filter(username="bench_officer").first()
    if found:
        return found
    user = services.user_create(username="bench_officer", full_name="图层导入",
                                org_unit=org_tree_ensure()["430321"],
                                password="bench-only-Pw1!", actor=None)
    services.user_grant_role(user=user, role=OFFICER, actor=None,
                             badge_number="43030000000")
    return user


class Watch:
    """Collect a phase's progress reports: (seconds, stage, done, total)."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.seen: list[tuple[float, str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        self.seen.append((time.perf_counter() - self.start, stage, done, total))

    def summary(self) -> str:
        """Say how many reports per stage, whether each only went up, and the last."""
        stages: dict[str, list] = {}
        for seen in self.seen:
            stages.setdefault(seen[1], []).append(seen)
        out = []
        for stage, rows in stages.items():
            dones = [r[2] for r in rows]
            rising = all(b >= a for a, b in itertools.pairwise(dones))
            t, _, done, total = rows[-1]
            out.append(f"{stage}: {len(rows)} reports from {rows[0][0]:.0f} s to "
                       f"{t:.0f} s, {'rising' if rising else 'NOT RISING'}, last "
                       f"{done}/{total}")
        return "; ".join(out) or "no progress reported"


def phase(name: str, run) -> object:
    """Run one phase; print wall, CPU, progress and peak RSS so far."""
    watch = Watch()
    cpu = time.process_time()
    result = run(watch)
    wall = time.perf_counter() - watch.start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name}: wall {wall:.1f} s, CPU {time.process_time() - cpu:.1f} s, "
          f"peak RSS so far {peak:.0f} MB, load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"  progress: {watch.summary()}", flush=True)
    return result


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path)
    p.add_argument("--id-field", default="", help="the id field (else as inspected)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="fazhi-import-bench-") as tmp:
        setup(tmp)
        from django.core.files import File

        from fazhi.monitoring import importing
        from fazhi.monitoring.models import JobState, LayerVersion

        actor = officer()
        print(f"{args.file} ({args.file.stat().st_size / 2**20:.0f} MB), "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", flush=True)

        def upload(_watch):
            with args.file.open("rb") as fh:
                return importing.job_create(
                    actor=actor, kind="layer", file=File(fh, name=args.file.name),
                    params={"kind": "basic_farmland", "name": "永久基本农田"})

        job = phase("upload (kept and hashed)", upload)
        job = phase("inspect (read and check)",
                    lambda w: importing.job_run(job.pk, echo=w))
        if job.state != JobState.INSPECTED:
            raise SystemExit(f"inspection failed: {job.error}")
        i = job.params["inspection"]
        print(f"  {i['feature_count']} features, id field {i['id_field']!r}, "
              f"{i['problem_count']} invalid", flush=True)
        importing.job_confirm(job=job, actor=actor, choices={
            "id_field": args.id_field or job.params.get("id_field", ""),
            "encoding": job.params.get("encoding", ""), "invalid": "reject"})
        job = phase("import (read, check, index, land)",
                    lambda w: importing.job_run(job.pk, echo=w))
        if job.state != JobState.DONE:
            raise SystemExit(f"import failed: {job.error}")
        lv = LayerVersion.objects.get(pk=job.result_id)
        print(f"landed: version {lv.version}, {lv.feature_count} features, "
              f"index EPSG:{lv.area_epsg}", flush=True)


if __name__ == "__main__":
    main()
