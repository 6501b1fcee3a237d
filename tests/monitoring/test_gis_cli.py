"""``fazhi overlay`` end to end through the installed command, without Django."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from tests.monitoring.data.builders import DATA, boxes, shapefile

FAZHI = Path(sys.executable).with_name("fazhi")


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["FAZHI_DATA_DIR"] = "/nonexistent/fazhi-data"  # must never be needed
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    env["PYTHONPATH"] = str(Path(__file__).parents[2])  # this checkout's code
    return subprocess.run(
        [str(FAZHI), "overlay", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_command_writes_one_row_per_patch_and_layer_with_overlap(tmp_path):
    out = tmp_path / "结果.csv"
    done = _run(
        "--patches",
        str(DATA / "golden_patches.geojson"),
        "--layer",
        f"耕地={DATA / 'golden_parcels.geojson'}",
        "--out",
        str(out),
        tmp_path=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [
        "patch_id",
        "layer",
        "overlap_m2",
        "overlap_mu",
        "share",
        "feature_ids",
    ]
    # Feature ids are the layer's FIDs (GeoJSON counts from 0) unless a field is named.
    assert rows[1:] == [
        ["4303212025000001", "耕地", "5000.00", "7.50", "1.0000", "0;1"],
        ["4303212025000002", "耕地", "3125.00", "4.69", "0.3125", "1;2"],
        ["4303212025000004", "耕地", "400.00", "0.60", "1.0000", "0"],
    ]
    assert "叠加耕地" in done.stderr and "完成" in done.stderr


def test_a_named_layer_id_field_gives_its_values(tmp_path):
    out = tmp_path / "r.csv"
    done = _run(
        "--patches",
        str(DATA / "golden_patches.geojson"),
        "--layer",
        f"耕地={DATA / 'golden_parcels.geojson'}",
        "--layer-id",
        "耕地=BSM",
        "--out",
        str(out),
        tmp_path=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    ids = [row.split(",")[-1] for row in out.read_text("utf-8").splitlines()[1:]]
    assert ids == ["1;2", "2;3", "1"]
    wrong = _run(
        "--patches",
        str(DATA / "golden_patches.geojson"),
        "--layer",
        f"耕地={DATA / 'golden_parcels.geojson'}",
        "--layer-id",
        "农田=BSM",
        "--out",
        str(out),
        tmp_path=tmp_path,
    )
    assert wrong.returncode == 2 and "农田" in wrong.stderr


def test_the_command_runs_without_django_settings_or_a_data_dir(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys\n"
        "sys.argv = ['fazhi', 'overlay', '--help']\n"
        "from fazhi import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "import os\nassert 'DJANGO_SETTINGS_MODULE' not in os.environ\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        FAZHI_DATA_DIR="/nonexistent/fazhi-data",
        PYTHONPATH=str(Path(__file__).parents[2]),
    )
    done = subprocess.run(
        [sys.executable, str(probe)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_bad_input_gives_a_chinese_error_naming_the_file_and_exit_code_2(tmp_path):
    patches = shapefile(tmp_path, "图斑", boxes(2), {"TBBH": ["A", "B"]}, prj=False)
    done = _run(
        "--patches",
        str(patches),
        "--layer",
        f"耕地={DATA / 'golden_parcels.geojson'}",
        "--out",
        str(tmp_path / "r.csv"),
        tmp_path=tmp_path,
    )
    assert done.returncode == 2
    assert "图斑.prj" in done.stderr and "EPSG:4547" in done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "r.csv").exists()


def test_a_stated_crs_lets_the_command_run(tmp_path):
    patches = shapefile(tmp_path, "图斑", boxes(2), {"TBBH": ["A", "B"]}, prj=False)
    done = _run(
        "--patches",
        str(patches),
        "--layer",
        f"耕地={DATA / 'golden_parcels.geojson'}",
        "--crs",
        "EPSG:4547",
        "--out",
        str(tmp_path / "r.csv"),
        tmp_path=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "r.csv").read_text("utf-8").splitlines()
    assert lines[1] == "A,耕地,10000.00,15.00,1.0000,0"  # parcel FID 0


def test_a_malformed_layer_argument_is_a_usage_error(tmp_path):
    done = _run(
        "--patches",
        str(DATA / "golden_patches.geojson"),
        "--layer",
        "no-equals-sign",
        "--out",
        str(tmp_path / "r.csv"),
        tmp_path=tmp_path,
    )
    assert (
        done.returncode == 2
        and "名称=文件" in done.stderr
        and "Traceback" not in done.stderr
    )
    missing = _run("--layer", "a=b", tmp_path=tmp_path)
    assert missing.returncode == 2 and "参数错误" in missing.stderr
