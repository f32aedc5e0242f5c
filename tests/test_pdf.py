"""The book's PDF, one per edition (``make pdf``, book/_ext/pdf.py): printed from the built
site by Chromium, joined by pypdf, with a contents page, page numbers and an outline."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pypdf  # in the test extra: a missing pypdf fails these tests, never skips them
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import pdf  # noqa: E402  (book/_ext/pdf.py)

pytestmark = pytest.mark.book

# Numbers the course's own programs print (the seed's code, /work/shared/seed), as the
# chapters print them: the PDF must carry the outputs, not just the prose.
SEED_NUMBERS = {
    "en": [
        "cost (MSE): 4.666666666666667",
        "Epoch: 99 w= 1.9999444396553017 loss= 1.752432687141379e-08",
        "Predict (after training) 4 7.999777758621207",
        "progress: 99 w= 1.9999999999999236 loss= 5.250973729513143e-26",
        "progress: 99 9.094947017729282e-13",
        "predict (after training) 4 7.999998569488525",
        "99 0.14524152874946594",
        "w = 1.7462902069091797",
        "y_pred = tensor([[7.5619]])",
    ],
}
SEED_NUMBERS["zh_CN"] = SEED_NUMBERS["en"]  # outputs are shared by the two editions
PROGRESS_BAR = "100%|##############################| 100/100 steps"


def sidebar_titles(edition: Path) -> list[str]:
    """The chapters' titles as the built site's sidebar shows them, in order."""
    page = (edition / "book" / "intro.html").read_text(encoding="utf-8")
    found = re.findall(
        r'<li class="toctree-l1[^"]*"><a class="reference internal"[^>]*>(.*?)</a>', page, re.S
    )
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", t)).split()) for t in found]


def normalised(text: str) -> str:
    """Text with its white space made single spaces, and in NFKC form: the CJK font's map
    gives some characters as their Kangxi radical twins (⼩ U+2F29 for 小 U+5C0F)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="session")
def book_pdfs(built_book: Path) -> dict[str, Path]:
    """Both editions' PDFs, printed from this session's build, as ``make pdf`` prints them."""
    run = subprocess.run(
        [sys.executable, str(ROOT / "book" / "_ext" / "pdf.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert run.returncode == 0, (
        f"book/_ext/pdf.py failed:\n{run.stdout[-3000:]}{run.stderr[-3000:]}"
    )
    return {
        language: built_book / folder / pdf.PDF_FOLDER / name
        for language, (folder, name, _) in pdf.EDITIONS.items()
    }


def outline(reader) -> list[tuple[str, int, list[str]]]:
    """Top-level bookmarks as (title, page index, titles of the bookmarks under it)."""
    found = []
    for item in reader.outline:
        if isinstance(item, list):
            found[-1][2].extend(i.title for i in item if not isinstance(i, list))
        else:
            found.append((item.title, reader.get_destination_page_number(item), []))
    return found


@pytest.fixture(scope="session")
def readers(book_pdfs):
    return {language: pypdf.PdfReader(path) for language, path in book_pdfs.items()}


@pytest.fixture(scope="session")
def texts(readers):
    return {
        language: normalised(" ".join(page.extract_text() for page in reader.pages))
        for language, reader in readers.items()
    }


@pytest.mark.parametrize("language", list(pdf.EDITIONS))
@pytest.mark.slow  # prints both editions with Chromium (minutes)
def test_pdf_has_a_sane_number_of_pages(readers, language):
    pages = len(readers[language].pages)
    # 15 pages and their contents page: about 430 A4 pages today; far fewer means pages
    # went missing, far more that something prints at a width it should not
    assert 250 <= pages <= 700, f"{language}: {pages} pages"


@pytest.mark.parametrize("language", list(pdf.EDITIONS))
@pytest.mark.slow  # prints both editions with Chromium (minutes)
def test_pdf_has_a_bookmark_for_every_chapter_with_its_sections(readers, built_book, language):
    folder = pdf.EDITIONS[language][0]
    reader = readers[language]
    marks = outline(reader)
    assert marks[0][:2] == (pdf.WORDS[language]["contents"], 0)
    chapters = marks[2:]  # after the contents page and the book's opening page
    titles = sidebar_titles(built_book / folder)
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert len(titles) == toc.count("- file: "), "the sidebar lost a chapter of _toc.yml"
    assert [title for title, _, _ in chapters] == titles
    pages = [page for _, page, _ in marks]
    assert pages == sorted(pages) and len(set(pages)) == len(pages), "chapters out of order"
    numbered = [c for c in chapters if re.match(r"\d+\. ", c[0])]
    assert len(numbered) == 10
    for title, page, sections in numbered:
        number = title.split(".")[0]
        # the chapter's sections, numbered as on the site, and the first is on its page
        assert len(sections) >= 3, f"{title}: sections {sections}"
        assert all(s.startswith(f"{number}.") for s in sections[:3]), sections
        # the page opens with the title (printed without its number, by the theme)
        # (compared without spaces: a Chinese title wraps anywhere)
        start = normalised(reader.pages[page].extract_text()).replace(" ", "")
        assert "".join(title.split(". ", 1)[1].split()) in start, f"{title!r} not on {page + 1}"


@pytest.mark.parametrize("language", list(pdf.EDITIONS))
@pytest.mark.slow  # prints both editions with Chromium (minutes)
def test_pdf_text_holds_the_seed_numbers_and_the_progress_bar_once(texts, language):
    text = texts[language]
    for number in SEED_NUMBERS[language]:
        assert normalised(number) in text, f"{language}: {number!r} not in the PDF's text"
    assert text.count(PROGRESS_BAR) == 1, "chapter 10's progress bar must print once"
    assert "Traceback (most recent call last)" not in text


@pytest.mark.slow  # prints both editions with Chromium (minutes)
def test_chinese_pdf_has_chinese_chapter_titles(readers, texts):
    titles = [title for title, _, _ in outline(readers["zh_CN"])]
    assert titles[0] == "目录"
    for title in ("1. 线性模型及其代价", "2. 梯度下降"):
        assert title in titles, titles
        assert title in texts["zh_CN"]
    chinese = [t for t in titles if re.search(r"[\u4e00-\u9fff]", t)]
    assert len(chinese) >= len(titles) - 1, f"titles not in Chinese: {titles}"


def embedded_fonts(reader) -> set[str]:
    """The fonts a PDF embeds as fonts (Type3 ones, glyphs drawn as pictures, left out)."""
    names = set()
    for page in reader.pages:
        for ref in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            font = ref.get_object()
            if font.get("/Subtype") != "/Type3":
                names.add(str(font.get("/BaseFont")).split("+")[-1])
    return names


@pytest.mark.slow  # prints both editions with Chromium (minutes)
def test_the_chinese_pdf_embeds_its_chinese_font_and_stays_small(book_pdfs, readers):
    """Chinese text is printed in a TrueType font that Chromium embeds as a subset
    (pdf.PRINT_CJK); in the site's Noto Sans CJK it drew every glyph as a Type3 picture, page
    after page, and the Chinese PDF was 2.1 times the English one (20 MB)."""
    assert "DroidSansFallback" in embedded_fonts(readers["zh_CN"])
    sizes = {language: path.stat().st_size for language, path in book_pdfs.items()}
    assert sizes["zh_CN"] < 1.6 * sizes["en"], f"the Chinese PDF is large: {sizes}"


@pytest.mark.parametrize("language", list(pdf.EDITIONS))
@pytest.mark.slow  # prints both editions with Chromium (minutes)
def test_pdf_pages_are_numbered_through_and_links_stay_inside(readers, language):
    reader = readers[language]
    for index in (0, len(reader.pages) // 2, len(reader.pages) - 1):
        last_line = reader.pages[index].extract_text().strip().splitlines()[-1]
        assert last_line.strip().endswith(str(index + 1)), (index, last_line)
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert "127.0.0.1" not in str(action.get("/URI", "")), "a link to the print server"


def test_progress_bar_is_printed_once_on_the_page(built_book):
    """Chapter 10's tqdm bar: its last state once, not its close() redraw or its quarters."""
    for edition in ("", "zh/"):
        page = (built_book / edition / "book" / "10_watching_training.html").read_text("utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert text.count(PROGRESS_BAR) == 1, f"{edition or 'en'}: the bar is not printed once"
        assert "/100 steps" not in text.replace(PROGRESS_BAR, ""), "a partial bar is left"


class _App:
    def __init__(self, outdir: Path, language: str) -> None:
        self.outdir = outdir
        self.config = type("Config", (), {"language": language, "html_context": {}})()


@pytest.mark.parametrize("language", list(pdf.EDITIONS))
def test_download_menu_offers_the_pdf_only_when_it_exists(tmp_path, language):
    app = _App(tmp_path, language)

    def menu() -> list[dict]:
        pdf._config_inited(app, app.config)
        context = {
            **app.config.html_context,
            "pathto": lambda target, resource: f"../{target}",
            "header_buttons": [{"label": "download-buttons", "buttons": []}],
        }
        pdf._menu_entry(app, "book/intro", "page.html", context, None)
        return context["header_buttons"][0]["buttons"]

    assert menu() == [], "a link to a PDF that is not there"
    name = pdf.EDITIONS[language][1]
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / name).write_bytes(b"%PDF-1.7")
    assert menu() == [], "a PDF without its record of the sources it was printed from"
    stamp = tmp_path / "pdf" / f"{name}.sources"
    stamp.write_text(pdf.sources_digest() + "\n")
    [entry] = menu()
    assert entry["url"] == f"../pdf/{name}" and entry["text"] == pdf.WORDS[language]["entry"]
    stamp.write_text("0" * 64 + "\n")  # printed from other sources: an edit came since
    assert menu() == [], "a PDF printed before the last edit"


def test_the_sources_digest_changes_with_any_source_file(tmp_path):
    for entry in pdf.SOURCES:
        target = tmp_path / entry
        if "." in entry:
            target.write_text("x")
        else:
            (target / "sub").mkdir(parents=True)
            (target / "sub" / "a.md").write_text("prose")
    digest = pdf.sources_digest.__wrapped__  # uncached
    before = digest(tmp_path)
    (tmp_path / "book" / "sub" / "a.md").write_text("prose, edited")
    edited = digest(tmp_path)
    assert edited != before
    (tmp_path / "locale" / "sub" / "a.mo").write_bytes(b"compiled")  # made by the build
    assert digest(tmp_path) == edited


def test_built_site_never_links_to_a_missing_pdf(built_book):
    for page in built_book.rglob("*.html"):
        source = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"]+\.pdf)"', source):
            assert (page.parent / href).resolve().is_file(), f"{page}: dead link {href}"


#: Every display formula of a page: wider than its column (scrollWidth > clientWidth)?
TOO_WIDE = """() => [...document.querySelectorAll('mjx-container[display="true"]')]
  .filter(m => m.scrollWidth > m.clientWidth + 1).length"""


@pytest.mark.slow  # lays chapters out in Chromium
def test_wide_formulas_are_set_smaller_to_fit_the_printed_column(built_book):
    """On paper a formula cannot scroll: printed at A4's column width, chapters 2 and 4 have
    formulas wider than the column, which FIT_FORMULAS sets small enough to fit."""
    with pdf.serve(built_book) as url, pdf.chromium() as browser:
        context = browser.new_context(viewport={"width": pdf.PRINT_WIDTH, "height": 1400})
        page = context.new_page()
        for chapter in ("02_gradient_descent", "04_backpropagation"):
            page.goto(f"{url}book/{chapter}.html", wait_until="load")
            page.add_style_tag(content=pdf.BOOK_ONLY)
            page.evaluate(pdf.TYPESET)
            page.emulate_media(media="print")
            wide = page.evaluate(TOO_WIDE)
            assert wide > 0, f"{chapter}: no formula wider than the column to test with"
            assert page.evaluate(pdf.FIT_FORMULAS) == wide
            assert page.evaluate(TOO_WIDE) == 0, f"{chapter}: a formula is still cut"
        context.close()
