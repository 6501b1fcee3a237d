"""The bureau a command works for, named on the command line by its division code."""

from __future__ import annotations

from django.core.management.base import CommandError

from fazhi.core.models import OrgUnit


def bureau_argument(parser) -> None:
    """Add the required ``--org`` naming the bureau by its division code."""
    parser.add_argument("--org", required=True, help="机关的行政区划代码，如 430321")


def bureau_named(code: str) -> OrgUnit:
    """The bureau whose division code is ``code``; a CommandError when none is."""
    org = OrgUnit.objects.filter(division_code=code).first()
    if org is None:
        raise CommandError(f"没有行政区划代码为 {code} 的机关")
    return org
