"""``fazhi monitoring_import``: the CLI imports a layer and a batch, or nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from fazhi.monitoring.models import LayerVersion, PatchBatch

from .conftest import FARMLAND, PATCHES, RECEIVED, geojson_file, on

pytestmark = pytest.mark.django_db


def test_cli_imports_a_layer_then_a_batch_that_meets_it(officer, tmp_path, capsys):
    layer = geojson_file(tmp_path / "jbnt.geojson", FARMLAND)
    tb = geojson_file(tmp_path / "tb.geojson", PATCHES)
    with on(RECEIVED):
        call_command("monitoring_import", "layer", str(layer), "--user", officer.username,
                     "--layer-kind", "basic_farmland", "--name", "永久基本农田",
                     "--id-field", "BH", "--yes")
        call_command("monitoring_import", "batch", str(tb), "--user", officer.username,
                     "--code", "WP-CLI", "--period", "2025-10",
                     "--received-on", RECEIVED.isoformat(), "--id-field", "TBBH", "--yes")
    out = capsys.readouterr()
    assert "易俗河镇" in out.out and "导入完成" in out.out
    assert "导入" in out.err  # the progress bar
    assert LayerVersion.objects.get().feature_count == 2
    patch = PatchBatch.objects.get(code="WP-CLI").patches.get(code="430321202511001")
    assert patch.priority == "high"


def test_cli_refuses_a_missing_crs_and_stores_nothing(officer, tmp_path):
    path = tmp_path / "nocrs.geojson"
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature",'
                    '"properties":{"TBBH":"X1"},"geometry":{"type":"Polygon",'
                    '"coordinates":[[[391000,3080000],[391010,3080000],[391010,3080010],'
                    '[391000,3080000]]]}}]}', encoding="utf-8")
    with on(RECEIVED), pytest.raises(CommandError, match="nocrs"):
        call_command("monitoring_import", "batch", str(path), "--user", officer.username,
                     "--code", "WP-BAD", "--period", "2025-10",
                     "--received-on", RECEIVED.isoformat(), "--yes")
    assert not PatchBatch.objects.exists()
