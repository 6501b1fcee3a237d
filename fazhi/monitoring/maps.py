"""GeoJSON for the monitoring maps: patch outlines and the layer features they touch."""

from __future__ import annotations

from django.urls import reverse

from fazhi.monitoring.models import Patch, PatchBatch

MAP_PATCHES = 2000  # a batch map beyond this shows the soonest-priority patches only


def _feature(patch: Patch, role: str = "patch") -> dict:
    return {"type": "Feature", "geometry": patch.geojson, "properties": {
        "role": role, "code": patch.code, "state": patch.get_state_display(),
        "priority": patch.priority, "url": reverse("monitoring:patch_detail",
                                                   args=[patch.pk])}}


def batch_features(batch: PatchBatch) -> dict:
    """The batch's patch outlines (high priority first, at most MAP_PATCHES)."""
    # "batch" too: the related manager sets each patch's batch, and reading a
    # deferred batch_id would cost one query per patch.
    patches = batch.patches.only("pk", "batch", "code", "state", "priority",
                                 "geojson").order_by(
        "priority", "code")[:MAP_PATCHES]
    return {"type": "FeatureCollection", "features": [_feature(p) for p in patches]}


def patch_features(patch: Patch) -> dict:
    """The patch outline and the outlines of the reference features it overlaps."""
    from fazhi.monitoring.importing import overlap_outlines

    features = [_feature(patch)]
    for overlap in patch.overlaps.select_related("layer_version__layer"):
        features.extend(overlap_outlines(overlap))
    return {"type": "FeatureCollection", "features": features}
