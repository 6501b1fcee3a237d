"""The ``fazhi`` command: Django's management commands plus fazhi's own."""

import os
import sys


def main() -> None:
    """Run a management command, e.g. ``fazhi migrate`` or ``fazhi audit verify``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
