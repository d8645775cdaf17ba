"""Zips the project's Python packages for Glue's --extra-py-files, byte-identical for identical sources.

Usage: python scripts/build_glue_libs.py OUTPUT.zip
Fixed timestamps and sorted entries keep the zip's MD5 stable, so Terraform re-uploads it only when a
source file changed.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ecomdwh", "etl")
# The warehouse SQL and data-quality checks the warehouse jobs run (ecomdwh.config finds them in the zip).
DATA = ("warehouse_sql", ("*.sql", "*.toml"))
FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def package_files(root: Path) -> list[Path]:
    folder, patterns = DATA
    code = [path for package in PACKAGES for path in (root / package).rglob("*.py")]
    data = [path for pattern in patterns for path in (root / folder).rglob(pattern)]
    return sorted(path for path in code + data if "__pycache__" not in path.parts)


def build(output: Path, root: Path = REPO_ROOT) -> list[Path]:
    files = package_files(root)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            entry = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=FIXED_TIMESTAMP)
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return files


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: build_glue_libs.py OUTPUT.zip", file=sys.stderr)
        return 2
    files = build(Path(argv[0]))
    print(f"{argv[0]}: {len(files)} files from {', '.join(PACKAGES)} and {DATA[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
