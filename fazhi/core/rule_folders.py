"""The bureau's rule folders (FAZHI_RULES_DIRS) and the rule data read through them.

The shell side of ``fazhi.core.ruledata``: it reads the setting, the kit stays pure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings

from fazhi.core import ruledata

T = TypeVar("T")


def module_rule_dirs(module: str) -> list[Path]:
    """The bureau's override folders for ``module`` (``<dir>/<module>/``) that exist,
    then the folder of the documents it adopted on the 规则采用 page."""
    dirs = [*settings.RULES_DIRS, Path(settings.RULES_ADOPTED_DIR)]
    return [d / module for d in dirs if (d / module).is_dir()]


def module_rules(module: str, loader: Callable[[tuple[Path, ...]], T]) -> T:
    """Return ``loader``'s rules for ``module``: shipped, then the bureau's folders.

    One cache serves every caller; an edited rule file is read again on the next call.
    """
    dirs = ruledata.once(("rule_dirs", module), lambda: module_rule_dirs(module))
    return ruledata.cached(loader, dirs)
