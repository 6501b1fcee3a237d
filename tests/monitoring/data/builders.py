"""Small data builders for the GIS core tests (EPSG:4547 unless told)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import shapely

from fazhi.monitoring.gis.write import write_layer

DATA = Path(__file__).resolve().parent
X0, Y0 = 380_000.0, 3_070_000.0


def boxes(n: int, *, size: float = 100.0, x0: float = X0, y0: float = Y0) -> np.ndarray:
    """Return ``n`` squares of ``size`` m side by side along x."""
    return np.array(
        [
            shapely.box(x0 + i * size, y0, x0 + (i + 1) * size, y0 + size)
            for i in range(n)
        ]
    )


def shapefile(
    folder: Path,
    name: str,
    geoms: np.ndarray,
    attrs: dict,
    *,
    encoding="GBK",
    epsg: int = 4547,
    cpg: bool = True,
    prj: bool = True,
) -> Path:
    """Write a shapefile; drop its .cpg or .prj when told."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.shp"
    write_layer(
        path,
        geoms,
        {
            k: np.array(v, dtype=object if isinstance(v[0], str) else None)
            for k, v in attrs.items()
        },
        epsg=epsg,
        encoding=encoding,
    )
    if not cpg:
        path.with_suffix(".cpg").unlink()
    if not prj:
        path.with_suffix(".prj").unlink()
    return path


def zip_of(path: Path, target: Path, *, skip: tuple[str, ...] = ()) -> Path:
    """Zip a shapefile's parts (except the ``skip`` suffixes) into ``target``."""
    with zipfile.ZipFile(target, "w") as archive:
        for part in sorted(path.parent.glob(path.stem + ".*")):
            if part.suffix.lower() not in skip:
                archive.write(part, part.name)
    return target
