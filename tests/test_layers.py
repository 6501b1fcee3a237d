"""The layers are a contract: read top to bottom, nothing imports upward.

    shell   fazhi.web, fazhi.api, fazhi.urls, fazhi.settings, fazhi.cli, fazhi.wsgi,
            fazhi.province (generated data: it writes every app's records)
    apps    disclosure, disputes, enforcement, learning, monitoring, permits, reports
    shared  fazhi.ui (the page kit), fazhi.deadlines (calendar, rules, clocks),
            fazhi.work (work items derived from the matters' state)
    base    fazhi.core (org units, people, audit, evidence, matter registry, kits)

Every import of every module counts, those inside functions too (tests/imports.py
reads them from the source). The allowed edges, and why:

- a layer imports its own layer and the layers below it, never one above;
- ``fazhi.web`` is the shell on top: only web itself and the URL map import it
  (settings name its middleware and context processor as strings), and it imports
  no app: each app declares its menu entries in ``AppConfig.navigation()``;
- an app reads its own models, core's and deadlines' (a ``Clock`` is the one shape
  of every matter's clock, house style 18); another app's records it reaches
  through that app's public functions (selectors, services) or the matter
  registry (``fazhi.core.matter_kinds``), never by importing its models;
- one exception, by design: the metric registry's query modules
  ``fazhi.reports.metric_queries.<app>`` each read the models of the app they are
  named after (a metric is a count over an app's records, and the annual report
  states what those counts say); nothing else in reports does;
- nobody imports another app's private names (a leading underscore).

A second test finds import cycles among all ``fazhi`` modules.
"""

from __future__ import annotations

from tests.imports import Import, cycles, import_graph

SHELL = {"web", "api", "urls", "settings", "cli", "wsgi", "env", "__init__",
         "province"}
APPS = {"disclosure", "disputes", "enforcement", "learning", "monitoring", "permits",
        "reports"}
SHARED = {"ui", "deadlines", "work"}
BASE = {"core"}
LAYER = {**dict.fromkeys(SHELL, 3), **dict.fromkeys(APPS, 2),
         **dict.fromkeys(SHARED, 1), **dict.fromkeys(BASE, 0)}
WEB_IMPORTERS = {"web", "urls", "settings"}

EDGES = import_graph()


def _part(module: str) -> str:
    """The top-level part of ``fazhi`` a module belongs to: "enforcement", "web"…"""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _is_models(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 2 and parts[2] == "models"


def _show(found) -> str:
    return "\n".join(map(str, found))


def test_the_graph_is_read():
    # A scan that found nothing would pass every rule below.
    assert len(EDGES) > 500
    assert any(i.in_function for i in EDGES)


def test_nothing_imports_upward():
    found = [i for i in EDGES
             if LAYER[_part(i.target)] > LAYER[_part(i.source)]]
    assert not found, "a lower layer imports a higher one:\n" + _show(found)


def test_only_the_shell_imports_web():
    found = [i for i in EDGES if _part(i.target) == "web"
             and _part(i.source) not in WEB_IMPORTERS]
    assert not found, ("fazhi.web is the shell on top: only web itself and "
                       "fazhi/urls.py import it; shared page helpers live in "
                       "fazhi/ui:\n" + _show(found))


def test_the_web_shell_imports_no_app():
    # The apps mount themselves: their URLs through fazhi/urls.py, their menu
    # entries through AppConfig.navigation().
    found = [i for i in EDGES if _part(i.source) == "web" and _part(i.target) in APPS]
    assert not found, "fazhi.web imports an app:\n" + _show(found)


def _foreign_models(imp: Import) -> bool:
    source, target = _part(imp.source), _part(imp.target)
    if source not in APPS or target not in APPS or source == target:
        return False
    if not _is_models(imp.target):
        return False
    return imp.source != f"fazhi.reports.metric_queries.{target}"


def test_apps_do_not_import_each_others_models():
    found = [i for i in EDGES if _foreign_models(i)]
    assert not found, ("an app imports another app's models; ask that app's "
                       "selectors/services or the matter registry "
                       "(fazhi.core.matter_kinds):\n" + _show(found))


def test_no_app_imports_another_apps_private_names():
    found = [i for i in EDGES if _part(i.source) != _part(i.target)
             and _part(i.source) in APPS | SHARED | BASE
             and any(n.startswith("_") for n in i.names)]
    assert not found, "imports another part's private names:\n" + _show(found)


def test_no_import_cycles():
    found = cycles(EDGES)
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)
