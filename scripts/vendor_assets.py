"""Fetch the site's third-party browser assets from npm, pinned and verified, into docs/assets/vendor/.

Run by hand when upgrading (`python scripts/vendor_assets.py`); the result is committed so
the site builds offline. Each package is fetched with `npm pack` at an exact version and
its tarball is checked against the registry's sha512 integrity recorded here before any
file is extracted. KaTeX's stylesheet is rewritten to reference only the woff2 fonts it
ships here (every browser that runs KaTeX 0.16+ reads woff2), so no font URL dangles.
"""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "docs" / "assets" / "vendor"

KATEX_VERSION = "0.19.1"
KATEX_INTEGRITY = "sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA=="


def npm_pack(spec: str, integrity: str, workdir: Path) -> tarfile.TarFile:
    name = (
        subprocess.run(["npm", "pack", spec, "--silent"], cwd=workdir, check=True, capture_output=True, text=True)
        .stdout.strip()
        .splitlines()[-1]
    )
    data = (workdir / name).read_bytes()
    algorithm, expected = integrity.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        sys.exit(f"{spec}: integrity mismatch (expected {expected}, got {actual})")
    return tarfile.open(workdir / name)


def woff2_only(css: str) -> str:
    """Drop the woff and ttf fallbacks from each @font-face src list."""
    return re.sub(
        r'url\((fonts/[^)]+\.woff2)\) format\("woff2"\),url\(fonts/[^)]+\.woff\) format\("woff"\),url\(fonts/[^)]+\.ttf\) format\("truetype"\)',
        r'url(\1) format("woff2")',
        css,
    )


def vendor_katex(workdir: Path) -> None:
    target = VENDOR / "katex"
    with npm_pack(f"katex@{KATEX_VERSION}", KATEX_INTEGRITY, workdir) as tar:
        members = {m.name: m for m in tar.getmembers()}

        def read(name: str) -> bytes:
            extracted = tar.extractfile(members[f"package/{name}"])
            assert extracted is not None
            return extracted.read()

        (target / "fonts").mkdir(parents=True, exist_ok=True)
        (target / "katex.min.js").write_bytes(read("dist/katex.min.js"))
        (target / "contrib").mkdir(exist_ok=True)
        (target / "contrib" / "auto-render.min.js").write_bytes(read("dist/contrib/auto-render.min.js"))
        css = read("dist/katex.min.css").decode("utf-8")
        rewritten = woff2_only(css)
        if 'format("woff")' in rewritten:
            sys.exit("katex.min.css changed shape: update woff2_only()")
        (target / "katex.min.css").write_text(rewritten, encoding="utf-8")
        (target / "LICENSE").write_bytes(read("LICENSE"))
        for name in members:
            if name.startswith("package/dist/fonts/") and name.endswith(".woff2"):
                (target / "fonts" / Path(name).name).write_bytes(read(name.removeprefix("package/")))
    (target / "VERSION").write_text(f"katex {KATEX_VERSION}\n{KATEX_INTEGRITY}\n", encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vendor_katex(Path(tmp))
    print(f"vendored KaTeX {KATEX_VERSION} into {VENDOR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
