"""`make report`: read the marts, dq_results and the pipeline's runs, write one offline HTML page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ecomdwh.config import LOCAL_DIR
from ecomdwh.dq.runner import Warehouse
from ecomdwh.report.data import QUERIES, pipeline_runs, read_warehouse
from ecomdwh.report.page import render_page
from ecomdwh.report.panels import all_panels
from ecomdwh.warehouse.runner import RedshiftData

DEFAULT_OUTPUT = LOCAL_DIR / "report" / "index.html"
STEPS = len(QUERIES) + 1  # every query, then the pipeline's run history


def build_report(
    output: Path = DEFAULT_OUTPUT,
    *,
    warehouse: Warehouse | None = None,
    on_step: Callable[[str], None] | None = None,
) -> Path:
    """Writes the report to `output` and returns its path; `on_step` hears each piece read."""
    reader = warehouse or RedshiftData()
    data = read_warehouse(reader, on_step)
    runs = pipeline_runs()
    if on_step:
        on_step("pipeline runs")
    page = render_page(
        all_panels(data, runs),
        generated_at=datetime.now(UTC),
        source="the warehouse's marts and dq_results (Redshift Data API) and the pipeline's Step Functions runs",
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    return output
