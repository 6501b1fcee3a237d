"""Print how LibreOffice sets every instrument kind: characters on a full line, pages.

    PYTHONPATH=. .venv/bin/python bench/instrument_layout.py [folder [templates...]]

``templates`` are folders laid out as FAZHI_TEMPLATE_DIRS (<dir>/<app>/<file>), to
measure other templates than the shipped ones (e.g. an older version's).

Every placeholder is filled with the same plain sentence, so the figures compare
templates, not cases. Needs LibreOffice and pdftotext (tests/print_layout.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
os.environ.setdefault("FAZHI_DEBUG", "1")
os.environ.setdefault("FAZHI_DATA_DIR", tempfile.mkdtemp(prefix="fazhi-layout-"))
django.setup()

from fazhi.core.docx_render import placeholders_in, render_docx  # noqa: E402
from fazhi.core.instruments import instrument_kinds, instrument_template_path  # noqa: E402
from tests.print_layout import (  # noqa: E402
    convert,
    lines_to_the_right_margin,
    pages,
    slots,
)

FILLER = "经现场核查该宗土地位于村民小组集体土地范围内，现状为耕地，" * 2


def filled(path: Path) -> bytes:
    return render_docx(path, {n: FILLER for n in placeholders_in(path)})


def main(folder: Path, templates: list[Path]) -> None:
    print(f"{'kind':38} {'3号 characters on full lines':>28} {'pages':>6}")
    for code, kind in sorted(instrument_kinds([]).items()):
        if not kind.template:
            continue
        pdf = convert(filled(instrument_template_path(kind, templates)), folder,
                      code.replace(".", "_"))
        doc = pages(pdf)
        # 3号 lines only (7.3 mm glyph boxes): a 2号 title line holds 20.
        counts = sorted({round(slots(ln)) for ln in lines_to_the_right_margin(doc)
                         if ln.bottom_mm - ln.top_mm < 9 and ln.width > 4})
        print(f"{code:38} {'/'.join(map(str, counts)) or '-':>28} {len(doc):>6}")


if __name__ == "__main__":
    args = sys.argv[1:]
    dirs = [Path(a) for a in args[1:]]
    if args:
        main(Path(args[0]), dirs)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp), dirs)
