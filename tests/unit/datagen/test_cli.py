"""`ecomdwh generate` writes consecutive days to a folder and reports bad arguments with the fix."""

import json

from typer.testing import CliRunner

from ecomdwh.cli import app


def test_generate_writes_each_day_with_its_manifest(tmp_path):
    result = CliRunner().invoke(app, ["generate", "--scale", "0.01", "--days", "2", "--dest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for ingest_date in ("2026-01-01", "2026-01-02"):
        manifest = json.loads((tmp_path / f"_manifests/ingest_date={ingest_date}/manifest.json").read_text())
        assert manifest["rows"]["customers"] > 0
        assert all((tmp_path / f["key"]).exists() for f in manifest["files"])


def test_first_day_starts_later(tmp_path):
    result = CliRunner().invoke(
        app, ["generate", "--scale", "0.01", "--first-day", "4", "--dest", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "_manifests").iterdir()] == ["ingest_date=2026-01-05"]


def test_bad_scale_exits_with_the_fix(tmp_path):
    result = CliRunner().invoke(app, ["generate", "--scale", "0", "--dest", str(tmp_path)])
    assert result.exit_code == 1
    assert "use a positive number" in result.output
