"""Page weight of the built site: each page's HTML, the images it shows, and the total.

A reader downloads a page's HTML and its images (scripts, styles and fonts are shared by all
pages and cached after the first). Prints every page, the heaviest, and the size of the whole
site, and checks the heaviest page against the 1.5 MB budget.

    .venv/bin/python benchmarks/page_weight.py [_build/html]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

BUDGET = 1.5e6
IMAGE = re.compile(r'<img[^>]+src="([^"]+)"')


def page_weights(site: Path) -> list[tuple[str, int, int]]:
    """``(page, html bytes, image bytes)`` for every HTML page of the site."""
    rows = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        images = {(page.parent / src.split("?")[0]).resolve() for src in IMAGE.findall(html)}
        image_bytes = sum(p.stat().st_size for p in images if p.is_file())
        rows.append((page.relative_to(site).as_posix(), page.stat().st_size, image_bytes))
    return rows


def report(site: Path) -> bool:
    """Print the table; return True if the heaviest page is within budget."""
    rows = page_weights(site)
    print(f"{'page':<44} {'HTML kB':>8} {'images kB':>10} {'total kB':>9}")
    for name, html, images in rows:
        print(f"{name:<44} {html / 1e3:8.1f} {images / 1e3:10.1f} {(html + images) / 1e3:9.1f}")
    name, html, images = max(rows, key=lambda row: row[1] + row[2])
    site_bytes = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    heaviest = html + images
    ok = heaviest <= BUDGET
    print(
        f"heaviest page: {name}, {heaviest / 1e6:.2f} MB "
        f"({'within' if ok else 'OVER'} the {BUDGET / 1e6:.1f} MB budget)"
    )
    print(
        f"whole site: {site_bytes / 1e6:.1f} MB in {sum(1 for _ in site.rglob('*'))} files "
        f"(MathJax, shared by all pages, is {_size(site / '_static' / 'mathjax') / 1e6:.1f} MB)"
    )
    return ok


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


if __name__ == "__main__":
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[1] / "_build" / "html"
    )
    sys.exit(0 if report(target) else 1)
