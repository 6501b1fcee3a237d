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



def _layer_parts(archive: zipfile.ZipFile, layer: Path | None) -> None:
    """Add a shapefile's parts to ``archive``, so the zip reads as a real layer."""
    if layer is not None:
        for part in sorted(layer.parent.glob(layer.stem + ".*")):
            archive.write(part, part.name)


def bomb_zip(target: Path, *, layer: Path | None = None, mb: int = 64) -> Path:
    """Zip ``mb`` MB of zero bytes (packing about 1 000:1) beside ``layer``'s parts."""
    block = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _layer_parts(archive, layer)
        with archive.open("big.dbf", "w", force_zip64=True) as out:
            for _ in range(mb):
                out.write(block)
    return target


def lying_zip(
    target: Path, *, layer: Path | None = None, real: int = 3_000_000
) -> Path:
    """Zip ``real`` bytes as a member whose headers say 10 bytes, beside ``layer``."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _layer_parts(archive, layer)
        archive.writestr("big.dbf", b"\0" * real)
    data = target.read_bytes()
    # The size sits in the local header and the central directory, 4 bytes LE.
    target.write_bytes(data.replace(real.to_bytes(4, "little"), b"\x0a\0\0\0"))
    with zipfile.ZipFile(target) as archive:
        assert archive.getinfo("big.dbf").file_size == 10
    return target


def empty_gpkg(target: Path) -> Path:
    """Write a GeoPackage polygon layer with its fields and a CRS but no feature."""
    write_layer(target, np.empty(0, dtype=object),
                {"BH": np.array([], dtype=object)}, epsg=4547)
    return target
