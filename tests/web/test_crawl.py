"""Every page of the demo speaks the staff's words: a crawl as every demo person.

After ``demo_load``, the test logs in as each demo person (every role of a county,
the city's principal and the province's legal-affairs officer), opens the sidebar's
pages and the pages they link to (same site, GET only, a bounded number per person),
and reads each page's visible text with DEBUG off, as in production. A page fails
when it answers 5xx, or when its visible text holds words meant for developers:

- a rule id (the ids are read from the shipped rule files, not listed here),
- a settings name (FAZHI_…), a docs path (docs/….md, §),
- provenance or placeholder markers (UNCONFIRMED, provisional, 未经核实, fazhi 默认 …),
- English error text (Forbidden, Not Found, Traceback, None …).

The public pages (执法公示, the applicant's rating link) are read the same way,
without a login. Run with ``-s`` to see the figures (pages read, failures by class).
"""

from __future__ import annotations

import io
import re
import tomllib
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

import fazhi
from fazhi.core.demo import LEVEL_PEOPLE, ROLE_PEOPLE
from fazhi.core.models import User
from fazhi.deadlines.registry import rules_registry

pytestmark = pytest.mark.demo

PER_PERSON = 80  # pages read per person (sidebar pages first), keeps the walk bounded
PER_URL = 2  # people who read one address: a page most roles share is read twice
PER_SHAPE = 3  # pages of one URL shape (digits masked) per person: a list's rows repeat

# Links the walk does not follow: leaving the session, files and the API's raw schema.
SKIP = re.compile(r"^/(static|media)/|/logout/|/api/v1/|/schema/|\.(docx|xlsx|pdf|zip|csv)$")


class _Visible(HTMLParser):
    """Collect what a reader sees: text outside script/style, and tooltips."""

    HIDDEN = {"script", "style", "template", "noscript"}
    SHOWN_ATTRS = ("title", "placeholder", "alt", "aria-label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        a = dict(attrs)
        self.parts.extend(a[k] for k in self.SHOWN_ATTRS if a.get(k))
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def _rule_ids() -> set[str]:
    """Every id/code in the shipped rule data that a reader would take for code."""
    ids = set(rules_registry())
    root = Path(fazhi.__file__).parent

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("id", "code", "rate", "metric") and isinstance(value, str):
                    ids.add(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in root.rglob("*.toml"):
        walk(tomllib.loads(path.read_text("utf-8")))
    # A bare word ("farmland") could be English prose; dotted or snake ids cannot.
    return {i for i in ids if re.fullmatch(r"[a-z][a-z0-9]*([._][a-z0-9]+)+", i)}


def _checks() -> dict[str, re.Pattern]:
    ids = sorted(_rule_ids(), key=len, reverse=True)
    return {
        "rule id": re.compile(
            # Not a file name that happens to share a word: basic_farmland.geojson.
            r"(?<![\w./-])(" + "|".join(map(re.escape, ids)) + r")(?!\.?\w)"),
        "settings name": re.compile(r"\bFAZHI_[A-Z_]+"),
        "docs path": re.compile(r"docs/[\w./-]*\.md|\b[\w-]+\.md\b|§"),
        "provenance/placeholder": re.compile(
            r"UNCONFIRMED|[Pp]rovisional|[Pp]laceholder|未经核实|fazhi\s*默认|系统默认"
            r"|\bTODO\b|\bFIXME\b|占位|待补充|\bfazhi\b", re.I),
        "English error": re.compile(
            r"\b(Forbidden|Not Found|Server Error|Bad Request|Traceback|Exception"
            r"|Error|This field is required|Enter a valid|Invalid|None)\b"),
    }


def _shape(url: str) -> str:
    path = urlsplit(url)
    query = "&".join(sorted(p.split("=")[0] for p in path.query.split("&") if p))
    return re.sub(r"\d+", "N", path.path) + ("?" + query if query else "")


class _Crawl:
    def __init__(self) -> None:
        self.checks = _checks()
        self.pages = 0
        self.readers: Counter = Counter()
        self.failing: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))

    def read(self, client: Client, url: str, who: str) -> list[str]:
        """Read one page; note what is wrong with it; return its same-site links."""
        response = client.get(url)
        self.pages += 1
        if response.status_code >= 500:
            self.failing[url]["5xx"].add(f"{who}: {response.status_code}")
            return []
        if response.status_code in (301, 302):
            target = response["Location"]
            return [target] if target.startswith("/") else []
        if "text/html" not in response.get("Content-Type", ""):
            return []
        page = _Visible()
        page.feed(response.content.decode())
        text = "\n".join(page.parts)
        for name, pattern in self.checks.items():
            for hit in pattern.finditer(text):
                line = text[max(0, hit.start() - 30):hit.end() + 30].replace("\n", " ")
                self.failing[url][name].add(f"{who}: …{line}…")
        return [urldefrag(h)[0] for h in page.links
                if h.startswith("/") and not h.startswith("//")]

    def walk(self, client: Client, who: str) -> None:
        home = client.get("/")
        nav = re.search(r'<nav class="side".*?</nav>', home.content.decode(), re.S)
        sidebar = ["/", *re.findall(r'href="(/[^"]*)"', nav.group(0) if nav else "")]
        queue = list(sidebar)
        seen: set[str] = set()
        shapes: Counter = Counter()
        while queue and len(seen) < PER_PERSON:
            url = queue.pop(0)
            if url in seen or SKIP.search(urlsplit(url).path):
                continue
            if url not in sidebar and (shapes[_shape(url)] >= PER_SHAPE
                                       or self.readers[url] >= PER_URL):
                continue
            self.readers[url] += 1
            seen.add(url)
            shapes[_shape(url)] += 1
            queue.extend(self.read(client, url, who))

    def report(self) -> str:
        by_class = Counter(c for found in self.failing.values() for c in found)
        lines = [f"pages read {self.pages}, failing {len(self.failing)}: "
                 + ", ".join(f"{c} {n}" for c, n in by_class.most_common())]
        for url, found in sorted(self.failing.items()):
            for name, hits in found.items():
                lines.append(f"{url} [{name}] " + " | ".join(sorted(hits)[:2]))
        return "\n".join(lines)


def test_no_page_of_the_demo_shows_developer_words_or_fails(db):
    assert not settings.DEBUG
    call_command("demo_load", stdout=io.StringIO())
    crawl = _Crawl()
    # Every role once (湘潭县's people), then the city and the province.
    people = [f"xt_{stem}" for _, stem, *_ in ROLE_PEOPLE]
    people += [username for _, username, *_ in LEVEL_PEOPLE]
    for username in people:
        client = Client()
        client.force_login(User.objects.get(username=username))
        crawl.walk(client, username)
    _walk_public(crawl)
    print("\n" + crawl.report())
    assert not crawl.failing, crawl.report()


def _walk_public(crawl: _Crawl) -> None:
    """执法公示 and the applicant's rating page, as a citizen opens them."""
    from fazhi.permits.models import Application

    client = Client()
    seen: set[str] = set()
    queue = ["/gongshi/"]
    tokens = Application.objects.exclude(rating_token="").values_list(
        "rating_token", flat=True)[:3]
    queue += [f"/pingjia/{t}/" for t in tokens]
    shapes: Counter = Counter()
    while queue and len(seen) < PER_PERSON:
        url = queue.pop(0)
        if url in seen or SKIP.search(urlsplit(url).path) or shapes[_shape(url)] >= 3:
            continue
        seen.add(url)
        shapes[_shape(url)] += 1
        queue.extend(crawl.read(client, url, "public"))
