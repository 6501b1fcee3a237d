"""The ``fazhi`` command: Django's management commands plus fazhi's own."""

import os
import sys


def main() -> None:
    """Run a management command, e.g. ``fazhi migrate`` or ``fazhi audit verify``."""
    if sys.argv[1:2] == ["overlay"]:
        # Pure GIS: runs before (and without) Django, settings, a database or a data dir.
        from fazhi.monitoring.overlay_cli import main as overlay_main

        sys.exit(overlay_main(sys.argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ["db_worker"]:
        # A worker starting finds the imports a killed worker left running.
        import django

        django.setup()
        from fazhi.monitoring.importing import jobs_reclaim

        jobs_reclaim()

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
