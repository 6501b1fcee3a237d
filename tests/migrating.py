"""Running the real migrations back and forward in a test: the one way, so that every
such test leaves the database as it found it.

Migrating one app back also unapplies every other app's migrations that depend on
what is undone; going forward to that app's own newest migration alone would leave
those out for the tests that run after (a column missing far from the test that
dropped it). ``migrate_latest`` therefore goes forward to every app's newest.
"""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` (a list of (app, migration) nodes); return the historical
    apps of that state, for building the rows an upgrade must carry."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_latest() -> None:
    """Migrate every app forward to its newest migration."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
