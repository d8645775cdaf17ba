"""scripts/build_glue_libs.py: the --extra-py-files zip is byte-stable and holds only Python sources."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path

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
    build_glue_libs.build(first, root=tmp_path)
    build_glue_libs.build(second, root=tmp_path)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == ["ecomdwh/__init__.py", "etl/__init__.py", "etl/clean.py"]


def test_a_changed_source_changes_the_zip(tmp_path: Path) -> None:
    make_project(tmp_path)
    before, after = tmp_path / "before.zip", tmp_path / "after.zip"
    build_glue_libs.build(before, root=tmp_path)
    (tmp_path / "etl" / "clean.py").write_text("def clean(df):\n    return df.dropna()\n")
    build_glue_libs.build(after, root=tmp_path)
    assert before.read_bytes() != after.read_bytes()
