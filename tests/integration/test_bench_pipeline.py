"""The issue-9 benchmark runs end to end at a tiny scale: every stage, both references, and a DuckDB-only
baseline that accepts exactly the rows our pipeline accepts. (It times nothing: the figures at 1M
orders come from running the script itself.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_pipeline_benchmark_runs_every_stage_and_its_baseline_agrees():
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "bench_pipeline.py"), "--scale", "0.2"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    for stage in ("generate", "land (raw -> S3)", "ETL raw -> processed", "warehouse build", "DQ checks"):
        assert re.search(rf"^  {re.escape(stage)} +\d+\.\d+ ", result.stdout, re.MULTILINE), stage
    accepted = re.search(r"accepted rows ours ([\d,]+) / baseline ([\d,]+)", result.stdout)
    assert accepted and accepted[1] == accepted[2] and accepted[1] != "0", result.stdout[-2000:]
    assert "vs tpchgen-cli SF1 parquet" in result.stdout
