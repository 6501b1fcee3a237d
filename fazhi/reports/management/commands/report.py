"""``fazhi report annual --org CODE --year YYYY --out FILE.docx``: write the annual
report as a GB/T 9704 .docx.

When the bureau has started the report in the browser, its header, its staff's
edits and (once signed) the figures it was signed with are used; otherwise a fresh
draft is written from the records, with the default addressee and signature.
Progress goes to stderr, the check's findings too; the file is written whole.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.management.bureau import bureau_argument, bureau_named
from fazhi.reports import annual, annual_facts, check, render_docx, services
from fazhi.reports.models import AnnualReport


class Command(BaseCommand):
    help = "生成法治政府建设年度报告（GB/T 9704 版式的 Word 文件）"

    def add_arguments(self, parser):
        options = parser.add_subparsers(dest="what", required=True).add_parser(
            "annual", help="年度报告 .docx")
        bureau_argument(options)
        options.add_argument("--year", required=True, type=int,
                             help="报告年度，如 2025")
        options.add_argument("--out", required=True, type=Path,
                             help="输出文件，如 报告.docx")

    def handle(self, *args, **o):
        org = bureau_named(o["org"])
        out: Path = o["out"]
        if out.suffix.lower() != ".docx":
            raise CommandError(f"输出文件应以 .docx 结尾：{out}")
        if not out.parent.is_dir():
            raise CommandError(f"输出目录不存在：{out.parent}")
        report = AnnualReport.objects.filter(org_unit=org, year=o["year"]).first()
        doc, facts, problems = self._document(org, o["year"], report)
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(render_docx.render(doc, author=org.name,
                                           upward=annual.upward_of(facts)))
        tmp.replace(out)
        for p in problems:
            self.stderr.write(f"  待处理：{p.message}")
        basis = (f"第{services.latest_version(report).number}版" if report
                 else "系统中尚未起草，按默认发文要素生成")
        self.stderr.write(f"已写出 {out}（{basis}；签发前待处理 {len(problems)} 项）")

    def _document(self, org, year: int, report):
        def progress(i, n, mid):
            sys.stderr.write(f"\r计算指标 {i}/{n} {mid:<40}")
            if i == n:
                sys.stderr.write("\n")

        if report is not None:
            doc, facts, edits = services.report_document(report, progress=progress)
        else:
            facts = annual_facts.report_facts(org=org, year=year, progress=progress,
                                              header={
                "signing_org": org.name,
                "addressee": annual.default_addressee(org.division_name)})
            edits = {}
            doc = annual.assemble(facts)
        return doc, facts, check.report_check(doc, facts, edits)
