"""Panels turn mart rows into charts or say what is missing; the page loads nothing from anywhere."""

import re
from datetime import datetime

from ecomdwh.report import panels
from ecomdwh.report.data import QUERIES, PipelineRun
from ecomdwh.report.page import render_page
from ecomdwh.warehouse import gate


def empty_data() -> dict[str, list]:
    return {name: [] for name in QUERIES}


def test_every_report_query_passes_the_redshift_gate():
    for name, sql in QUERIES.items():
        gate.check_sql(sql, f"report query {name}")


def test_with_no_data_every_chart_is_there_and_says_how_to_get_data():
    built = panels.all_panels(empty_data(), [])
    assert tuple(p.key for p in built) == panels.CHART_KEYS
    assert all(p.svg is None and p.empty for p in built)
    assert (
        next(p for p in built if p.key == "pipeline-runs").empty == "No pipeline runs yet: run `make demo`."
    )
    assert "make dq" in next(p for p in built if p.key == "dq-scores").empty


def test_the_clv_histogram_fills_empty_buckets_and_labels_ranges():
    rows = [
        {"bucket": 0, "low_amount": "100", "high_amount": "500", "customers": 3},
        {"bucket": 3, "low_amount": "100", "high_amount": "500", "customers": 1},
    ]
    panel = panels.clv_distribution(rows)
    assert panel.svg.count('class="mark"') == 4
    assert "100–200: 3" in panel.svg and "200–300: 0" in panel.svg and "400–500: 1" in panel.svg


def test_the_funnel_shows_each_step_with_its_share_of_sessions():
    row = dict(
        sessions=10,
        page_view_sessions=10,
        product_view_sessions=8,
        add_to_cart_sessions=4,
        checkout_sessions=2,
        purchase_sessions=1,
    )
    panel = panels.funnel([row])
    assert panel.svg.count('class="mark"') == 6
    assert "Added to cart: 4 · 40% of sessions" in panel.svg


def test_pipeline_runs_are_coloured_by_status():
    runs = [
        PipelineRun("day-1", "SUCCEEDED", datetime(2026, 1, 1, 2), 40.0),
        PipelineRun("day-2", "FAILED", datetime(2026, 1, 2, 2), 12.0),
        PipelineRun("day-3", "RUNNING", datetime(2026, 1, 3, 2), None),
    ]
    fills = re.findall(r'class="mark"[^>]*fill="(#[0-9a-f]+)"', panels.pipeline_history(runs).svg)
    assert fills == ["#16a34a", "#dc2626", panels.RUNNING_COLOR]


def test_the_page_is_self_contained_and_escapes_text():
    panel = panels.Panel("funnel", "<Funnel>", "caption & more", None, "nothing")
    page = render_page([panel], generated_at=datetime(2026, 1, 1), source="x")
    assert "<script" not in page
    assert not re.search(r"(src|href)=", page)
    assert "default-src 'none'" in page
    assert "&lt;Funnel&gt;" in page and "caption &amp; more" in page
    assert 'data-chart="funnel"' in page
