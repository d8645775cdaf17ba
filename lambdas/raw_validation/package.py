"""Builds the raw_validation Lambda zip: the handler package plus the project modules it reads.

ecomdwh/contracts.py and ecomdwh/raw_format.py are copied in, not duplicated in the repository, so the
Lambda and ETL always judge by the same contract and the same structural rules. Entries carry a fixed timestamp: the same sources give the same bytes, so
Terraform's source_code_hash changes only when the code does.

    python -m lambdas.raw_validation.package .local/lambda/raw_validation.zip
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HANDLER = "lambdas.raw_validation.handler.handler"
SOURCES = (
    "lambdas/__init__.py",
    "lambdas/raw_validation/__init__.py",
    "lambdas/raw_validation/handler.py",
    "lambdas/raw_validation/rules.py",
    "ecomdwh/__init__.py",
    "ecomdwh/contracts.py",
    "ecomdwh/raw_format.py",
)
FIXED_TIMESTAMP = (2020, 1, 1, 0, 0, 0)


def build_zip(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for source in SOURCES:
            entry = zipfile.ZipInfo(source, date_time=FIXED_TIMESTAMP)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, (REPO_ROOT / source).read_bytes())
    return target


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m lambdas.raw_validation.package <output.zip>")
    print(build_zip(Path(argv[0])))


if __name__ == "__main__":
    main(sys.argv[1:])
