"""Background tasks of the deadlines app (Django tasks API, database queue)."""

from __future__ import annotations

from django_tasks import task

from fazhi.deadlines.sweep import clocks_sweep


@task()
def sweep_clocks() -> dict:
    """Run the daily sweep; the result is kept with the task for the worker's log."""
    result = clocks_sweep()
    return {"checked": result.checked, "recoloured": result.recoloured,
            "notified": result.notified, "errors": result.errors}
