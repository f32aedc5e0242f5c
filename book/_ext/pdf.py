"""The whole book as one PDF per edition, printed from the built site.

Run as a script (``make pdf`` does, after ``make book``)::

    python book/_ext/pdf.py            # both editions
    python book/_ext/pdf.py zh_CN      # one

Each page of the book, in the order of its sidebar, is printed by Chromium (Debian's, driven
by Playwright, as the browser tests drive it) with the site's print stylesheet: light colours
whatever the mode, code wrapped, solutions open, no sidebars or buttons. A page is printed
once its images have loaded and MathJax has typeset its formulas. ``pypdf`` then joins the
pages after a contents page, numbers every page at its foot, adds the outline (a bookmark
per chapter, one per section under it, from the headings Chromium records), and turns the
links between pages of the book into links inside the PDF.

The PDF goes where its edition's pages are served: ``_build/html/pdf/`` for English,
``_build/html/zh/pdf/`` for Chinese (:data:`EDITIONS`).

As a Sphinx extension (listed in ``_config.yml``) it offers that PDF in the download menu of
every page, but only when the file is there when the site is built, and was printed from
the sources as they are now: ``make pdf`` builds the site, prints the PDFs (each with a
``.sources`` file beside it: a digest of what the site is built from), then builds the site
again (a warm build: every page is rewritten, nothing re-executed), so the menu never links
to a PDF that does not exist. A plain ``make book`` on a clean tree offers none, and after an
edit it no longer offers the PDF printed before it (the build says so: run ``make pdf``).
"""

from __future__ import annotations

import functools
import hashlib
import html
import http.server
import io
import re
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
#: language -> (folder of the edition in the site, file name of its PDF, html lang)
EDITIONS = {
    "en": ("", "pytorch-deep-learning-practice.pdf", "en"),
    "zh_CN": ("zh", "pytorch-deep-learning-practice-zh_CN.pdf", "zh-CN"),
}
#: where an edition's PDF sits inside the edition's folder
PDF_FOLDER = "pdf"
#: the contents page's heading, the menu entry and its tooltip, per edition
WORDS = {
    "en": {"contents": "Contents", "entry": "Book (.pdf)", "tip": "Download the whole book"},
    "zh_CN": {"contents": "目录", "entry": "全书 (.pdf)", "tip": "下载全书"},
}
PAGE = {
    "format": "A4",
    "margin": {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"},
}
#: The width PAGE leaves for the text, in CSS pixels (210 - 2 x 15 mm at 96 px per inch): the
#: pages are laid out at it before printing, so what is measured is what is printed.
PRINT_WIDTH = round((210 - 2 * 15) / 25.4 * 96)
#: The Chinese text's font in print: Droid Sans Fallback (Debian's fonts-droid-fallback) has
#: TrueType outlines, which Chromium embeds once per printed page as a subset; Noto Sans CJK,
#: the site's, has CFF outlines in a font collection, which it draws glyph by glyph as Type3
#: fonts instead (3,489 of them, 9 MB, in the Chinese PDF). Listed after the Latin fonts, so
#: it only draws what they lack; without it installed, Noto is used, in a larger PDF.
PRINT_CJK = "'Droid Sans Fallback'"
#: fonts of the contents page and the page numbers (Noto CJK: Debian's fonts-noto-cjk)
FONTS = f"'DejaVu Sans', {PRINT_CJK}, 'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif"


@dataclass
class Chapter:
    """One page of the book: where it is in the site, its title and part (as the sidebar
    shows them), and, once printed, its PDF and its sections (title, page within it)."""

    href: str
    title: str
    part: str = ""
    pdf: bytes = b""
    sections: list[tuple[str, int]] = field(default_factory=list)
    first_page: int = 0


# --- reading the book's order from the built site -----------------------------------------


def book_contents(root_page: str) -> list[tuple[str, str, str]]:
    """The book's pages after the root in reading order as (part caption, title, href)
    triples, read from the sidebar of the built root page (so each edition gives its own
    titles); hrefs are relative to the root page.

    >>> side = ('<nav class="bd-links bd-docs-nav"><p class="caption" role="heading">'
    ...         '<span class="caption-text">Part I</span></p><ul class="nav bd-sidenav">'
    ...         '<li class="toctree-l1"><a class="reference internal" href="01_a.html">'
    ...         '1. A &amp; B</a></li></ul></nav>')
    >>> book_contents(side)
    [('Part I', '1. A & B', '01_a.html')]
    """
    nav = re.search(r'<nav class="[^"]*\bbd-docs-nav\b[^"]*"[^>]*>(.*?)</nav>', root_page, re.S)
    if nav is None:
        raise ValueError("root_page: no sidebar navigation (nav.bd-docs-nav) in the page")
    found, part = [], ""
    pattern = (
        r'<span class="caption-text">(?P<caption>.*?)</span>'
        r'|<li class="toctree-l1[^"]*"><a class="reference internal" href="(?P<href>[^"#]+)"'
        r"[^>]*>(?P<title>.*?)</a>"
    )
    for match in re.finditer(pattern, nav.group(1), re.S):
        if match["caption"] is not None:
            part = _text(match["caption"])
        else:
            found.append((part, _text(match["title"]), match["href"]))
    return found


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


# --- printing -----------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free loopback port; yield its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium, headless, through Playwright (never a browser of its own)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("make pdf needs Chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


#: resolves once MathJax has typeset the page (or at once on a page without it)
TYPESET = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  await document.fonts.ready;
  await Promise.all([...document.images].map(i => i.complete ? 0 : i.decode().catch(() => 0)));
  return document.querySelectorAll("mjx-container").length;
}"""


#: A display formula wider than the printed column would be cut at its edge (on paper it
#: cannot scroll, and MathJax 3 does not break lines): each is set in a smaller size, just
#: enough to fit. Returns how many were made smaller.
FIT_FORMULAS = """() => {
  let fitted = 0;
  for (const formula of document.querySelectorAll('mjx-container[display="true"]')) {
    const room = formula.clientWidth, needed = formula.scrollWidth;
    if (room > 0 && needed > room + 1) {
      formula.style.fontSize = `${Math.floor((100 * room) / needed)}%`;
      fitted += 1;
    }
  }
  return fitted;
}"""

#: the texts of the sections' headings (h2), in order, as the page shows them
HEADINGS = """() => [...document.querySelectorAll("article.bd-article h2")]
  .filter(h => h.checkVisibility())
  .map(h => { const c = h.cloneNode(true);
              c.querySelectorAll(".headerlink").forEach(e => e.remove());
              return c.textContent.split(/\\s+/).join(" ").trim(); })"""
#: in the whole book, each page's own contents list (the theme prints one) would repeat the
#: book's contents page and outline
BOOK_ONLY = f"""
#jb-print-toc {{ display: none !important; }}
:root {{
  --pst-font-family-base: -apple-system, "Segoe UI", "DejaVu Sans", {PRINT_CJK}, sans-serif;
  --pst-font-family-heading: var(--pst-font-family-base);
  --pst-font-family-monospace: "DejaVu Sans Mono", {PRINT_CJK}, monospace;
}}
"""


def print_page(page, url: str) -> tuple[bytes, list[str]]:
    """One page of the site as a PDF, its formulas typeset and its headings as an outline;
    and the texts of its sections' headings."""
    page.goto(url, wait_until="load")
    page.add_style_tag(content=BOOK_ONLY)
    page.evaluate(TYPESET)
    page.emulate_media(media="print")
    page.evaluate(FIT_FORMULAS)
    headings = page.evaluate(HEADINGS)
    return page.pdf(**PAGE, print_background=True, outline=True, tagged=True), headings


def sections(pdf: bytes, headings: list[str]) -> list[tuple[str, int]]:
    """The sections of a printed page with the page each starts on: the second level of the
    outline Chromium wrote (the first is the page's title), named by ``headings`` (Chromium's
    own titles of headings that wrap or cross a page repeat words: "walkingdownhilldownhill").
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            elif depth == 1:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    if len(found) != len(headings):
        raise ValueError(
            f"headings: {len(headings)} sections on the page, {len(found)} in its outline"
        )
    return [(name, page) for name, (_, page) in zip(headings, found, strict=True)]


def contents_page(language: str, title: str, chapters: list[Chapter], offset: int) -> str:
    """The HTML of the contents page: the book's title, then each part and its chapters with
    the page each starts on (``offset`` pages of contents come first)."""
    lang = EDITIONS[language][2]
    rows, part = [], None
    for chapter in chapters:
        if chapter.part != part and chapter.part:
            rows.append(f'<li class="part">{html.escape(chapter.part)}</li>')
        part = chapter.part
        rows.append(
            f"<li><span>{html.escape(chapter.title)}</span>"
            f'<span class="dots"></span><span>{chapter.first_page + offset + 1}</span></li>'
        )
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>
body {{ font-family: {FONTS}; color: #222832; font-size: 11pt; }}
h1 {{ font-size: 22pt; margin: 0 0 4mm; }} h2 {{ font-size: 15pt; margin: 10mm 0 4mm; }}
ul {{ list-style: none; padding: 0; }}
li {{ display: flex; margin: 1.5mm 0; }} li.part {{ font-weight: bold; margin-top: 5mm; }}
.dots {{ flex: 1; border-bottom: 1px dotted #999; margin: 0 2mm 1mm; }}
</style></head><body><h1>{html.escape(title)}</h1>
<h2>{WORDS[language]["contents"]}</h2><ul>{"".join(rows)}</ul></body></html>"""


def numbers_page(count: int) -> str:
    """HTML of ``count`` pages, each blank but for its number at the foot: laid over the
    book's pages, it numbers them through (Chromium numbers each printed page from 1)."""
    pages = "".join(f'<div class="p"><span>{n}</span></div>' for n in range(1, count + 1))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 0; }} html, body {{ margin: 0; background: transparent; }}
.p {{ height: 297mm; position: relative; break-after: page; font: 9pt {FONTS}; color: #48566b; }}
.p span {{ position: absolute; bottom: 8mm; width: 100%; text-align: center; }}
</style></head><body>{pages}</body></html>"""


def print_html(browser, document: str, **options) -> bytes:
    page = browser.new_page()
    try:
        page.set_content(document, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => 0)")
        return page.pdf(**(options or PAGE), print_background=False)
    finally:
        page.close()


# --- joining ------------------------------------------------------------------------------


def join(
    language: str,
    title: str,
    contents: bytes,
    chapters: list[Chapter],
    numbers: bytes,
    base: str,
) -> bytes:
    """The book: the contents, then every chapter, numbered, with an outline and the links
    between the book's pages pointing inside the PDF."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    for part in [contents, *(c.pdf for c in chapters)]:
        writer.append(PdfReader(io.BytesIO(part)), import_outline=False)
    overlay = PdfReader(io.BytesIO(numbers))
    for index, page in enumerate(writer.pages):
        page.merge_page(overlay.pages[index])
        page.compress_content_streams()  # merging leaves them uncompressed: 3 times larger

    offset = len(PdfReader(io.BytesIO(contents)).pages)
    writer.add_outline_item(title=WORDS[language]["contents"], page_number=0)
    starts: dict[str, int] = {}
    for chapter in chapters:
        start = offset + chapter.first_page
        starts[urljoin(base, chapter.href)] = start
        mark = writer.add_outline_item(title=chapter.title, page_number=start)
        for name, page in chapter.sections:
            writer.add_outline_item(title=name, page_number=start + page, parent=mark)

    # links to another page of the book go to that page in the PDF, not to the loopback
    # server that served the pages for printing (a link to a section, to its chapter)
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action else ""
            if not uri.startswith(base):
                continue
            target = starts.get(uri.split("#", 1)[0])
            if target is None:
                del annotation[NameObject("/A")]
                continue
            annotation[NameObject("/A")] = DictionaryObject(
                {
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject(
                        [writer.pages[target].indirect_reference, NameObject("/Fit")]
                    ),
                }
            )

    writer.add_metadata({"/Title": title, "/Creator": "make pdf (book/_ext/pdf.py)"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(EDITIONS[language][2])
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build(language: str, site: Path = SITE, browser=None) -> Path:
    """Print the edition ``language`` of the built ``site`` into its PDF; return its path."""
    from pypdf import PdfReader

    if language not in EDITIONS:
        raise ValueError(f"language: expected one of {sorted(EDITIONS)}, got {language!r}")
    folder, name, _ = EDITIONS[language]
    edition = site / folder
    root = edition / "book" / "intro.html"
    if not root.is_file():
        raise SystemExit(f"{root} is missing: build the site first (make book)")
    if browser is None:
        with chromium() as browser:
            return build(language, site, browser)

    source = root.read_text(encoding="utf-8")
    title = _text(re.search(r"<title>(.*?)</title>", source, re.S).group(1))
    title = re.split(r"\s+[—–-]\s+", title)[-1]  # "<page> — <site title>"
    with serve(site) as url:
        base = urljoin(url, f"{folder}/" if folder else "")
        first = _text(re.search(r"<h1[^>]*>(.*?)</h1>", source, re.S).group(1)).rstrip("#")
        chapters = [Chapter("book/intro.html", first.strip())]
        chapters += [Chapter(urljoin("book/", h), t, p) for p, t, h in book_contents(source)]
        context = browser.new_context(
            color_scheme="light", viewport={"width": PRINT_WIDTH, "height": 1400}
        )
        page = context.new_page()
        pages = 0
        for chapter in chapters:
            chapter.pdf, headings = print_page(page, urljoin(base, chapter.href))
            chapter.sections = sections(chapter.pdf, headings)
            chapter.first_page = pages
            pages += len(PdfReader(io.BytesIO(chapter.pdf)).pages)
        context.close()
        # the contents page's length is known once printed: print it again with the numbers
        contents = print_html(browser, contents_page(language, title, chapters, 0))
        offset = len(PdfReader(io.BytesIO(contents)).pages)
        contents = print_html(browser, contents_page(language, title, chapters, offset))
        numbers = print_html(browser, numbers_page(offset + pages), prefer_css_page_size=True)
        book = join(language, title, contents, chapters, numbers, base)
    target = edition / PDF_FOLDER / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(book)
    _stamp(target).write_text(sources_digest() + "\n")
    return target


def main(argv: list[str]) -> int:
    languages = argv or list(EDITIONS)
    with chromium() as browser:
        for language in languages:
            start = time.perf_counter()
            path = build(language, browser=browser)
            size = path.stat().st_size / 1e6
            print(
                f"[pdf] {language}: {path.relative_to(ROOT)} ({size:.1f} MB) in "
                f"{time.perf_counter() - start:.1f} s"
            )
    return 0


# --- the download menu --------------------------------------------------------------------


#: What the built pages (and so the PDF) are made from.
SOURCES = ("book", "locale", "code/dlpractice", "_config.yml", "_toc.yml")


@functools.cache
def sources_digest(root: Path = ROOT) -> str:
    """A digest of every file the site is built from (names and contents; the catalogs'
    compiled ``.mo`` files, which the build writes, left out)."""
    from code_cache_guard import file_hashes  # book/_ext: the same walk and hashes

    hashes = file_hashes(root, list(SOURCES))
    kept = sorted((name, sha) for name, sha in hashes.items() if not name.endswith(".mo"))
    return hashlib.sha256(repr(kept).encode()).hexdigest()


def _stamp(pdf_path: Path) -> Path:
    return pdf_path.with_name(pdf_path.name + ".sources")


def pdf_url(outdir: Path, language: str) -> str:
    """Path of the edition's PDF relative to the edition's root, if the file is there and
    was printed from the sources as they are now."""
    _, name, _ = EDITIONS.get(language, EDITIONS["en"])
    path = outdir / PDF_FOLDER / name
    if not path.is_file():
        return ""
    stamp = _stamp(path)
    if not stamp.is_file() or stamp.read_text().strip() != sources_digest():
        print(f"[pdf] {path}: printed before the last edit, not offered (make pdf)")
        return ""
    return f"{PDF_FOLDER}/{name}"


def _config_inited(app, config) -> None:
    # in html_context, so that the pages are all written again when the PDF comes or goes
    # (Sphinx rewrites every page when a setting of the HTML output changes)
    language = config.language if config.language in EDITIONS else "en"
    config.html_context = {**config.html_context, "book_pdf": pdf_url(Path(app.outdir), language)}


def _menu_entry(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    url = context.get("book_pdf")
    if not url:
        return
    language = app.config.language if app.config.language in EDITIONS else "en"
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](url, 1),
                    "text": WORDS[language]["entry"],
                    "tooltip": WORDS[language]["tip"],
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )


def setup(app) -> dict:
    app.connect("config-inited", _config_inited)
    # after sphinx-book-theme has made its header buttons (priority 501)
    app.connect("html-page-context", _menu_entry, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
