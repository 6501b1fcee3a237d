"""Text of a published report made readable: decoding, normalisation, numerals and
the report's parts (title block, body, next-year plans, signature). Pure."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

HAN = "\u4e00-\u9fff"


class ExtractError(ValueError):
    """Text that cannot be read (not UTF-8 or GB18030, not Chinese text)."""


# --- decoding -----------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Return the text of ``data``: UTF-8 (with or without BOM), UTF-16 with BOM, or
    GB18030 (which includes GBK and GB2312)."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractError("文件不是纯文本（含二进制内容），请粘贴或上传 .txt 文本")
    for encoding in _encodings(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if re.search(f"[{HAN}]", text):
            return text
        raise ExtractError("文件中没有中文文字，请确认是年度报告的文本")
    raise ExtractError("无法识别文件编码：请另存为 UTF-8 或 GB18030（GBK）编码的文本")


def _encodings(data: bytes) -> tuple[str, ...]:
    if data.startswith(b"\xef\xbb\xbf"):
        return ("utf-8-sig",)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)
    return ("utf-8", "gb18030")


# --- normalisation ------------------------------------------------------------------

_VOWELS = "aeiouüvāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SYLLABLE = (rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[{_VOWELS}]{{1,3}}"
             r"(?:ng|n|r)?[1-5]?")
# A parenthesised run of pinyin syllables right after a Han character: "設(shè)".
_PINYIN = re.compile(
    rf"(?<=[{HAN}])\s?[(（]\s*{_SYLLABLE}(?:[\s'’]?{_SYLLABLE}){{0,3}}\s*[)）]",
    re.IGNORECASE)

_WIDTH = {0xFF10 + i: str(i) for i in range(10)}
_WIDTH |= {0xFF21 + i: chr(0x41 + i) for i in range(26)}
_WIDTH |= {0xFF41 + i: chr(0x61 + i) for i in range(26)}
_WIDTH |= {ord(k): v for k, v in {
    "％": "%", "．": ".", "（": "(", "）": ")", "［": "[", "］": "]", "－": "-",
    "～": "~", "＋": "+", "／": "/", "\u3000": " ", "\xa0": " ", "\ufeff": "",
}.items()}

_FURNITURE_WORDS = (
    "【字体", "字体：大", "字号：大", "打印本页", "【打印】", "【关闭】", "关闭窗口",
    "分享到", "扫一扫", "浏览次数", "阅读次数", "访问量", "点击数", "【收藏】",
    "当前位置", "您的位置", "上一篇", "下一篇")
_FURNITURE = [
    re.compile(r"^[-—–─_=~·\s]*\d{1,3}[-—–─_=~·\s]*$"),  # — 3 —
    re.compile(r"^第\s*\d+\s*页\s*[/，,]?\s*(共\s*\d+\s*页)?$"),
    re.compile(r"^共\s*\d+\s*页\s*[/，,]?\s*第\s*\d+\s*页$"),
    re.compile(r"^page\s*\d+(\s*of\s*\d+)?$", re.IGNORECASE),
    re.compile(r"^(来源|信息来源|发布时间|发布日期|作者|编辑|责任编辑)\s*[:：]"),
    re.compile(r"^[^。；，]*?(?:\s*[>＞»›]\s*[^>＞»›。；，]+){2,}$"),  # 首页 > 信息公开 > …
]
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)"
                      r"|\d+[.、]|第[一二三四五六七八九十]+[章节条部分])")
_END = "。！？；：:!?;”」)"
# The labels of a portal's metadata block (索引号 … 标题). The block is data, not
# furniture: it names the organisation, the document number and the signing date.
META_LABELS = ("索引号", "主题分类", "信息分类", "体裁分类", "组配分类", "分类", "主题词",
               "发布机构", "发文机关", "发文单位", "成文日期", "发文日期", "文号",
               "发文字号", "文件编号", "标题", "名称", "有效性", "生效日期", "废止日期",
               "公开方式", "公开范围", "公开时限", "发布日期")
_SPACED_LABEL = re.compile("|".join(
    r"[\s\u3000]*".join(label) for label in sorted(META_LABELS, key=len, reverse=True)))
_META = re.compile("(?:" + "|".join(sorted(META_LABELS, key=len, reverse=True))
                   + r")\s*(?:[:：]|$)")


def normalise(text: str) -> list[str]:
    """Return the report's lines, simplified, half-width, without page furniture.
    A table flattened to lines keeps its cells apart with a tab (see
    :func:`table_rows`)."""
    text = _PINYIN.sub("", text)  # before OpenCC, which would not touch the Latin
    text = _t2s(text).translate(_WIDTH)
    # A full-width comma between digit groups is a thousands separator (２，１４７).
    text = re.sub(r"(?<=\d)，(?=\d{3}(?!\d))", ",", text)
    text = _PERCENT_WORDS.sub(_percent, text)  # 百分之九十五 → 95%
    lines: list[str] = []
    breaks: set[int] = set()  # indexes of the lines that follow a page break
    in_table = 0
    single = False  # the table's cells are one space apart
    raws, after_break = _pages(text.splitlines())
    skip = False
    for n, raw in enumerate(raws):
        if skip:
            skip = False
            continue
        cells = _cells(raw, single and bool(in_table))
        if in_table and len(cells) == 1 and not re.search(r"\d", raw) and len(
                raw.strip()) <= 24 and n + 1 < len(raws) and n + 1 in after_break and len(
                below := _cells(raws[n + 1], single)) == in_table and _row(below):
            # A row's name cut by a page break ("临时建设用地规划" / "许可 12 12").
            cells = [raw.strip() + below[0], *below[1:]]
            skip = True
        if in_table and _row(cells) and not _META_ROW.match(raw.strip()):
            in_table = max(in_table, len(cells))
        elif _period_header(cells):
            in_table, single = len(cells), False  # two columns named by a year
        elif _measure_header(cells) and n + 1 < len(raws) and _row(
                below := _cells(raws[n + 1])) and len(below) == len(cells):
            in_table, single = len(cells), False  # columns naming what they count
        elif (len(spaced := _cells(raw, True)) >= 3 and n + 1 < len(raws)
              and (_period_header(spaced) or _measure_header(spaced))
              and _row(below := _cells(raws[n + 1], True))
              and len(below) == len(spaced)):
            # The same header with one space between cells, the row below alike.
            cells, in_table, single = spaced, len(spaced), True
        else:
            in_table = 0
        if in_table:
            lines.append(TAB.join(_squeeze(c) for c in cells))
            continue
        for cell in _meta_cells(raw):
            line = _squeeze(cell)
            if line and not _is_furniture(line):
                if n in after_break:
                    breaks.add(len(lines))
                lines.append(line)
    return _rejoin(lines, breaks)


def _period_header(cells: list[str]) -> bool:
    return len(cells) >= 3 and sum(bool(_COLUMN.fullmatch(c)) for c in cells) >= 2


def _pages(raws: list[str]) -> tuple[list[str], set[int]]:
    """The lines without page numbers ("- 3 -", "第2页") and the running head printed
    after one (the report's title repeated on each page), and the indexes of the
    lines that follow such a break."""
    stripped = [r.strip().translate(_WIDTH).strip() for r in raws]
    seen: dict[str, int] = {}
    for line in stripped:
        seen[line] = seen.get(line, 0) + 1
    out: list[str] = []
    after: set[int] = set()
    broke = False
    for raw, line in zip(raws, stripped, strict=True):
        if any(p.search(line) for p in _FURNITURE[:4]):
            broke = True
            continue
        if broke and (not line or _running_head(line, seen)):
            continue
        if broke:
            after.add(len(out))
        broke = False
        out.append(raw)
    return out, after


def _running_head(line: str, seen: dict[str, int]) -> bool:
    """The report's title (or the bureau's name) printed atop a page: a short line
    with no sentence in it, printed more than once or naming the report."""
    if len(line) > 40 or re.search("[。；;，,]", line) or _HEADING.match(line):
        return False  # a sentence or a numbered heading is the page's text
    return bool(re.search(r"\d{4}年.*报告$", line)) or (
        seen.get(line, 0) > 1 and (line.endswith("报告") or bool(re.fullmatch(ORG, line))))


TAB = "\t"
# A table's column of figures named by its period: 2023年, 2023年度, 本年, 上年 ….
_COLUMN = re.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})年?度?(?:数|数据|实际)?"
                     r"|本年度?|今年|当年|上年度?|去年|上年同期|同期")
_META_ROW = re.compile("(?:" + "|".join(("索引号", "发布机构", "文号", "成文日期", "标题"))
                       + r")\s")
_PERCENT_WORDS = re.compile(r"百分之(?P<n>[零〇一二两三四五六七八九十百]+"
                            r"(?:点[零〇一二三四五六七八九]+)?)")


def _percent(m: re.Match) -> str:
    value = cn_number(m["n"]) if m["n"] != "百" else Decimal(100)
    return f"{format(value.normalize(), 'f')}%" if value is not None else m[0]


# The first cell of a header whose other cells name what each column counts
# (许可事项 | 办件数（件） | 超期（件）).
_ROW_NAME = re.compile(f"[{HAN}]{{0,6}}(?:事项|类别|类型|项目|名称|指标|种类)")


def _measure_header(cells: list[str]) -> bool:
    return (len(cells) >= 3 and bool(_ROW_NAME.fullmatch(cells[0]))
            and all(len(c) <= 12 and not re.search(r"\d", c) for c in cells))


def _row(cells: list[str]) -> bool:
    """Cells that read as a table's row: short, with a figure after the name (not a
    paragraph that happens to hold two spaces)."""
    return (len(cells) >= 2 and all(len(c) <= 24 for c in cells)
            and any(re.search(r"\d", c) for c in cells[1:]))


def _cells(raw: str, single: bool = False) -> list[str]:
    """The cells of a flattened table row: split at tabs or runs of two spaces (one
    space, ``single``, in a table printed so)."""
    gap = r"\t|[ \u3000]+" if single else r"\t|[ \u3000]{2,}"
    return [c.strip() for c in re.split(gap, raw.strip()) if c.strip()]


def table_rows(lines: list[str]) -> list[list[list[str]]]:
    """The tables among ``lines``: each a list of rows of cells, the header first."""
    tables: list[list[list[str]]] = []
    previous = False
    for line in lines:
        row = TAB in line
        if row and not previous:
            tables.append([])
        if row:
            tables[-1].append(line.split(TAB))
        previous = row
    return tables


def normalise_text(text: str) -> str:
    """Return :func:`normalise` as one string, a line each."""
    return "\n".join(normalise(text))


@cache
def _converter():
    import opencc  # the official OpenCC wheel: dictionaries inside, works offline

    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    return _converter().convert(text)


def _squeeze(line: str) -> str:
    line = line.strip()
    # Spaces copied between Han characters, or between Han and digits, are layout.
    line = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", line)
    line = re.sub(rf"(?<=[{HAN}])\s+(?=\d)|(?<=\d)\s+(?=[{HAN}%])", "", line)
    return re.sub(r"\s{2,}", " ", line)


def _is_furniture(line: str) -> bool:
    return (any(w in line for w in _FURNITURE_WORDS)
            or any(p.search(line) for p in _FURNITURE))


def _rejoin(lines: list[str], breaks: set[int] = frozenset()) -> list[str]:
    """Join a line to the next where a page or a copy broke a sentence in two (a
    short piece too where a page number stood between: "全年共受理行政复议案件" /
    "- 3 -" / "7件，审结7件")."""
    out: list[str] = []
    last_piece = ""
    for n, line in enumerate(lines):
        if TAB in line or TAB in last_piece:
            out.append(line)
        elif (out and (len(last_piece) >= 20 or n in breaks)
              and not last_piece.endswith(tuple(_END))
                and not last_piece.endswith("报告") and not _HEADING.match(line)
                and not _bare_heading(last_piece) and not meta_line(last_piece)
                and not meta_line(line) and not date_line(line)):
            out[-1] += line
        else:
            out.append(line)
        last_piece = line
    return out


def _bare_heading(line: str) -> bool:
    """A numbered heading with no sentence in it: the paragraph starts on the next
    line, so a page break did not cut it (joined, an aim heading such as
    "力争……目标" would make the figures after it look like aims)."""
    return bool(_HEADING.match(line)) and not re.search("[。！？；;!?]", line)


def meta_line(line: str) -> bool:
    """Whether ``line`` is a pair of a portal's metadata block ("文号：X"), or its
    label alone (the value on the next line)."""
    return bool(_META.match(line))


_SPACE_PAIR = re.compile("(?P<label>" + "|".join(sorted(META_LABELS, key=len, reverse=True))
                         + r") (?P<value>[^\s。，,；;]{1,60})")


def _meta_cells(raw: str) -> list[str]:
    """A metadata table row ("索引号<tab>X<tab>分类<tab>Y") as one "label：value"
    line per pair; any other line unchanged, in a list of one."""
    raw = raw.strip()
    if _SPACED_LABEL.match(raw):  # "文　　号", "索 引 号": spaces that align a table
        raw = _SPACED_LABEL.sub(lambda m: re.sub(r"\s", "", m[0]), raw)
    cells = [c.strip() for c in re.split(r"\t|\s{2,}|\u3000+", raw) if c.strip()]
    if len(cells) <= 1:  # "文号 平自然资〔2023〕2号": one space between label and value
        pair = _SPACE_PAIR.fullmatch(raw)
        return [f"{pair['label']}：{pair['value']}"] if pair else [raw]
    if cells[0].rstrip(":：") not in META_LABELS:
        return [raw]
    out: list[str] = []
    for cell in cells:
        label = cell.rstrip(":：")
        if label in META_LABELS:
            out.append(f"{label}：")
        elif out and out[-1].endswith("："):
            out[-1] += cell
        else:
            out.append(cell)
    return out


def metadata(lines: list[str]) -> dict[str, str]:
    """The label → value pairs of a metadata block: "文号：X", or "文号：" with X on
    the next line."""
    out: dict[str, str] = {}
    for i, line in enumerate(lines):
        m = _META.match(line)
        if not m:
            continue
        value = line[m.end():].strip()
        if not value and i + 1 < len(lines) and not meta_line(lines[i + 1]):
            value = lines[i + 1]
        label = m[0].rstrip(" ：:")
        if value and label not in out:
            out[label] = value
    return out


# --- numbers ------------------------------------------------------------------------

_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇○一二两三四五六七八九十百千万"
NUM = (rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?"
       rf"|[{_CN}]+(?:点[零〇○一二三四五六七八九]+)?)")
# A quantity with the words that make it loose: 约120, 120余, 3至5.
QTY = (rf"(?P<pre>大约|约|近|将近|逾|超过|不少于|至少|不足|不到)?(?P<num>{NUM})"
       rf"(?P<range>[至到~\-—–]{NUM})?(?P<post>余|多|以上|以下|左右)?")


def cn_number(text: str) -> Decimal | None:
    """Value of a Chinese numeral (三, 十二, 一百零五, 两千三百, 二点五); None when
    it is not one unambiguous number (三四 is "three or four")."""
    whole, _, frac = text.partition("点")
    if any(ch not in _CN_DIGIT for ch in frac):
        return None
    value = 0
    rest = whole
    for unit, size in (("亿", 10**8), ("万", 10**4)):
        if unit in rest:
            head, _, rest = rest.partition(unit)
            part = _cn_section(head) if head else 1
            if part is None:
                return None
            value += part * size
    part = _cn_section(rest) if rest else 0
    if part is None or not whole:
        return None
    digits = "".join(str(_CN_DIGIT[ch]) for ch in frac)
    return Decimal(f"{value + part}.{digits}" if digits else value + part)


def _cn_section(text: str) -> int | None:
    total, digit, last_unit, zero_seen = 0, None, 10**4, False
    for ch in text:
        if ch in _CN_UNIT:
            size = _CN_UNIT[ch]
            if size >= last_unit:
                return None
            total += (1 if digit is None else digit) * size
            digit, last_unit, zero_seen = None, size, False
        elif _CN_DIGIT.get(ch) == 0:
            zero_seen = True
        elif ch in _CN_DIGIT:
            if digit is not None:
                return None
            digit = _CN_DIGIT[ch]
        else:
            return None
    if digit is not None:
        if last_unit >= 100 and last_unit < 10**4 and not zero_seen:
            return None  # 一百五: 150 colloquially, 105 by the rules; say neither
        total += digit
    return total


def number(text: str) -> Decimal | None:
    """Value of an Arabic (1,234.5) or Chinese numeral, or None."""
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", text):
        return Decimal(text.replace(",", ""))
    return cn_number(text)


def year_digits(text: str) -> int | None:
    digits = {**{k: v for k, v in _CN_DIGIT.items() if k != "两"}, "O": 0, "o": 0}
    if text.isdigit():
        return int(text)
    if all(ch in digits for ch in text):
        return int("".join(str(digits[ch]) for ch in text))
    return None


# --- structure ----------------------------------------------------------------------

YEAR = r"(?P<y>\d{4}|[〇○零一二三四五六七八九Oo]{4})"
DATE = re.compile(rf"{YEAR}年(?P<m>[\d一二三四五六七八九十]{{1,3}})月"
                   rf"(?P<d>[\d一二三四五六七八九十]{{1,3}})日")
ORG = rf"[{HAN}()]{{1,40}}?(?:局|厅|委员会|委|政府|办公室|中心|区|县|市|旗)"
DOC_NUMBER = re.compile(rf"(?P<who>[{HAN}]{{1,16}})[〔\[(](?P<dy>\d{{4}})[〕\])]"
                        r"(?P<n>\d{1,4})号")
# A numbered section heading (not a sentence that opens on a year) starting a line.
_HEADING_RUN = re.compile("[二三四五六七八]、")
_FUTURE = re.compile(r"^(?:[二三四五六]、|\d{4}年).{0,12}"
                     r"(?:下一步|工作打算|工作计划|工作思路|工作安排|改进措施)"
                     # a question-and-answer version: "问：2025年有哪些打算？"
                     r"|^问[:：].{0,8}(?:\d{4}年|下一步|明年).{0,8}(?:打算|计划|思路|安排)")


def date_of(m: re.Match) -> dt.date | None:
    year = year_digits(m["y"])
    month, day = number(m["m"]), number(m["d"])
    try:
        return dt.date(year, int(month), int(day)) if year and month and day else None
    except ValueError:
        return None


def date_line(line: str) -> dt.date | None:
    """The date of a line that holds only a date (and perhaps the signing body)."""
    line = re.sub(r"\(盖章\)|\(印章\)", "", line).strip()
    m = DATE.search(line)
    if not m or m.end() != len(line):
        return None
    before = line[:m.start()].strip()
    if before and not re.fullmatch(ORG, before):
        return None
    return date_of(m)


@dataclass
class Document:
    """The normalised report cut into the parts the figures are read from."""

    lines: list[str]
    head: list[str]  # title block: before the addressee line
    body: list[str]  # figures are read here (the next-year plans are left out)
    tail: list[str]  # signature and date
    meta: dict[str, str]  # the portal's metadata block, label → value

    @classmethod
    def of(cls, lines: list[str]) -> Document:
        top = [i for i, line in enumerate(lines[:24]) if not _meta_part(lines, i)]
        addressee = next((i for i in top[:12] if _addressee(lines[i])), None)
        if addressee is None:  # the body starts at the first paragraph
            addressee = next((i for i in top[:6]
                              if len(lines[i]) > 30 or "。" in lines[i]),
                             top[min(6, len(top) - 1)] if top else len(lines))
        cut = addressee
        dated = [i for i, line in enumerate(lines) if date_line(line)]
        end = dated[-1] if dated else len(lines)
        if end > 0 and re.fullmatch(ORG, lines[end - 1]):
            end -= 1
        # A metadata block below the first long line (a portal's breadcrumb or notice
        # taken for the first paragraph) is still the block, not the body.
        late = [i for i in range(cut, min(end, 30)) if _meta_part(lines, i)]
        meta = metadata(lines[:max(cut, 1)])
        for label, value in metadata([lines[i] for i in late]).items():
            meta.setdefault(label, value)
        body = []
        for i in range(cut, end):
            line = lines[i]
            if len(line) <= 30 and "。" not in line and _FUTURE.match(line):
                break
            if _HEADING_RUN.match(line) and _FUTURE.match(line[:30]):
                break  # the plans' heading run into its paragraph by the copy
            if i not in late:
                body.append(line)
        head = [line for i, line in enumerate(lines[:cut]) if not _meta_part(lines, i)]
        return cls(lines, head, body, lines[end:], meta)


def _addressee(line: str) -> bool:
    """"县委、县人民政府：" — a short line ending in a colon that is not a label."""
    return (line.endswith(("：", ":")) and len(line) <= 40 and "。" not in line
            and not meta_line(line))


def _meta_part(lines: list[str], i: int) -> bool:
    """A metadata line, or the value line after a label alone ("文号：" / "X")."""
    if meta_line(lines[i]):
        return True
    return i > 0 and bool(_META.fullmatch(lines[i - 1]))


TABLE_MARK = "【表列"


def table_sentences(rows: list[list[str]], caption: str = "") -> list[str]:
    """A flattened table as one sentence per row and period column, the column named
    in the sentence's own clause ("【表列2023年】行政复议案件4件"), so that a column of
    another year is set aside as another year's figure. A column that is no period
    (单位, 增减, 备注) gives no sentence; the unit comes from a 单位 column or the row
    name's parentheses (集中学法（次）). A caption naming one matter (附表：行政诉讼
    主要指标) names the matter of rows that do not (审结, 败诉)."""
    matters = set(re.findall("行政复议|行政诉讼|行政应诉", caption))
    matter = next(iter(matters)) if len(matters) == 1 else ""
    header, *body = rows
    periods = [i for i, cell in enumerate(header) if _COLUMN.fullmatch(cell)]
    if not periods and _measure_header(header):
        return _measure_sentences(header, body, caption)
    unit_at = next((i for i, cell in enumerate(header) if cell == "单位"), None)
    out = []
    for row in body:
        if len(row) != len(header) and len(row) != len(header) - 1:
            continue
        shift = len(header) - len(row)  # a header with a corner cell the rows lack
        label = row[0]
        unit = ""
        m = re.search(r"\((?P<u>[^()]{1,4})\)$", label)
        if m:
            label, unit = label[:m.start()], m["u"]
        if unit_at is not None and 0 <= unit_at - shift < len(row):
            unit = row[unit_at - shift]
        for i in periods:
            at = i - shift
            if at < 1 or at >= len(row) or not re.search(r"\d", row[at]):
                continue
            value = row[at]
            if unit and not value.endswith(unit) and not value.endswith("%"):
                value += unit
            named = re.search("复议|诉讼|应诉", label)
            out.append(f"{TABLE_MARK}{header[i]}】{'' if named else matter}{label}{value}")
    return out


# A column that is the row's count itself (办件数), not a count of something else
# (超期, 审结): its name is not repeated in the row's sentence.
_COUNT_COLUMN = re.compile("(?:办件|办理|办结|发证|核发|受理|收件)?(?:件数|数量|量|数)|合计|总数")


def _measure_sentences(header: list[str], body: list[list[str]],
                       caption: str) -> list[str]:
    """A table whose columns name what they count (办件数（件）, 超期（件）): one
    sentence per cell, the row's name, the column's name and the value with the
    column's unit ("【表列2024年超期（件）】建设用地规划许可证超期0件"). The caption's
    year goes with it, so that another year's table is set aside."""
    years = re.findall(r"(\d{4})年", caption)
    period = f"{years[0]}年" if len(set(years)) == 1 else ""
    # A table of cases whose columns name no unit (收案 | 审结) counts cases: 件.
    cases = "案件" in caption or "行政争议" in caption
    out = []
    for row in body:
        if len(row) != len(header):
            continue
        for i in range(1, len(header)):
            m = re.search(rf"\((?P<u>{_UNIT_WORD})\)$", header[i])
            name = header[i][:m.start()] if m else header[i]
            unit = m["u"] if m else "件" if cases else ""
            value = row[i]
            if not re.fullmatch(r"\d+(?:\.\d+)?%?", value):
                continue
            if unit and not value.endswith("%"):
                value += unit
            word = "" if _COUNT_COLUMN.fullmatch(name) else _column_word(name, row[0])
            out.append(f"{TABLE_MARK}{period}{header[i]}】{row[0]}{word}{value}")
    return out


_UNIT_WORD = "件|次|个|宗|起|场|期|本|份|张|人次|%|元|万元|亩|公顷|平方米"
# 败诉或被纠错, 败诉/纠错, 纠错(败诉): one column for both matters' outcomes.
_EITHER = re.compile(r"(?P<a>败诉|被?纠错)(?:或|/|、|和|\()(?P<b>败诉|被?纠错)\)?")


def _column_word(name: str, row: str) -> str:
    """A column's name as the row's sentence says it: without the 数 of a count
    (审结数 → 审结, 收案数 → 收案); a column for two matters' outcomes (败诉或被纠错)
    as the row's matter has it (行政诉讼 → 败诉, 行政复议 → 被纠错)."""
    m = _EITHER.fullmatch(name.removesuffix("数"))
    if m:
        matter = "复议" if "复议" in row else "诉讼" if "诉讼" in row or "应诉" in row else ""
        pick = [w for w in (m["a"], m["b"]) if ("败诉" in w) == (matter == "诉讼")]
        return pick[0] if matter and pick else name
    if re.fullmatch(f"[{HAN}]{{2,6}}数", name):
        return name[:-1]
    return name


def sentences(lines: list[str]) -> list[str]:
    """Split lines into sentences at 。！？ (a line break also ends one). A semicolon
    does not end one: a verb rules the run of figures after it (核发A 3件；B 5件)."""
    out = []
    table: list[list[str]] = []
    caption = ""
    for line in [*lines, ""]:
        if TAB in line:
            table.append(line.split(TAB))
            continue
        if table:
            out += table_sentences(table, caption)
            table = []
        caption = line if len(line) <= 40 and "表" in line else ""
        out += [s for s in re.split(r"(?<=[。！？!?])", line) if s.strip()]
    return out
