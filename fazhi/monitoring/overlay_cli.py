"""``fazhi overlay``: overlay change patches on reference layers, without Django.

Runs on the same GIS core as the web import, with no database and no settings, so a
bureau can check figures on any machine::

    fazhi overlay --patches 图斑.zip --layer 永久基本农田=jbnt.shp --layer 生态保护红线=sthx.gpkg \\
        --out 结果.csv

One CSV row per patch and layer with any overlap: patch_id, layer, overlap_m2,
overlap_mu (亩), share (of the patch), feature_ids (joined with ';'). A layer's
feature ids are its FIDs unless ``--layer-id NAME=FIELD`` names a field.

The patches are read whole; of each layer file only the features whose boxes meet a
patch's box are read (through the file's own index, see ``gis.nearby``), checked and
held, a spatial chunk of patches at a time — a county's million parcels are never all
read, nor all in memory.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from fazhi.core.sheets import csv_write
from fazhi.monitoring.gis import GisError
from fazhi.monitoring.gis.nearby import overlay_file
from fazhi.monitoring.gis.overlay import OverlapRow
from fazhi.monitoring.gis.read import read

HEADER = ("patch_id", "layer", "overlap_m2", "overlap_mu", "share", "feature_ids")


class ChineseParser(argparse.ArgumentParser):
    """An argument parser whose errors are one Chinese line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"参数错误：{message}（用 fazhi overlay --help 查看用法）\n")


def parser() -> argparse.ArgumentParser:
    """Return the command's argument parser."""
    p = ChineseParser(
        prog="fazhi overlay", description="卫片图斑与参考图层叠加分析（不需要数据库）"
    )
    p.add_argument(
        "--patches",
        required=True,
        type=Path,
        help="图斑文件（.shp/.zip/.gpkg/.geojson/.fgb）",
    )
    p.add_argument(
        "--layer",
        action="append",
        required=True,
        metavar="NAME=FILE",
        help="参考图层，如 永久基本农田=jbnt.shp；可重复",
    )
    p.add_argument(
        "--layer-id",
        action="append",
        default=[],
        metavar="NAME=FIELD",
        help="参考图层的要素编号字段，如 永久基本农田=BSM；默认用要素号（FID）",
    )
    p.add_argument("--out", required=True, type=Path, help="结果 CSV 文件")
    p.add_argument(
        "--id-field", help="图斑编号字段（默认取第一个取值唯一的字段，如 TBBH）"
    )
    p.add_argument(
        "--encoding",
        help="Shapefile 属性编码（GBK 或 UTF-8），缺少 .cpg 且无法判断时需要",
    )
    p.add_argument(
        "--crs", help="坐标系，如 EPSG:4547，缺少 .prj 时需要；对所有输入文件生效"
    )
    p.add_argument(
        "--repair", action="store_true", help="自动修复无效几何（默认拒绝并列出）"
    )
    p.add_argument("--workers", type=int, default=2, help="并行线程数（默认 2）")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit code (2 for bad input, with a Chinese message)."""
    args = parser().parse_args(argv)
    bar = ProgressBar(sys.stderr)
    try:
        rows = run(args, bar)
        write_csv(args.out, rows)
    except GisError as exc:
        bar.clear()
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        bar.clear()
        print(
            f"错误：无法写入或读取文件 {exc.filename}：{exc.strerror}，请检查路径和权限",
            file=sys.stderr,
        )
        return 2
    bar.clear()
    print(f"完成：{len(rows)} 行写入 {args.out}", file=sys.stderr)
    return 0


def run(args: argparse.Namespace, bar: ProgressBar) -> list[OverlapRow]:
    """Read the patches and layers, overlay each layer, return the rows in order."""
    layers = [_layer_arg(text) for text in args.layer]
    id_fields = dict(_layer_arg(text, what="--layer-id", example="永久基本农田=BSM")
                     for text in args.layer_id)
    unknown = set(id_fields) - {name for name, _ in layers}
    if unknown:
        raise GisError(f"--layer-id 指定的图层 {'、'.join(sorted(unknown))} "
                       "不在 --layer 中")
    invalid = "repair" if args.repair else "reject"
    options = {"encoding": args.encoding, "crs": args.crs, "invalid": invalid}
    patches = read(
        args.patches, id_field=args.id_field, progress=bar.stage("读取图斑"), **options
    )
    _say_repaired(args.patches, patches.repaired)
    rows: list[OverlapRow] = []
    for name, path in layers:
        done = overlay_file(
            patches.ids,
            patches.geoms,
            patches.crs,
            path,
            layer_name=name,
            id_field=id_fields.get(name),
            workers=args.workers,
            progress=bar.stage(f"叠加{name}"),
            **options,
        )
        _say_repaired(Path(path), done.repaired)
        rows += done.rows
    order = {pid: i for i, pid in enumerate(patches.ids)}
    rank = {name: i for i, (name, _) in enumerate(layers)}
    return sorted(rows, key=lambda r: (order[r.patch_id], rank[r.layer]))


def _layer_arg(
    text: str, *, what: str = "--layer", example: str = "永久基本农田=jbnt.shp"
):
    """Split ``NAME=FILE`` (or ``NAME=FIELD``)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        kind = "文件" if what == "--layer" else "字段"
        raise GisError(f"{what} 参数“{text}”应写成 名称={kind}，如 {example}")
    return name.strip(), (Path(value.strip()) if what == "--layer" else value.strip())


def _say_repaired(path: Path, repaired: list[tuple[str, str]]) -> None:
    """Tell the user which features were repaired or dropped."""
    for fid, reason in repaired:
        print(f"提示：{path.name} 要素 {fid}：{reason}", file=sys.stderr)


def write_csv(path: Path, rows: list[OverlapRow]) -> None:
    """Write the rows: m² and 亩 with 2 decimals, share with 4, ids joined with ';'.

    Ids and layer names come from the files: one that could read as a formula is
    written with a leading apostrophe (see ``fazhi.core.sheets``).
    """
    csv_write(path, HEADER, (
        [r.patch_id, r.layer, f"{r.overlap_m2:.2f}", f"{r.overlap_mu:.2f}",
         f"{r.share:.4f}", ";".join(r.feature_ids)]
        for r in rows), numbers=(2, 3, 4))


class ProgressBar:
    """A one-line text progress bar on stderr: stage, bar, percent, counts."""

    WIDTH = 30

    def __init__(self, stream) -> None:
        self.stream = stream
        self.last = 0.0
        self.shown = False

    def stage(self, name: str):
        """Return a progress callback (stage, done, total) labelled ``name``."""
        return lambda _stage, done, total: self.show(name, done, total)

    def show(self, name: str, done: int, total: int) -> None:
        """Redraw the bar, at most ten times a second (and at the end)."""
        now = time.monotonic()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        frac = done / total if total else 1.0
        filled = int(frac * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{name} [{bar}] {frac:6.1%} {done}/{total}\033[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        """End the bar's line before other output."""
        if self.shown:
            self.stream.write("\n")
            self.shown = False


if __name__ == "__main__":
    sys.exit(main())
