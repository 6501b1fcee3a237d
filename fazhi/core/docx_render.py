"""Fill ``{{name}}`` placeholders in a .docx template (pure: no Django, no settings).

Word splits text into runs wherever formatting, spell-checking or an edit history
changes, so ``{{requester_name}}`` may arrive as ``{{``, ``requester_`` and ``name}}``
in three runs. A placeholder is therefore found in the paragraph's joined text and
written into the run where it starts, keeping that run's formatting; the runs it
spanned lose only the placeholder's characters, so text around it keeps its own.

A list value repeats its paragraph once per item (an empty list removes the
paragraph). A placeholder the context does not fill is an error naming it: a
bureau that mistypes a name in its template must learn of it before a citizen
receives a letter addressed to "{{requester_nme}}".
"""

from __future__ import annotations

import copy
import io
import os
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from os import PathLike
from typing import IO

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

Value = str | Sequence[str]
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_STORY_RELS = (RT.HEADER, RT.FOOTER, RT.FOOTNOTES, RT.ENDNOTES)


class InstrumentError(ValueError):
    """An instrument cannot be produced; the message says why, in Chinese."""


def render_docx(
    template: str | PathLike | IO[bytes], context: Mapping[str, Value]
) -> bytes:
    """Return the template's bytes with every placeholder filled from ``context``."""
    try:
        doc = _open(template)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError,
            OSError) as exc:
        raise InstrumentError(f"文书模板无法打开：{template}（{exc}）") from None
    values = _normalise(context)
    paragraphs = [p for root in _story_roots(doc) for p in root.iter(qn("w:p"))]
    _check_placeholders(paragraphs, values)
    for p in paragraphs:
        _fill(Paragraph(p, None), values)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def placeholders_in(template: str | PathLike | IO[bytes]) -> set[str]:
    """Return the names of the placeholders a template uses."""
    doc = _open(template)
    return {
        name
        for root in _story_roots(doc)
        for p in root.iter(qn("w:p"))
        for name in PLACEHOLDER.findall(_text(Paragraph(p, None)))
    }


def _open(template: str | PathLike | IO[bytes]):
    return Document(os.fspath(template) if isinstance(template, PathLike) else template)


def _normalise(context: Mapping[str, Value]) -> dict[str, str | list[str]]:
    return {key: _as_text(value) for key, value in context.items()}


def _as_text(value) -> str | list[str]:
    if isinstance(value, list | tuple):
        return ["" if v is None else str(v) for v in value]
    return "" if value is None else str(value)


def _story_roots(doc) -> Iterator:
    """Yield the body, then every header, footer and note part's root element."""
    yield doc.element.body
    seen = set()
    for rel in doc.part.rels.values():
        if rel.reltype in _STORY_RELS and not rel.is_external:
            part = rel.target_part
            if id(part) not in seen:
                seen.add(id(part))
                yield part.element


def _text(paragraph: Paragraph) -> str:
    return "".join(run.text for run in paragraph.runs)


def _check_placeholders(paragraphs: list, values: dict) -> None:
    unknown: list[str] = []
    broken: list[str] = []
    for p in paragraphs:
        text = _text(Paragraph(p, None))
        if "{{" not in text and "}}" not in text:
            continue
        lists = set()
        for name in PLACEHOLDER.findall(text):
            if name not in values and name not in unknown:
                unknown.append(name)
            if isinstance(values.get(name), list):
                lists.add(name)
        rest = PLACEHOLDER.sub("", text)
        if "{{" in rest or "}}" in rest:
            broken.append(rest.strip()[:40])
        if len(lists) > 1:
            names = "、".join(sorted(lists))
            raise InstrumentError(f"文书模板的同一段落中有多个列表占位符：{names}")
    if unknown:
        names = "、".join("{{" + n + "}}" for n in unknown)
        raise InstrumentError(
            f"文书模板中有未知的占位符：{names}，请核对模板或补充数据")
    if broken:
        raise InstrumentError(
            f"文书模板中有不完整的占位符（缺少花括号）：{'；'.join(broken)}"
        )


def _fill(paragraph: Paragraph, values: dict) -> None:
    text = _text(paragraph)
    if "{{" not in text:
        return
    list_name = next(
        (n for n in PLACEHOLDER.findall(text) if isinstance(values[n], list)), None
    )
    if list_name is None:
        _substitute(paragraph, values)
        return
    anchor = paragraph._p
    for item in values[list_name]:
        clone = copy.deepcopy(paragraph._p)
        anchor.addnext(clone)
        anchor = clone
        _substitute(Paragraph(clone, None), {**values, list_name: item})
    paragraph._p.getparent().remove(paragraph._p)


def _substitute(paragraph: Paragraph, values: dict) -> None:
    """Replace placeholders right to left, so earlier offsets stay valid."""
    runs = paragraph.runs
    texts = [run.text for run in runs]
    matches = list(PLACEHOLDER.finditer("".join(texts)))
    for match in reversed(matches):
        (first, start), (last, end) = _locate(texts, match.start(), match.end())
        value = values[match.group(1)]
        if first == last:
            texts[first] = texts[first][:start] + value + texts[first][end:]
        else:
            texts[first] = texts[first][:start] + value
            for i in range(first + 1, last):
                texts[i] = ""
            texts[last] = texts[last][end:]
        for i in range(first, last + 1):
            if runs[i].text != texts[i]:
                runs[i].text = texts[i]


def _locate(texts: list[str], start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Map joined-text offsets [start, end) to (run index, offset in that run)."""
    located, offset = [], 0
    for i, text in enumerate(texts):
        if not located and start < offset + len(text):
            located.append((i, start - offset))
        if located and end <= offset + len(text):
            return located[0], (i, end - offset)
        offset += len(text)
    raise AssertionError("placeholder outside the paragraph's runs")
