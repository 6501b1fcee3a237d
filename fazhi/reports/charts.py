"""Small SVG charts drawn on the server: bars, grouped bars, a rate bullet, a line.

Pure: no Django. Each function returns one ``<svg>`` element as text, to be inlined
into a page, that works offline, prints on a black-and-white printer (series are told
apart by hatching, never by colour alone) and under a CSP without inline styles
(presentation attributes only, no ``style`` attribute or element). Every shape
carries a ``<title>`` with its label and value, so a screen reader and a mouse hover
say what the ink says. All text is escaped; a value of ``None`` (no data) is drawn as
"—", never as zero.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

Number = int | float | Decimal
FONT = "SimSun, 'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif"
INK, GREY, LIGHT = "#222", "#888", "#ddd"
NO_DATA = "—"
FONT_SIZE = 13
# Characters XML 1.0 forbids even escaped: dropped from labels rather than
# breaking the whole page's SVG.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SAFE_HREF = re.compile(r"^(/|\?|#|https?://)", re.IGNORECASE)


@dataclass(frozen=True)
class Bar:
    """One value to draw: its label, the number (``None``: no data), what to print
    beside it (defaults to the number with the chart's unit) and where it links."""

    label: str
    value: Number | None
    text: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class Group:
    """Bars of one group (e.g. one county), one per series, in the series' order."""

    label: str
    bars: tuple[Bar, ...]
    href: str | None = None


# --- text and numbers --------------------------------------------------------------


def esc(text: object) -> str:
    """Escape ``text`` for XML content or a double-quoted attribute."""
    return escape(_XML_ILLEGAL.sub("", str(text)), quote=True)


def number_text(value: Number | None, unit: str = "") -> str:
    """Write a number the way the dashboard prints it: '12', '3.5', '—' for None."""
    if value is None:
        return NO_DATA
    if isinstance(value, int):
        return f"{value}{unit}"
    shown = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return f"{'0' if shown == '-0' else shown}{unit}"


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimate the drawn width of ``text`` in px: CJK full width, Latin about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.56 for c in text)


def clip(text: str, max_px: float, size: float = FONT_SIZE) -> str:
    """Shorten ``text`` with '…' to fit ``max_px``; the full text stays in a title."""
    if text_width(text, size) <= max_px:
        return text
    while text and text_width(text + "…", size) > max_px:
        text = text[:-1]
    return text + "…"


def _bar_text(bar: Bar, unit: str) -> str:
    return bar.text if bar.text is not None else number_text(bar.value, unit)


def _magnitude(value: Number | None) -> float:
    return max(float(value), 0.0) if value is not None else 0.0


def nice_max(value: float) -> float:
    """Round ``value`` up to 1, 2 or 5 times a power of ten (an axis end), min 1."""
    if value <= 1:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    return float(next(m * step for m in (1, 2, 5, 10) if value <= m * step))


# --- SVG pieces --------------------------------------------------------------------


def _chart_id(kind: str, *parts: object) -> str:
    # Inlined SVGs share the page's id space: ids (titles, patterns) are derived
    # from the content, so two charts on one page never collide.
    digest = hashlib.sha1(repr((kind, parts)).encode()).hexdigest()[:10]
    return f"{kind}-{digest}"


def _svg(cid: str, width: float, height: float, title: str, desc: str,
         body: list[str]) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} '
        f'{height:.0f}" role="img" aria-labelledby="{cid}-t {cid}-d" '
        f'font-family="{esc(FONT)}" font-size="{FONT_SIZE}" fill="{INK}">',
        f'<title id="{cid}-t">{esc(title)}</title>',
        f'<desc id="{cid}-d">{esc(desc)}</desc>',
        *body,
        "</svg>",
    ])


def _link(href: str | None, inner: str) -> str:
    if not href or not _SAFE_HREF.match(href.strip()):
        return inner
    return f'<a href="{esc(href.strip())}">{inner}</a>'


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = FONT_SIZE,
          extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
            f'font-size="{size}"{extra}>{esc(text)}</text>')


# Monochrome fills told apart by pattern: solid dark, solid grey, hatching, dots,
# cross-hatching, horizontal lines; outlined so the light ones stay visible.
_PATTERNS = [
    None,
    None,
    '<path d="M0,6 L6,0" stroke="#000" stroke-width="1.2"/>',
    '<circle cx="3" cy="3" r="1.3" fill="#000"/>',
    '<path d="M0,0 L6,6 M0,6 L6,0" stroke="#000" stroke-width="0.9"/>',
    '<path d="M0,3 L6,3" stroke="#000" stroke-width="1.2"/>',
]


def _fill(cid: str, index: int) -> str:
    index %= len(_PATTERNS)
    if index == 0:
        return INK
    if index == 1:
        return GREY
    return f"url(#{cid}-p{index})"


def _pattern_defs(cid: str, count: int) -> str:
    shapes = [
        f'<pattern id="{cid}-p{i}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#fff"/>{_PATTERNS[i]}</pattern>'
        for i in range(2, min(count, len(_PATTERNS)))
    ]
    return f"<defs>{''.join(shapes)}</defs>" if shapes else ""


def _rect(x: float, y: float, w: float, h: float, fill: str, value: object,
          extra: str = "") -> str:
    return (f'<rect class="bar" x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" '
            f'height="{h:.2f}" fill="{fill}" stroke="{INK}" stroke-width="0.6" '
            f'data-value="{esc(value)}"{extra}/>')


def _desc(bars: Sequence[Bar], unit: str) -> str:
    return "；".join(f"{b.label}：{_bar_text(b, unit)}" for b in bars) or "无数据"


# --- bar chart ---------------------------------------------------------------------


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str = "", width: int = 520,
              row: int = 26) -> str:
    """Draw horizontal bars, one row per ``bars`` item, lengths proportional to value.

    Labels sit left (clipped with '…' past a third of the width), values right.
    """
    label_w = min(max([text_width(b.label) for b in bars] or [0]) + 10, width / 3)
    value_w = max([text_width(_bar_text(b, unit)) for b in bars] or [0]) + 12
    plot_w = max(width - label_w - value_w - 8, 40)
    top = max((_magnitude(b.value) for b in bars), default=0.0) or 1.0
    cid = _chart_id("bar", title, unit, bars)
    height = max(len(bars), 1) * row + 8
    body = [f'<line x1="{label_w:.1f}" y1="4" x2="{label_w:.1f}" y2="{height - 4}" '
            f'stroke="{INK}" stroke-width="1"/>']
    for i, b in enumerate(bars):
        y = 4 + i * row
        length = plot_w * _magnitude(b.value) / top
        shown = _bar_text(b, unit)
        inner = "".join([
            f"<title>{esc(b.label)}：{esc(shown)}</title>",
            _text(label_w - 6, y + row * 0.65, clip(b.label, label_w - 10), "end"),
            _rect(label_w, y + 4, length, row - 8, INK, _value_attr(b.value)),
            _text(label_w + length + 5, y + row * 0.65, shown),
        ])
        body.append(_link(b.href, f'<g class="row">{inner}</g>'))
    if not bars:
        body.append(_text(width / 2, row * 0.65, "无数据", "middle"))
    return _svg(cid, width, height, title, _desc(bars, unit), body)


def _value_attr(value: Number | None) -> str:
    return "" if value is None else number_text(value)


# --- grouped bars ------------------------------------------------------------------


def grouped_bar_chart(groups: Sequence[Group], *, series: Sequence[str], title: str,
                      unit: str = "", width: int = 620, bar: int = 13) -> str:
    """Draw each group's bars (one per series) side by side, groups one under another.

    Built for counties compared with each other: one scale for every bar, series
    told apart by pattern and named in a legend on top.
    """
    cid = _chart_id("grouped", title, unit, series, groups)
    all_bars = [b for g in groups for b in g.bars]
    label_w = min(max([text_width(g.label) for g in groups] or [0]) + 12, width / 4)
    value_w = max([text_width(_bar_text(b, unit), 11) for b in all_bars] or [0]) + 10
    plot_w = max(width - label_w - value_w - 8, 40)
    top = max((_magnitude(b.value) for b in all_bars), default=0.0) or 1.0
    legend_h = 24
    group_h = len(series) * (bar + 2) + 10
    height = legend_h + max(len(groups), 1) * group_h + 6
    body = [_pattern_defs(cid, len(series)), *_legend(cid, series, label_w)]
    for gi, g in enumerate(groups):
        y0 = legend_h + gi * group_h
        label = _text(label_w - 6, y0 + group_h / 2, clip(g.label, label_w - 12), "end")
        body.append(_link(g.href, f"<g><title>{esc(g.label)}</title>{label}</g>"))
        for si, b in enumerate(g.bars[: len(series)]):
            y = y0 + 4 + si * (bar + 2)
            length = plot_w * _magnitude(b.value) / top
            shown = _bar_text(b, unit)
            inner = "".join([
                f"<title>{esc(g.label)} {esc(series[si])}：{esc(shown)}</title>",
                _rect(label_w, y, length, bar, _fill(cid, si), _value_attr(b.value),
                      f' data-series="{si}"'),
                _text(label_w + length + 4, y + bar - 2, shown, size=11),
            ])
            body.append(_link(b.href, f'<g class="row">{inner}</g>'))
    body.append(f'<line x1="{label_w:.1f}" y1="{legend_h}" x2="{label_w:.1f}" '
                f'y2="{height - 4}" stroke="{INK}" stroke-width="1"/>')
    if not groups:
        body.append(_text(width / 2, legend_h + 16, "无数据", "middle"))
    desc = "；".join(f"{g.label}（{_desc(g.bars, unit)}）" for g in groups)
    return _svg(cid, width, height, title, desc or "无数据", body)


def _legend(cid: str, series: Sequence[str], x0: float) -> list[str]:
    out, x = [], x0
    for i, name in enumerate(series):
        out.append(f'<rect x="{x:.1f}" y="5" width="14" height="12" '
                   f'fill="{_fill(cid, i)}" stroke="{INK}" stroke-width="0.6"/>')
        out.append(_text(x + 18, 15, name, size=12))
        x += 18 + text_width(name, 12) + 14
    return out


# --- rate bullet -------------------------------------------------------------------


def rate_bullet(value: Number | None, *, title: str, previous: Number | None = None,
                text: str | None = None, previous_text: str | None = None,
                previous_label: str = "上年", href: str | None = None,
                width: int = 360) -> str:
    """Draw a rate in per cent (0–100) as a bar on a 0–100 % scale.

    ``previous`` (per cent) is marked by a tick with its label, so this year and last
    read at a glance; ``None`` for either is drawn as '—' with no mark. ``text`` and
    ``previous_text`` are the figures as printed (default: the numbers with '%').
    """
    cid = _chart_id("bullet", title, value, previous, text, previous_text)
    x0, plot_w, height = 14.0, width - 104.0, 50
    shown = text if text is not None else number_text(value, "%")
    length = plot_w * min(_magnitude(value), 100.0) / 100
    body = [f'<rect x="{x0}" y="8" width="{plot_w:.1f}" height="20" fill="{LIGHT}" '
            f'stroke="{GREY}" stroke-width="0.6"/>']
    for pct in (0, 25, 50, 75, 100):
        x = x0 + plot_w * pct / 100
        body.append(f'<line x1="{x:.1f}" y1="28" x2="{x:.1f}" y2="32" '
                    f'stroke="{GREY}" stroke-width="1"/>')
        body.append(_text(x, 44, f"{pct}%", "middle", 10))
    bar = (f"<title>{esc(title)}：{esc(shown)}</title>"
           + _rect(x0, 12, length, 12, INK, _value_attr(value))
           + _text(x0 + plot_w + 20, 23, shown, size=14, extra=' font-weight="bold"'))
    body.append(_link(href, f'<g class="row">{bar}</g>'))
    desc = f"{title}：{shown}"
    if previous is not None:
        px = x0 + plot_w * min(_magnitude(previous), 100.0) / 100
        shown_before = previous_text or number_text(previous, "%")
        ptext = f"{previous_label}{shown_before}"
        body.append(f'<g class="previous"><title>{esc(ptext)}</title>'
                    f'<line x1="{px:.1f}" y1="4" x2="{px:.1f}" y2="32" stroke="#000" '
                    f'stroke-width="2.5" stroke-dasharray="3,1.5"/></g>')
        body.append(_text(x0 + plot_w + 20, 40, ptext, size=11))
        desc += f"；{ptext}"
    return _svg(cid, width, height, title, desc, body)


# --- line --------------------------------------------------------------------------


def line_chart(points: Sequence[Bar], *, title: str, unit: str = "", width: int = 520,
               height: int = 170) -> str:
    """Draw values in order (e.g. month by month) as a line with a dot per value.

    A ``None`` breaks the line (no data is not zero); labels go under the axis.
    """
    cid = _chart_id("line", title, unit, points, width, height)
    left, right, top_m, bottom = 44.0, 12.0, 12.0, 24.0
    plot_w, plot_h = width - left - right, height - top_m - bottom
    top = nice_max(max((_magnitude(p.value) for p in points), default=0.0))
    step = plot_w / max(len(points) - 1, 1)

    def xy(i: int, v: Number) -> tuple[float, float]:
        return left + i * step, top_m + plot_h * (1 - _magnitude(v) / top)

    body = _axes(left, top_m, plot_w, plot_h, top, unit)
    for run in _runs(points):
        coords = " ".join("{:.1f},{:.1f}".format(*xy(i, p.value)) for i, p in run)
        body.append(f'<polyline class="line" points="{coords}" fill="none" '
                    f'stroke="{INK}" stroke-width="1.8"/>')
    every = max(1, round(len(points) / 12))
    for i, p in enumerate(points):
        if i % every == 0:
            body.append(_text(left + i * step, height - 8, p.label, "middle", 10))
        if p.value is None:
            continue
        x, y = xy(i, p.value)
        dot = (f"<title>{esc(p.label)}：{esc(_bar_text(p, unit))}</title>"
               f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#fff" '
               f'stroke="{INK}" stroke-width="1.5" '
               f'data-value="{esc(_value_attr(p.value))}"/>')
        body.append(_link(p.href, f"<g>{dot}</g>"))
    return _svg(cid, width, height, title, _desc(points, unit), body)


def sparkline(values: Sequence[Number | None], *, title: str, width: int = 120,
              height: int = 28) -> str:
    """Draw a tiny line of ``values`` with no axes, for a figure's recent trend."""
    cid = _chart_id("spark", title, values, width, height)
    top = max((_magnitude(v) for v in values), default=0.0) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    points = [Bar(str(i + 1), v) for i, v in enumerate(values)]
    body = []
    for run in _runs(points):
        coords = " ".join(
            f"{2 + i * step:.1f},"
            f"{height - 3 - (height - 6) * _magnitude(p.value) / top:.1f}"
            for i, p in run)
        body.append(f'<polyline class="line" points="{coords}" fill="none" '
                    f'stroke="{INK}" stroke-width="1.4"/>')
    desc = "、".join(number_text(v) for v in values) or "无数据"
    return _svg(cid, width, height, title, desc, body)


def _runs(points: Sequence[Bar]) -> list[list[tuple[int, Bar]]]:
    """Split ``points`` at each None into runs of consecutive values."""
    runs: list[list[tuple[int, Bar]]] = [[]]
    for i, p in enumerate(points):
        if p.value is None:
            runs.append([])
        else:
            runs[-1].append((i, p))
    return [r for r in runs if r]


def _axes(left: float, top_m: float, plot_w: float, plot_h: float, top: float,
          unit: str) -> list[str]:
    out = []
    for frac in (0.0, 0.5, 1.0):
        y = top_m + plot_h * (1 - frac)
        colour = INK if frac == 0 else LIGHT
        out.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" '
                   f'y2="{y:.1f}" stroke="{colour}" stroke-width="1"/>')
        tick = number_text(_tick(top * frac), unit)
        out.append(_text(left - 4, y + 4, tick, "end", 10))
    return out


def _tick(value: float) -> Number:
    return int(value) if float(value).is_integer() else value
