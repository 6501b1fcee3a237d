"""Housekeeping of the monitoring folder: what finished imports and kills leave.

An import cleans up after itself when it ends, even by an error; a kill (a restart,
the OOM killer) skips that, and a failed import keeps its upload so it may be
retried. The daily sweep (``fazhi sweep``, settings SWEEP_HOOKS) removes:

- temporary index builds and unpacked zips a killed process left (untouched for an
  hour, a day for unpacked zips, which a long import reads without writing);
- index folders no layer version names (a kill between the build and the commit);
- uploads of finished imports (the delivered file is kept under ``sources/`` by its
  hash) and of failed ones a day after they failed;
- kept delivered files no layer version or batch names (an import that failed after
  keeping it), a day on.

It never touches the upload of a job queued, running or awaiting confirmation.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from fazhi.monitoring.gis.archive import EXTRACT_PREFIX
from fazhi.monitoring.gis.leftovers import remove_abandoned
from fazhi.monitoring.gis.store import ABANDONED_AFTER, remove_abandoned_builds
from fazhi.monitoring.models import ImportJob, JobState, LayerVersion, PatchBatch

FAILED_KEPT = dt.timedelta(days=1)  # a failed import may still be retried that day
UNPACKED_KEPT = 86_400.0  # seconds; an import reads its unpacked layer for its run
UPLOAD_GONE = "上传的文件已按期清理，请重新上传后导入"


def _root() -> Path:
    return Path(settings.MONITORING_ROOT)


def unpacking_dir() -> Path:
    """Where delivered zips are unpacked while read (never the system's /tmp)."""
    return _root() / "unpacking"


def upload_remove(job: ImportJob) -> bool:
    """Remove the job's uploaded file and its folder; tell whether there was one."""
    from fazhi.monitoring import files

    if files.remote():
        return files.upload_delete(job.upload_path)
    uploads = _root() / "uploads"
    folder = (_root() / job.upload_path).parent
    if folder == uploads or not folder.is_relative_to(uploads):
        return False  # never more than the job's own folder
    if not folder.exists():
        return False
    shutil.rmtree(folder, ignore_errors=True)
    return True


def monitoring_files_sweep(*, as_of: dt.date) -> int:
    """Remove what kills and ended imports left on disk; return how many entries.

    ``as_of`` is the sweep's day (the hook's signature); ages are measured from now.
    """
    root, now = _root(), timezone.now()
    removed = len(remove_abandoned_builds(root / "layers"))
    removed += len(
        remove_abandoned(
            unpacking_dir(), [f"{EXTRACT_PREFIX}*"], older_than=UNPACKED_KEPT
        )
    )
    # A worker's copies of stored files (object storage), left by a kill.
    removed += len(remove_abandoned(root / "work", ["job-*"], older_than=UNPACKED_KEPT))
    removed += _unnamed_index_folders(root)
    removed += _ended_uploads(now)
    removed += _unclaimed_uploads(root)
    removed += _unnamed_sources(root)
    return removed


def _unnamed_index_folders(root: Path) -> int:
    """Remove index folders (layers/<division>/<kind>/<folder>) no version names."""
    named = set(LayerVersion.objects.values_list("store_path", flat=True))
    found = [
        p
        for p in (root / "layers").glob("*/*/*")
        if p.is_dir()
        and not p.name.startswith(".")
        and str(p.relative_to(root)) not in named
    ]
    return sum(_remove_untouched(p, ABANDONED_AFTER) for p in found)


def _ended_uploads(now: dt.datetime) -> int:
    """Remove the uploads of finished jobs, and of jobs failed over a day ago."""
    jobs = ImportJob.objects.filter(state__in=[JobState.DONE, JobState.FAILED]).only(
        "pk", "upload_path", "state", "updated_at"
    )
    removed = 0
    for job in jobs.iterator():
        if not (_root() / job.upload_path).parent.exists():
            continue
        if job.state == JobState.FAILED and not _claim_failed(job, now):
            continue
        removed += upload_remove(job)
    return removed


def _claim_failed(job: ImportJob, now: dt.datetime) -> bool:
    """Mark a job failed long enough ago as cleared; refuse if it moved meanwhile.

    A retry pressed at this moment either wins (the job is no longer the one we
    saw) or finds the job changed and asks the person to look again.
    """
    if now - job.updated_at < FAILED_KEPT:
        return False
    return bool(
        ImportJob.objects.filter(
            pk=job.pk, state=JobState.FAILED, updated_at=job.updated_at
        ).update(message=f"未导入；{UPLOAD_GONE}", updated_at=now)
    )


def _unclaimed_uploads(root: Path) -> int:
    """Remove upload folders no job names (an upload cut off before its job)."""
    named = {
        Path(p).parts[1]
        for p in ImportJob.objects.values_list("upload_path", flat=True)
        if len(Path(p).parts) > 2
    }
    found = [p for p in (root / "uploads").glob("*") if p.name not in named]
    return sum(_remove_untouched(p, ABANDONED_AFTER) for p in found)


def _unnamed_sources(root: Path) -> int:
    """Remove kept delivered files no layer version or batch names, a day on."""
    named = set(LayerVersion.objects.values_list("source_sha256", flat=True))
    named |= set(PatchBatch.objects.values_list("source_sha256", flat=True))
    found = [
        p for p in (root / "sources").glob("*") if p.name.split(".")[0] not in named
    ]
    return sum(_remove_untouched(p, FAILED_KEPT.total_seconds()) for p in found)


def _remove_untouched(path: Path, older_than: float) -> int:
    """Remove ``path`` if untouched for ``older_than`` seconds; return 1 if removed."""
    return len(remove_abandoned(path.parent, [path.name], older_than=older_than))
