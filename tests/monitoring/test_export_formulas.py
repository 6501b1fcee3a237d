"""Attributes of a delivered file never become live formulas in an export."""

from __future__ import annotations

import csv

from django.urls import reverse

from tests.monitoring.conftest import PATCHES, RECEIVED, geojson_file, import_batch, on
from tests.monitoring.data.builders import boxes, shapefile
from tests.monitoring.test_gis_cli import _run
from tests.sheets import HOSTILE, HOSTILE_SHOWN, formulas, shown


def test_delivered_attributes_like_formulas_are_exported_as_text(client, login, officer,
                                                                 tmp_path):
    hostile = [({**props, "XZQMC": HOSTILE[i], "BZ": HOSTILE[i + 3]}, geom)
               for i, (props, geom) in enumerate(PATCHES)]
    with on(RECEIVED):
        batch = import_batch(officer, geojson_file(tmp_path / "tb.geojson", hostile))
    login(officer)
    response = client.get(reverse("monitoring:batch_export", args=[batch.pk, "xlsx"]))
    assert response.status_code == 200
    assert formulas(response.content) == []
    assert HOSTILE_SHOWN <= shown(response.content)


def test_ids_and_layer_names_like_formulas_are_written_as_text(tmp_path):
    """A patch id or layer name from a file gets an apostrophe; figures stay numbers."""
    ids = ["=1+1", "-2+3+cmd|' /C calc'!A0"]
    patches = shapefile(tmp_path, "tb", boxes(2), {"TBBH": ids})
    parcels = shapefile(tmp_path, "gd", boxes(1, size=300), {"BH": ['=HYPERLINK("x")']})
    out = tmp_path / "结果.csv"
    done = _run("--patches", str(patches), "--layer", f"@SUM(A1)={parcels}",
                "--layer-id", "@SUM(A1)=BH", "--out", str(out), tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    assert rows == [["'" + pid, "'@SUM(A1)", "10000.00", "15.00", "1.0000",
                     "'=HYPERLINK(\"x\")"] for pid in ids]
