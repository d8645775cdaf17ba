"""Zips what the Glue jobs import beyond the Glue runtime, for --extra-py-files, byte-identical for identical sources.

Usage: python scripts/build_glue_libs.py OUTPUT.zip
The zip holds the project's packages, the warehouse SQL they read, and the third-party packages they
import that Glue 5.0 does not provide (VENDORED), copied from this environment at the version
requirements.lock pins. tests/integration/test_terraform_envs.py imports every job against the Glue
5.0 module list plus this zip, so a missing package fails there. Fixed timestamps and sorted entries
keep the zip's MD5 stable, so Terraform re-uploads it only when a source file changed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ecomdwh", "etl")
# The warehouse SQL and data-quality checks the warehouse jobs run (ecomdwh.config finds them in the zip).
DATA = ("warehouse_sql", ("*.sql", "*.toml"))
# Imported by the warehouse jobs at module level, absent from Glue 5.0 (modules/glue/glue-5.0-python-modules.txt).
# Shipped in the zip rather than through --additional-python-modules: no pip run against PyPI at every job start.
VENDORED = ("sqlglot",)
LOCK_FILE = REPO_ROOT / "requirements.lock"
FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


class VendoringError(RuntimeError):
    """A vendored package that cannot go into the zip as it is, worded with the fix."""


def package_files(root: Path) -> list[tuple[str, Path]]:
    """(entry name, file) of the project's packages and warehouse SQL."""
    folder, patterns = DATA
    code = [path for package in PACKAGES for path in (root / package).rglob("*.py")]
    data = [path for pattern in patterns for path in (root / folder).rglob(pattern)]
    files = [path for path in code + data if "__pycache__" not in path.parts]
    return [(path.relative_to(root).as_posix(), path) for path in files]


def pinned_version(distribution: str, lock_file: Path = LOCK_FILE) -> str:
    match = re.search(
        rf"^{re.escape(distribution)}==(\S+)", lock_file.read_text(), re.MULTILINE | re.IGNORECASE
    )
    if not match:
        raise VendoringError(
            f"{lock_file}: no '{distribution}==' pin; add {distribution} to requirements.lock"
        )
    return match.group(1)


def vendored_files(names: tuple[str, ...] = VENDORED) -> list[tuple[str, Path]]:
    """(entry name, file) of each vendored package as installed, checked against its pin and for pure Python."""
    entries = []
    for name in names:
        installed, pinned = importlib.metadata.version(name), pinned_version(name)
        if installed != pinned:
            raise VendoringError(
                f"{name} {installed} is installed but requirements.lock pins {pinned}; run `make install`"
            )
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise VendoringError(f"{name} is not an installed package; run `make install`")
        package_dir = Path(next(iter(spec.submodule_search_locations)))
        compiled = sorted(p.name for p in package_dir.rglob("*") if p.suffix in {".so", ".pyd"})
        if compiled:
            raise VendoringError(
                f"{name} holds compiled files ({', '.join(compiled)}), which need a wheel built for Glue's "
                "Amazon Linux 2023: ship it with --additional-python-modules instead"
            )
        files = [p for p in package_dir.rglob("*.py") if "__pycache__" not in p.parts]
        entries += [(p.relative_to(package_dir.parent).as_posix(), p) for p in files]
    return entries


def build(output: Path, root: Path = REPO_ROOT, vendored: tuple[str, ...] = VENDORED) -> list[str]:
    """Writes the zip; returns its entry names."""
    entries = sorted(package_files(root) + vendored_files(vendored))
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path in entries:
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIMESTAMP)
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return [name for name, _ in entries]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: build_glue_libs.py OUTPUT.zip", file=sys.stderr)
        return 2
    try:
        names = build(Path(argv[0]))
    except VendoringError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{argv[0]}: {len(names)} files from {', '.join(PACKAGES + VENDORED)} and {DATA[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
