"""``fazhi monitoring_import``: import a layer version or a patch batch from the CLI.

The same two phases as the web page: the file is read and previewed (decoded names,
coordinate system, bad geometries), the person confirms, then it lands whole or not
at all. Progress shows as a bar on stderr; a failed run may simply be run again.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from fazhi.core.models import User
from fazhi.monitoring import importing
from fazhi.monitoring.models import JobState, LayerKind
from fazhi.monitoring.overlay_cli import ProgressBar


class Command(BaseCommand):
    help = "导入基础图层（layer）或卫片图斑批次（batch）：先预览核对，确认后整体导入"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["layer", "batch"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="办理人用户名（执法人员）")
        parser.add_argument("--encoding", default="", help="属性编码，如 GBK、UTF-8")
        parser.add_argument("--crs", default="", help="坐标系，如 EPSG:4547（缺少 .prj 时）")
        parser.add_argument("--id-field", default="", help="编号字段")
        parser.add_argument("--repair", action="store_true", help="自动修复无效几何")
        parser.add_argument("--yes", action="store_true", help="不询问，直接确认导入")
        layer = parser.add_argument_group("图层")
        layer.add_argument("--layer-kind", choices=LayerKind.values)
        layer.add_argument("--name", default="")
        layer.add_argument("--key-field", default="")
        layer.add_argument("--valid-until-field", default="")
        batch = parser.add_argument_group("图斑批次")
        batch.add_argument("--code", default="")
        batch.add_argument("--period", default="")
        batch.add_argument("--source", default="satellite")
        batch.add_argument("--received-on", default="")
        batch.add_argument("--imagery-before", default="")
        batch.add_argument("--imagery-after", default="")
        batch.add_argument("--check-due-on", default="")

    def handle(self, *args, **o):
        actor = User.objects.filter(username=o["user"]).first()
        if actor is None:
            raise CommandError(f"没有用户 {o['user']}")
        if not o["file"].is_file():
            raise CommandError(f"找不到文件 {o['file']}")
        bar = ProgressBar(sys.stderr)
        job = self._create(actor, o)
        job = importing.job_run(job.pk, echo=bar.stage("读取"))
        bar.clear()
        self._fail_if(job)
        self._preview(job)
        if not o["yes"] and input("核对无误，确认导入？[y/N] ").strip().lower() != "y":
            self.stdout.write("已放弃，没有导入任何数据")
            return
        choices = {"encoding": job.params.get("encoding", ""), "crs": o["crs"],
                   "id_field": job.params.get("id_field", ""),
                   "invalid": "repair" if o["repair"] else "reject"}
        importing.job_confirm(job=job, actor=actor, choices=choices)
        job = importing.job_run(job.pk, echo=bar.stage("导入"))
        bar.clear()
        self._fail_if(job)
        self.stdout.write(f"导入完成（{job.kind} #{job.result_id}）")

    def _create(self, actor, o):
        keys = ("encoding", "crs", "id_field") + (
            ("name", "key_field", "valid_until_field") if o["kind"] == "layer" else
            ("code", "period", "source", "received_on", "imagery_before",
             "imagery_after", "check_due_on"))
        params = {k: o[k] for k in keys if o.get(k)}
        if o["kind"] == "layer":
            params["kind"] = o["layer_kind"] or ""
        try:
            with o["file"].open("rb") as fh:
                return importing.job_create(actor=actor, kind=o["kind"],
                                            file=File(fh, name=o["file"].name),
                                            params=params)
        except Exception as exc:  # noqa: BLE001 - every refusal is shown the same way
            raise CommandError("；".join(getattr(exc, "messages", [str(exc)]))) from None

    def _fail_if(self, job) -> None:
        if job.state == JobState.FAILED:
            raise CommandError(f"未导入：{job.error}")

    def _preview(self, job) -> None:
        i = job.params["inspection"]
        self.stdout.write(f"{i['format']}：{i['feature_count']} 个要素，编码 "
                          f"{i['encoding'] or '—'}（{i['encoding_source']}），"
                          f"坐标系 EPSG:{i['crs']}，编号字段 {i['id_field'] or '—'}")
        if i.get("crs_problem"):
            self.stdout.write(f"坐标系问题：{i['crs_problem']}")
        for row in i["preview"][:5]:
            self.stdout.write("  " + "，".join(f"{k}={v}" for k, v in list(row.items())[:6]))
        if i["problem_count"]:
            self.stdout.write(f"无效几何 {i['problem_count']} 个：" + "；".join(
                f"{fid}（{why}）" for fid, why in i["problems"][:10]))
