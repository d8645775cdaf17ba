"""The report built from the real path (marts and dq_results through the emulator's Redshift Data API,
runs from its Step Functions) and opened in real headless Chromium: every chart drawn, no console
error, a screenshot a person can look at."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime

import boto3
import pytest
from scenario_load import load_scenario, own_warehouse
from typer.testing import CliRunner

from ecomdwh.cli import app
from ecomdwh.dq.step import run_data_quality
from ecomdwh.report import svg
from ecomdwh.report.browser import CHROMIUM, view_page
from ecomdwh.report.build import build_report
from ecomdwh.report.data import ReportError
from ecomdwh.report.page import render_page
from ecomdwh.report.panels import CHART_KEYS, Panel
from ecomdwh.warehouse import runner
from emulation.redshift_cluster import create_cluster

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} is missing: run scripts/install-chromium.sh (make install-chromium)",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Succeeds, or fails when the input asks it to: a pipeline with a history of both.
PIPELINE = {
    "StartAt": "Decide",
    "States": {
        "Decide": {
            "Type": "Choice",
            "Choices": [{"Variable": "$.fail", "BooleanEquals": True, "Next": "Broken"}],
            "Default": "Done",
        },
        "Broken": {"Type": "Fail", "Error": "Test", "Cause": "asked to fail"},
        "Done": {"Type": "Succeed"},
    },
}


def _pipeline_with_runs(monkeypatch: pytest.MonkeyPatch, outcomes: list[bool]) -> None:
    sfn = boto3.client("stepfunctions")
    arn = sfn.create_state_machine(
        name=f"it-report-{uuid.uuid4().hex[:8]}",
        definition=json.dumps(PIPELINE),
        roleArn="arn:aws:iam::123456789012:role/it-report",
    )["stateMachineArn"]
    monkeypatch.setenv("ECOMDWH_STATE_MACHINE_ARN", arn)
    executions = [
        sfn.start_execution(stateMachineArn=arn, input=json.dumps({"fail": fail}))["executionArn"]
        for fail in outcomes
    ]
    deadline = time.monotonic() + 30
    while any(sfn.describe_execution(executionArn=e)["status"] == "RUNNING" for e in executions):
        assert time.monotonic() < deadline, "the test pipeline's executions did not finish in 30s"
        time.sleep(0.2)


def test_the_report_renders_every_chart_in_chromium(aws_env, monkeypatch, tmp_path):
    warehouse = own_warehouse(aws_env, monkeypatch)
    load_scenario(warehouse)
    for as_of in ("2026-01-12 00:00:00", "2026-01-14 00:00:00"):  # the second run finds the data stale
        run_data_quality(warehouse=warehouse, as_of=datetime.fromisoformat(as_of))
    _pipeline_with_runs(monkeypatch, [False, True, False])

    page = tmp_path / "report.html"
    built = CliRunner().invoke(app, ["report", "build", "--output", str(page)])
    assert built.exit_code == 0, built.output
    view = view_page(page)

    assert view.console_errors == []
    charts = {chart.key: chart for chart in view.charts}
    assert tuple(charts) == CHART_KEYS
    blank = {key: chart for key, chart in charts.items() if chart.empty or not (chart.width and chart.height)}
    assert blank == {}
    marks = {key: chart.marks for key, chart in charts.items()}
    assert marks["revenue-trend"] == 3  # the scenario's three order dates
    assert marks["pipeline-runs"] == 3
    assert marks["funnel"] == 6
    assert marks["dq-scores"] == 2 * 6  # two runs, six dimensions
    assert all(count > 0 for count in marks.values())
    assert view.screenshot.startswith(PNG_SIGNATURE) and len(view.screenshot) > 50_000
    (tmp_path / "report.png").write_bytes(view.screenshot)
    html = page.read_text()
    assert "order_known_customer" in html and "orders_fresh" in html  # latest run's failures listed
    checked = CliRunner().invoke(app, ["report", "check", "--output", str(page)])
    assert checked.exit_code == 0, checked.output
    assert "every chart present, no console errors" in checked.output
    assert (tmp_path / "report.png").read_bytes().startswith(PNG_SIGNATURE)


def test_report_check_fails_naming_a_missing_chart_and_a_console_error(tmp_path):
    page = render_page(
        [Panel("revenue-trend", "Revenue", "", svg.bar_chart([svg.Bar("a", 1)], value_format=str))],
        generated_at=datetime(2026, 1, 1),
        source="a test",
    ).replace("</main>", '</main><img src="missing.png">')
    (tmp_path / "report.html").write_text(page)

    checked = CliRunner().invoke(app, ["report", "check", "--output", str(tmp_path / "report.html")])

    assert checked.exit_code == 1
    assert "chart top-products is missing" in checked.output
    assert "console error:" in checked.output


def test_an_empty_warehouse_gives_a_report_of_notes_not_errors(aws_env, monkeypatch, tmp_path):
    warehouse = own_warehouse(aws_env, monkeypatch)
    missing = f"arn:aws:states:us-east-1:123456789012:stateMachine:it-report-none-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("ECOMDWH_STATE_MACHINE_ARN", missing)

    view = view_page(build_report(tmp_path / "report.html", warehouse=warehouse))

    assert view.console_errors == []
    notes = {chart.key: chart.empty for chart in view.charts}
    assert tuple(notes) == CHART_KEYS
    assert all(notes.values()), notes
    assert notes["pipeline-runs"] == "No pipeline runs yet: run `make demo`."
    assert notes["dq-scores"] == "No data-quality runs yet: run `make dq`."


def test_a_warehouse_without_marts_names_the_fix(aws_env, monkeypatch, tmp_path):
    if reason := aws_env.gap("redshift-data"):
        pytest.skip(f"EMULATOR={aws_env.backend}: {reason}")
    cluster = create_cluster(f"it-report-bare-{uuid.uuid4().hex[:8]}", runner.LOCAL_DATABASE)
    monkeypatch.setenv("ECOMDWH_REDSHIFT_CLUSTER_ID", cluster)
    with pytest.raises(ReportError, match=r"revenue_trend.*\n.*load it first \(`make demo`"):
        build_report(tmp_path / "report.html", warehouse=runner.RedshiftData())
