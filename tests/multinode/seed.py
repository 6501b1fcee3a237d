"""Seed the multi-node test's database, run in a subprocess with a node's settings.

The demo's people, two small layers and a batch of 湘潭县 (the monitoring tests'
shapes), and a field check of patch P1 for xt_officer. The layers are indexed
through object storage like any import on a cluster.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def main() -> None:
    import django

    django.setup()
    from fazhi.core.demo import demo_load
    from fazhi.core.models import User
    from fazhi.monitoring import services
    from tests.conftest import PASSWORD
    from tests.monitoring.conftest import (
        APPROVED,
        FARMLAND,
        PATCHES,
        RECEIVED,
        geojson_file,
        import_batch,
        import_layer,
        on,
    )

    demo_load(PASSWORD)
    officer = User.objects.get(username="xt_officer")
    folder = Path(tempfile.mkdtemp(prefix="fazhi-seed-"))
    with on(RECEIVED):
        import_layer(officer, geojson_file(folder / "jbnt.geojson", FARMLAND),
                     kind="basic_farmland", name="永久基本农田")
        import_layer(officer, geojson_file(folder / "pd.geojson", APPROVED),
                     kind="approved_land", name="批准建设用地", key_field="PZWH")
        batch = import_batch(officer, geojson_file(folder / "tb.geojson", PATCHES))
        patch = batch.patches.get(code="430321202511001")
        task = services.task_assign(patch=patch, assignee=officer, actor=officer)
    json.dump({"task": task.pk, "batch": batch.pk}, sys.stdout)


if __name__ == "__main__":
    main()
