"""A breadth-first crawl of the site as one signed-in user, with the Django test client.

It follows every same-site link of every HTML page (``<a href>`` and htmx ``hx-get``), GET only, and
collects what is wrong instead of stopping at the first problem: a server error anywhere, a "not found"
reached through a link (with the page that linked it), untranslated English and raw snake_case codes in
the visible text of the Vietnamese pages. Downloads (any answer that is not HTML) are fetched and must
answer 200, but are not parsed."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import polib
from django.http.response import HttpResponseBase
from django.test import Client

import vungcao

CATALOGUE = Path(vungcao.__file__).parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"
# Where the crawl never goes: signing out, switching the language (both POST forms anyway), the static
# files, and Django's own admin site (translated by Django, outside the application's pages).
SKIPPED_PREFIXES = ("/accounts/logout/", "/i18n/", "/static/", "/admin/")
# Answers that are fetched and checked but not parsed for links: the JSON API and its generated docs.
NOT_CRAWLED_PREFIXES = ("/api/",)
# The same path with other query strings (pages, sorting, filters) is visited this many times at most, and
# the pages of one pattern (the path with its numbers and codes replaced) this many times: enough to reach
# each kind of page without walking every household of the demo through the list's pages.
SAMPLE = "the sample of object pages the user may see"
PER_PATH = 2
PER_PATTERN = 4
INVISIBLE = {"script", "style", "template", "noscript", "code", "pre", "kbd", "samp", "textarea", "title"}
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
SNAKE_CASE = re.compile(r"(?<![\w./@:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/@-])")
NUMBERS_AND_CODES = re.compile(r"/(?:\d[\w-]*|[0-9a-f]{8}-[0-9a-f-]{27})(?=/|$)")
# An English message is looked for only when it says something in words (two words or more).
MESSAGE_WORDS = re.compile(r"[A-Za-z]+")
MARKUP_OR_PLACEHOLDER = re.compile(r"%\([^)]*\)[sdifr]|%[sdif]|\{[^}]*\}|<[^>]*>|[<>]")


@dataclass
class Failure:
    role: str
    url: str
    problem: str
    linked_from: str = ""

    def __str__(self) -> str:
        via = f" (linked from {self.linked_from})" if self.linked_from else ""
        return f"[{self.role}] {self.url}{via}: {self.problem}"


@dataclass
class CrawlResult:
    visited: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


class _PageReader(HTMLParser):
    """The links of a page and the text a reader sees on it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        if values.get("hx-get"):
            self.links.append(str(values["hx-get"]))
        if tag in INVISIBLE:
            self._hidden += 1
        elif not self._hidden and "hidden" not in values and values.get("type") != "hidden":
            self.text.extend(str(values[name]) for name in VISIBLE_ATTRIBUTES if values.get(name))

    def handle_endtag(self, tag: str) -> None:
        if tag in INVISIBLE and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.text.append(data)


def page_read(html: str) -> tuple[list[str], str]:
    reader = _PageReader()
    reader.feed(html)
    reader.close()
    return reader.links, " ".join(" ".join(reader.text).split())


@cache
def english_messages() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The English texts of the catalogue's messages whose Vietnamese differs: each literal run of words of
    a message (between its placeholders and markup) long enough to be unambiguous and found in no
    Vietnamese text of the catalogue (where "API" or "Excel" are Vietnamese too), as a whole-word pattern."""
    entries = [
        entry
        for entry in polib.pofile(str(CATALOGUE))
        if not entry.obsolete and "fuzzy" not in entry.flags and entry.msgstr
    ]
    vietnamese = "\n".join(" ".join(entry.msgstr.split()) for entry in entries).casefold()
    runs: set[str] = set()
    for entry in entries:
        if entry.msgstr.strip().casefold() == entry.msgid.strip().casefold():
            continue
        for run in MARKUP_OR_PLACEHOLDER.split(entry.msgid):
            words = " ".join(run.split()).strip(" .,:;()")
            if (
                len(MESSAGE_WORDS.findall(words)) >= 2
                and len(words) >= 10
                and words.casefold() not in vietnamese
            ):
                runs.add(words)
    return tuple((run, re.compile(r"(?<!\w)" + re.escape(run) + r"(?!\w)")) for run in sorted(runs))


def text_problems(text: str) -> list[str]:
    problems = [f"untranslated: {run!r}" for run, pattern in english_messages() if pattern.search(text)]
    problems += [f"code shown as text: {code!r}" for code in sorted(set(SNAKE_CASE.findall(text)))]
    return problems


def _same_site(base: str, href: str) -> str | None:
    target, _fragment = urldefrag(urljoin(base, href.strip()))
    parts = urlsplit(target)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path or "/"
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def pattern_of(url: str) -> str:
    return NUMBERS_AND_CODES.sub("/#", urlsplit(url).path)


def fetch(client: Client, url: str) -> HttpResponseBase:
    """GET ``url``; a streamed download is read to its end, which closes its file the way the test client
    expects (closing it by hand would close the database connection too)."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response


def crawl(
    client: Client, role: str, *, start: Iterable[str] = ("/",), sampled: Iterable[str] = (), cap: int = 150
) -> CrawlResult:
    """Crawl from ``start`` (links followed, within ``cap`` pages) and visit ``sampled`` pages too (their
    links followed while the cap allows); ``client`` is signed in as the user playing ``role``."""
    result = CrawlResult()
    queue: deque[tuple[str, str]] = deque([(url, "") for url in start] + [(url, SAMPLE) for url in sampled])
    seen = {url for url, _ in queue}
    per_path: Counter[str] = Counter()
    per_pattern: Counter[str] = Counter()
    while queue and len(result.visited) < cap:
        url, linked_from = queue.popleft()
        result.visited.append(url)
        response = fetch(client, url)
        status = response.status_code
        failure = None
        if status >= 500:
            failure = f"server error {status}"
        elif status == 404 and linked_from:
            failure = "not found"
        elif status in (301, 302, 303, 307, 308):
            target = _same_site(url, response.headers["Location"])
            if target and target not in seen:
                seen.add(target)
                queue.append((target, url))
            continue
        elif status != 200 and linked_from and not url.startswith(NOT_CRAWLED_PREFIXES):
            failure = f"answers {status}"
        if failure:
            result.failures.append(Failure(role, url, failure, linked_from))
            continue
        content_type = response.headers.get("Content-Type", "")
        if status != 200 or not content_type.startswith("text/html") or url.startswith(NOT_CRAWLED_PREFIXES):
            continue
        links, text = page_read(response.content.decode())
        result.failures.extend(Failure(role, url, problem) for problem in text_problems(text))
        for href in links:
            target = _same_site(url, href)
            if target is None or target in seen:
                continue
            path = urlsplit(target).path
            if per_path[path] >= PER_PATH or per_pattern[pattern_of(target)] >= PER_PATTERN:
                continue
            per_path[path] += 1
            per_pattern[pattern_of(target)] += 1
            seen.add(target)
            queue.append((target, url))
    return result
