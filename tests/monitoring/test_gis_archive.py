"""Hostile and broken archives are refused before anything reaches the disk."""

from __future__ import annotations

import stat
import zipfile

import pytest

from fazhi.monitoring.gis import GisError
from fazhi.monitoring.gis.archive import ArchiveLimits, find_datasets, safe_extract
from fazhi.monitoring.gis.read import read
from tests.monitoring.data.builders import (
    bomb_zip,
    boxes,
    lying_zip,
    shapefile,
    zip_of,
)


def _zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_a_member_climbing_out_with_dotdot_is_refused(tmp_path):
    archive = _zip(tmp_path / "a.zip", {"ok.txt": b"x", "../evil.txt": b"x"})
    with pytest.raises(GisError, match="解压目录之外"):
        safe_extract(archive, tmp_path / "out")
    assert (
        not (tmp_path / "evil.txt").exists()
        and not (tmp_path / "out" / "ok.txt").exists()
    )


def test_an_absolute_member_path_is_refused(tmp_path):
    archive = _zip(tmp_path / "a.zip", {"/tmp/evil.txt": b"x"})
    with pytest.raises(GisError, match="解压目录之外"):
        safe_extract(archive, tmp_path / "out")


def test_a_symlink_member_is_refused(tmp_path):
    info = zipfile.ZipInfo("link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as archive:
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(GisError, match="符号链接"):
        safe_extract(tmp_path / "a.zip", tmp_path / "out")


def test_a_zip_bomb_over_the_limit_is_refused_by_its_declared_size(tmp_path):
    archive = _zip(tmp_path / "bomb.zip", {"big.dbf": b"\0" * 5_000_000})
    assert archive.stat().st_size < 50_000
    with pytest.raises(GisError, match="过大"):
        safe_extract(archive, tmp_path / "out", limits=ArchiveLimits(max_bytes=10**6))


def test_a_highly_compressible_member_is_refused_before_anything_is_written(
    tmp_path,
):
    # 64 MB of filler: far under the 1 GiB cap, but packed ~1 000:1 as no layer is.
    archive = bomb_zip(tmp_path / "bomb.zip")
    with pytest.raises(GisError, match="疑为恶意构造的压缩包") as refused:
        safe_extract(archive, tmp_path / "out")
    assert "bomb.zip" in str(refused.value) and "倍" in str(refused.value)
    assert not (tmp_path / "out").exists()


def test_a_member_declaring_a_small_size_but_expanding_large_is_stopped(tmp_path):
    archive = lying_zip(tmp_path / "liar.zip")
    with pytest.raises(GisError, match=r"liar\.zip.*压缩包内 big\.dbf"):
        safe_extract(archive, tmp_path / "out")
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []


def test_a_real_shapefile_zip_passes_the_default_limits(tmp_path):
    path = shapefile(tmp_path / "src", "图斑", boxes(3), {"TBBH": ["A", "B", "C"]})
    archive = zip_of(path, tmp_path / "ok.zip")
    names = {p.name for p in safe_extract(archive, tmp_path / "out")}
    assert {"图斑.shp", "图斑.dbf", "图斑.shx"} <= names


def test_too_many_files_are_refused(tmp_path):
    archive = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(30)})
    with pytest.raises(GisError, match="文件过多"):
        safe_extract(archive, tmp_path / "out", limits=ArchiveLimits(max_files=20))


def test_a_zipped_shapefile_missing_its_dbf_names_the_missing_part(tmp_path):
    path = shapefile(tmp_path / "src", "图斑", boxes(2), {"TBBH": ["A", "B"]})
    archive = zip_of(path, tmp_path / "nodbf.zip", skip=(".dbf",))
    with pytest.raises(GisError, match=r"缺少组成文件 图斑\.dbf"):
        read(archive)


def test_find_datasets_lists_the_layers_in_a_folder(tmp_path):
    shapefile(tmp_path, "a", boxes(1), {"TBBH": ["A"]})
    (tmp_path / "b.geojson").write_text("{}")
    assert [p.name for p in find_datasets(tmp_path)] == ["a.shp", "b.geojson"]


def test_a_file_that_is_no_zip_is_refused(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    with pytest.raises(GisError, match="不是有效的 zip"):
        safe_extract(tmp_path / "x.zip", tmp_path / "out")
