"""The GIS core and the overlay command import neither Django nor the settings."""

from __future__ import annotations

import pytest

from tests.purity import assert_runs_without_django

MODULES = [
    "errors",
    "archive",
    "crs",
    "encoding",
    "geometry",
    "spatial",
    "read",
    "store",
    "overlay",
    "write",
    "synthetic",
    "leftovers",
]


@pytest.mark.parametrize("name", MODULES)
def test_the_gis_module_imports_without_django(name):
    assert_runs_without_django(f"import fazhi.monitoring.gis.{name}")


def test_the_overlay_command_and_its_hook_import_without_django():
    assert_runs_without_django("import fazhi.monitoring.overlay_cli, fazhi.cli")


def test_an_overlay_runs_without_django():
    assert_runs_without_django(
        "from fazhi.monitoring.gis import synthetic as s, crs, overlay as o\n"
        "f = s.farmland(500, extent=(380000, 3070000, 382000, 3072000))\n"
        "p = s.patches(20, extent=(380000, 3070000, 382000, 3072000))\n"
        "src = o.MemoryLayer([str(i) for i in range(len(f.geoms))], crs.Projected(f.geoms, 4547))\n"
        "rows = o.overlay([str(i) for i in range(20)], crs.Projected(p.geoms, 4547), src,\n"
        "                 layer_name='L')\n"
        "assert rows and all(abs(r.share - 1) < 1e-6 for r in rows)\n"
    )
