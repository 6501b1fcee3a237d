"""GeoJSON for the monitoring maps: patch outlines and the layer features they touch."""

from __future__ import annotations

from django.urls import reverse

from fazhi.monitoring.models import LayerKind, Patch, PatchBatch, Priority

MAP_PATCHES = 2000  # a batch map beyond this shows the soonest-priority patches only

# Outline colours: a patch by its priority, a reference layer by its kind. The
# legend lists those on the map, so the colours mean the same on every map.
PRIORITY_COLOURS = {Priority.HIGH: "#c0392b", Priority.NORMAL: "#d68910",
                    Priority.LOW: "#1e8449"}
LAYER_COLOURS = {LayerKind.BASIC_FARMLAND: "#8e44ad", LayerKind.FARMLAND: "#b7950b",
                 LayerKind.ECO_REDLINE: "#117a65", LayerKind.DEV_BOUNDARY: "#2e86c1",
                 LayerKind.APPROVED_LAND: "#5d6d7e", LayerKind.MINING_RIGHT: "#6e2c00",
                 LayerKind.LAND_SURVEY: "#1f618d"}
OTHER_LAYER = "#2e86c1"


def _feature(patch: Patch, role: str = "patch") -> dict:
    return {"type": "Feature", "geometry": patch.geojson, "properties": {
        "role": role, "code": patch.code, "state": patch.get_state_display(),
        "priority": patch.priority, "colour": PRIORITY_COLOURS.get(patch.priority,
                                                                   "#d68910"),
        "url": reverse("monitoring:patch_detail", args=[patch.pk])}}


def legend(features: list[dict]) -> list[dict]:
    """What each colour on the map means, for the features shown: the patches by
    priority (high first), then each reference layer by name."""
    props = [f["properties"] for f in features]
    shown = {p.get("priority") for p in props if p["role"] == "patch"}
    rows = [{"label": f"图斑（{label}优先）", "colour": PRIORITY_COLOURS[value],
             "kind": "patch"}
            for value, label in Priority.choices if value in shown]
    layers = dict.fromkeys((p["layer"], p["colour"]) for p in props
                           if p["role"] == "layer")
    rows += [{"label": name, "colour": colour, "kind": "layer"}
             for name, colour in layers]
    return rows


def map_data(features: dict, **settings) -> dict:
    """What a map page hands its script: the outlines, their legend, the tiles."""
    return {**settings, "features": features,
            "legend": legend(features["features"])}


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
        for outline in overlap_outlines(overlap):
            props = outline["properties"]
            props["colour"] = LAYER_COLOURS.get(props["kind"], OTHER_LAYER)
            features.append(outline)
    return {"type": "FeatureCollection", "features": features}
