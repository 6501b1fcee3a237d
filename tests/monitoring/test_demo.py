"""The monitoring demo: believable layers for 湘潭县 and a batch in every state; a
drone flight for 湘乡市 with two field checks gone late."""

from __future__ import annotations

import pytest
import shapely

from fazhi.monitoring import demo
from fazhi.monitoring.models import LayerVersion, Patch, PatchState

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_demo_batch_reaches_every_state_and_is_safe_to_load_again(people):
    assert demo.load(prefix="xt") == 40
    states = set(Patch.objects.values_list("state", flat=True))
    assert states == set(PatchState.values)
    assert Patch.objects.filter(lead__isnull=False).exists()
    assert demo.load(prefix="xt") == 0


def test_demo_flight_of_xiangxiang_has_two_late_field_checks(people):
    from django.utils import timezone

    from fazhi.monitoring.models import CheckTask

    assert demo.load(prefix="xx") == 6
    patches = Patch.objects.filter(org_unit__division_code="430381")
    assert {p.code[:6] for p in patches} == {"430381"}
    assert {p.location for p in patches} <= set(demo.XX_TOWNS)
    late = CheckTask.objects.filter(assignee=people.xx_officer, state="open",
                                    due_on__lt=timezone.localdate())
    assert late.count() == 2
    assert demo.load(prefix="xx") == 0


def test_demo_farmland_parcels_are_irregular_not_squares(people):
    demo.load(prefix="xt")
    version = LayerVersion.objects.get(layer__kind="basic_farmland")
    import numpy as np

    from fazhi.monitoring.importing import layer_store

    geoms = layer_store(version).geometries(np.arange(200))
    vertices = shapely.get_num_coordinates(geoms)
    boxes = shapely.area(shapely.envelope(geoms))
    assert np.median(vertices) > 8
    assert np.median(shapely.area(geoms) / boxes) < 0.9  # not rectangles
