"""scripts/build_glue_libs.py: the --extra-py-files zip is byte-stable, holds only Python sources and ships
the vendored packages at their pinned version."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "build_glue_libs.py"
spec = importlib.util.spec_from_file_location("build_glue_libs", SCRIPT)
build_glue_libs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_glue_libs)


def make_project(root: Path) -> None:
    for package in ("ecomdwh", "etl"):
        (root / package / "__pycache__").mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
        (root / package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (root / "etl" / "clean.py").write_text("def clean(df):\n    return df\n")
    (root / "etl" / "notes.txt").write_text("not python")


def test_same_sources_give_identical_bytes_and_only_python_files(tmp_path: Path) -> None:
    make_project(tmp_path)
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    build_glue_libs.build(first, root=tmp_path, vendored=())
    build_glue_libs.build(second, root=tmp_path, vendored=())
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == ["ecomdwh/__init__.py", "etl/__init__.py", "etl/clean.py"]


def test_a_changed_source_changes_the_zip(tmp_path: Path) -> None:
    make_project(tmp_path)
    before, after = tmp_path / "before.zip", tmp_path / "after.zip"
    build_glue_libs.build(before, root=tmp_path, vendored=())
    (tmp_path / "etl" / "clean.py").write_text("def clean(df):\n    return df.dropna()\n")
    build_glue_libs.build(after, root=tmp_path, vendored=())
    assert before.read_bytes() != after.read_bytes()


def test_vendored_packages_ship_as_pure_python_at_their_pinned_version(tmp_path: Path) -> None:
    make_project(tmp_path)
    names = build_glue_libs.build(tmp_path / "libs.zip", root=tmp_path)
    assert "sqlglot/__init__.py" in names
    assert all(name.endswith(".py") for name in names if name.startswith("sqlglot/"))
    import sqlglot

    assert sqlglot.__version__ == build_glue_libs.pinned_version("sqlglot")


def test_a_package_missing_from_the_lock_is_refused_naming_the_fix(tmp_path: Path) -> None:
    lock = tmp_path / "requirements.lock"
    lock.write_text("boto3==1.0.0\n")
    with pytest.raises(build_glue_libs.VendoringError, match="no 'sqlglot==' pin; add sqlglot"):
        build_glue_libs.pinned_version("sqlglot", lock)
