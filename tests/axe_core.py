"""axe-core, the accessibility checker that the browser tests inject into every page.

It comes from the npm registry as the pinned release's tarball, checked against the SHA-256
below, and is kept in ``_build/vendor`` (ignored by git), so a fresh clone fetches it once,
on the first browser test run. By hand: ``.venv/bin/python tests/axe_core.py``.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import time
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
#: SHA-256 of the tarball (npm's own record is its SHA-1, 14d8a6f3f085afd126b8b5ca1e42e50e17fb1d99)
SHA256 = "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
CACHE = Path(__file__).resolve().parents[1] / "_build" / "vendor" / f"axe-core-{VERSION}.min.js"


def _download(url: str, attempts: int = 3) -> bytes:
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                return response.read()
        except OSError:
            if attempt == attempts - 1:
                raise
            time.sleep(2 * (attempt + 1))
    raise AssertionError("unreachable")


def axe_source() -> str:
    """The text of ``axe.min.js``, fetched and verified on first use, then read from the cache."""
    if not CACHE.is_file():
        tarball = _download(TARBALL)
        digest = hashlib.sha256(tarball).hexdigest()
        if digest != SHA256:
            raise RuntimeError(f"{TARBALL}: SHA-256 {digest}, expected {SHA256}")
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
            script = archive.extractfile("package/axe.min.js").read()
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        partial = CACHE.with_suffix(".part")
        partial.write_bytes(script)
        partial.replace(CACHE)
    return CACHE.read_text(encoding="utf-8")


if __name__ == "__main__":
    print(f"axe-core {VERSION}: {len(axe_source())} characters in {CACHE}")
