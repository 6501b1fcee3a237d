"""Unpack delivered zip archives safely and find the datasets inside a folder.

A zip from outside is hostile until shown otherwise: a member may point outside the
folder (absolute path, ``..``, a symlink), declare small sizes and expand to gigabytes,
or hold a million tiny files. :func:`safe_extract` refuses all three before and while
writing.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from fazhi.monitoring.gis.errors import GisError

MAX_BYTES = 4 * 1024**3  # a province's parcels as a shapefile stay under 4 GiB
MAX_FILES = 10_000
CHUNK = 1024 * 1024
DATASET_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".fgb")
SHAPEFILE_NEEDS = (".shx", ".dbf")


def safe_extract(
    zip_path: str | Path,
    dest_dir: str | Path,
    *,
    max_bytes: int = MAX_BYTES,
    max_files: int = MAX_FILES,
) -> list[Path]:
    """Extract ``zip_path`` into ``dest_dir`` and return the files written.

    Refuses members outside ``dest_dir``, symlinks, more than ``max_files`` members and
    more than ``max_bytes`` in total (declared sizes first, then bytes actually written).
    """
    zip_path, dest = Path(zip_path), Path(dest_dir).resolve()
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GisError(
            f"不是有效的 zip 压缩包（{exc}），请重新打包后上传", path=zip_path
        ) from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        _check_members(members, dest, zip_path, max_bytes, max_files)
        dest.mkdir(parents=True, exist_ok=True)
        budget = [max_bytes]
        return [_extract_one(archive, m, dest, zip_path, budget) for m in members]


def _check_members(
    members, dest: Path, zip_path: Path, max_bytes: int, max_files: int
) -> None:
    """Refuse the archive from its directory alone, before anything is written."""
    if len(members) > max_files:
        raise GisError(
            f"压缩包内文件过多（{len(members)} 个，上限 {max_files}），请只打包图层文件",
            path=zip_path,
        )
    declared = sum(m.file_size for m in members)
    if declared > max_bytes:
        raise GisError(
            f"压缩包解压后过大（{declared} 字节，上限 {max_bytes}），请拆分后上传",
            path=zip_path,
        )
    for member in members:
        _target(member, dest, zip_path)


def _target(member: zipfile.ZipInfo, dest: Path, zip_path: Path) -> Path:
    """Return where a member goes, refusing absolute paths, ``..`` and symlinks."""
    name = member.filename.replace("\\", "/")
    pure = PurePosixPath(name)
    mode = member.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise GisError(
            f"压缩包含符号链接 {name}，已拒绝；请只打包普通文件", path=zip_path
        )
    if (
        pure.is_absolute()
        or ".." in pure.parts
        or (pure.parts and ":" in pure.parts[0])
    ):
        raise GisError(
            f"压缩包内路径 {name} 指向解压目录之外，已拒绝；请重新打包", path=zip_path
        )
    target = (dest / pure).resolve()
    if not target.is_relative_to(dest):
        raise GisError(
            f"压缩包内路径 {name} 指向解压目录之外，已拒绝；请重新打包", path=zip_path
        )
    return target


def _extract_one(
    archive, member, dest: Path, zip_path: Path, budget: list[int]
) -> Path:
    """Copy one member, counting real bytes against the budget (sizes can lie)."""
    target = _target(member, dest, zip_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with archive.open(member) as src, open(target, "wb") as out:
        while chunk := src.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                out.close()
                target.unlink()
                raise GisError(
                    "压缩包实际解压内容超过上限（声明大小不实），已拒绝", path=zip_path
                )
            out.write(chunk)
    return target


def find_datasets(folder: str | Path) -> list[Path]:
    """Return the vector datasets in ``folder`` (recursively), sorted by path.

    A shapefile missing ``.shx`` or ``.dbf`` is refused, naming the missing parts; a
    missing ``.prj`` is left to :func:`fazhi.monitoring.gis.crs.resolve_crs`.
    """
    found = sorted(
        p
        for p in Path(folder).rglob("*")
        if p.is_file()
        and p.suffix.lower() in DATASET_SUFFIXES
        and "__MACOSX" not in p.parts
    )
    for path in found:
        if path.suffix.lower() == ".shp":
            check_shapefile_parts(path)
    return found


def check_shapefile_parts(shp: Path) -> None:
    """Refuse a shapefile whose ``.shx`` or ``.dbf`` is missing, naming them."""
    present = {p.suffix.lower() for p in siblings(shp)}
    missing = [shp.stem + s for s in SHAPEFILE_NEEDS if s not in present]
    if missing:
        raise GisError(
            f"Shapefile 缺少组成文件 {'、'.join(missing)}，请把同名的 .shp/.shx/.dbf/.prj（及 .cpg）一起打包",
            path=shp,
        )


def siblings(path: Path) -> list[Path]:
    """Return the files beside ``path`` with the same stem (a shapefile's parts)."""
    return [p for p in path.parent.iterdir() if p.stem == path.stem and p.is_file()]
