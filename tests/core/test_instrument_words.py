"""No issued instrument carries a software name, placeholder or developer word.

What fazhi prints is served on parties and read by courts: where the bureau has not
adopted a rule set, an instrument cites the law alone, never the system's presets.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from fazhi.core.evidence import evidence_open
from fazhi.core.models import Instrument

pytestmark = pytest.mark.demo

# Words no instrument may carry: the software's name, placeholder markers, developer
# references (rule ids, docs paths, setting names).
FORBIDDEN = re.compile(
    r"fazhi|UNCONFIRMED|DEFAULT|默认基准|系统默认|系统预置|默认值|待本局确认|未经核实"
    r"|docs/|\.toml|\.md\b|FAZHI_|TODO|PLACEHOLDER",
    re.IGNORECASE,
)


def text_of(instrument: Instrument) -> str:
    """Every paragraph of the stored .docx, table cells, headers and footers included."""
    with evidence_open(instrument.evidence) as f:
        doc = Document(f)
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
    return "\n".join(Paragraph(p, None).text for part in parts
                     for p in part.iter(qn("w:p")))


def test_no_demo_instrument_carries_a_placeholder_or_software_word(db):
    from fazhi.enforcement.cases.documents import case_document_issue
    from fazhi.enforcement.models import Case

    with time_machine.travel("2026-12-01 12:00 +0800", tick=False):
        call_command("demo_load")
        # the demo decides cases without printing them: print each decision too
        for case in Case.objects.filter(decided_on__isnull=False):
            case_document_issue(case=case, kind="decision",
                                actor=case.officers.order_by("pk").first())
    assert Instrument.objects.filter(kind="enforcement.decision").exists()
    issued = list(Instrument.objects.select_related("evidence"))
    assert len(issued) > 100
    found = {}
    for instrument in issued:
        for line in text_of(instrument).splitlines():
            if FORBIDDEN.search(line):
                found.setdefault(instrument.kind, set()).add(line.strip())
    assert not found, "\n".join(f"{k}: {v}" for k, lines in sorted(found.items())
                                  for v in sorted(lines))
