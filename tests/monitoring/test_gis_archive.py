"""Hostile and broken archives are refused before anything reaches the disk."""

from __future__ import annotations

import stat
import zipfile

import pytest

from fazhi.monitoring.gis import GisError
from fazhi.monitoring.gis.archive import find_datasets, safe_extract
from fazhi.monitoring.gis.read import read
from tests.monitoring.data.builders import boxes, shapefile, zip_of


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
        safe_extract(archive, tmp_path / "out", max_bytes=1_000_000)


def test_a_zip_lying_about_its_sizes_is_stopped_while_extracting(tmp_path):
    archive = _zip(tmp_path / "liar.zip", {"big.dbf": b"\0" * 3_000_000})
    with zipfile.ZipFile(archive) as z:
        info = z.infolist()[0]
    data = bytearray(archive.read_bytes())
    # Patch the declared size (central directory and local header) down to 10 bytes.
    real = info.file_size.to_bytes(4, "little")
    data = data.replace(real, (10).to_bytes(4, "little"))
    archive.write_bytes(bytes(data))
    with pytest.raises((GisError, zipfile.BadZipFile)):
        safe_extract(archive, tmp_path / "out", max_bytes=1_000_000)
    assert (
        not list((tmp_path / "out").glob("*.dbf"))
        or (tmp_path / "out" / "big.dbf").stat().st_size <= 1_000_000
    )


def test_too_many_files_are_refused(tmp_path):
    archive = _zip(tmp_path / "many.zip", {f"f{i}.txt": b"x" for i in range(30)})
    with pytest.raises(GisError, match="文件过多"):
        safe_extract(archive, tmp_path / "out", max_files=20)


def test_a_zipped_shapefile_missing_its_dbf_names_the_missing_part(tmp_path):
    path = shapefile(tmp_path / "src", "图斑", boxes(2), {"TBBH": ["A", "B"]})
    archive = zip_of(path, tmp_path / "nodbf.zip", skip=(".dbf",))
    with pytest.raises(GisError, match="缺少组成文件 图斑.dbf"):
        read(archive)


def test_find_datasets_lists_the_layers_in_a_folder(tmp_path):
    shapefile(tmp_path, "a", boxes(1), {"TBBH": ["A"]})
    (tmp_path / "b.geojson").write_text("{}")
    assert [p.name for p in find_datasets(tmp_path)] == ["a.shp", "b.geojson"]


def test_a_file_that_is_no_zip_is_refused(tmp_path):
    (tmp_path / "x.zip").write_bytes(b"not a zip")
    with pytest.raises(GisError, match="不是有效的 zip"):
        safe_extract(tmp_path / "x.zip", tmp_path / "out")
