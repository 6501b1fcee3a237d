"""Background work of the monitoring module, run by ``fazhi db_worker`` processes."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_run(pk: int) -> str:
    """Run an import job's next phase (reading, or indexing/overlay and landing).

    The job's own row holds the state and progress; a worker killed mid-run leaves
    it RUNNING, and the next worker to start queues it again (importing.jobs_reclaim).
    """
    from fazhi.monitoring import importing

    return importing.job_run(pk).state
