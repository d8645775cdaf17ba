"""What a run publishes: the metric the Terraform alarm watches, scores per dimension, and a message
naming each failed check."""

import re
from datetime import datetime

from ecomdwh.config import REPO_ROOT
from ecomdwh.dq import alerts
from ecomdwh.dq.checks import Check
from ecomdwh.dq.runner import CheckResult, DqRun
from etl.warehouse_arguments import job_arguments

MONITORING = REPO_ROOT / "infra" / "terraform" / "modules"


def check(name, dimension, severity="error", threshold=0.95):
    return Check(name, dimension, "fct_orders", "rule", severity, threshold, "select 1")


def sample_run() -> DqRun:
    results = (
        CheckResult(check("a", "completeness"), 100, 100),
        CheckResult(check("b", "completeness"), 100, 90),
        CheckResult(check("c", "validity", severity="warn", threshold=0.97), 50, 40),
    )
    return DqRun("dq-1", datetime(2026, 3, 3), datetime(2026, 3, 3, 1), results)


def test_metrics_count_failures_and_give_each_dimensions_lowest_score():
    data = alerts.metric_data(sample_run(), "ecomdwh-local-pipeline")
    by_name = {(d["MetricName"], tuple(x["Value"] for x in d["Dimensions"])): d["Value"] for d in data}
    assert by_name == {
        ("DataQualityFailures", ("ecomdwh-local-pipeline",)): 2.0,
        ("DataQualityScore", ("ecomdwh-local-pipeline", "completeness")): 90.0,
        ("DataQualityScore", ("ecomdwh-local-pipeline", "validity")): 80.0,
    }


def test_the_failures_metric_is_the_one_the_terraform_alarm_watches():
    monitoring = (MONITORING / "monitoring" / "main.tf").read_text()
    alarm = re.search(r"data-quality-failed = \{(.*?)\n    \}", monitoring, re.S).group(1)
    assert f'metric      = "{alerts.FAILURES_METRIC}"' in alarm
    assert "dimensions  = local.pipeline_dimension" in alarm
    assert "pipeline_dimension = { Pipeline = var.state_machine_name }" in monitoring
    stack = (MONITORING / "stack" / "main.tf").read_text()
    assert f'metric_namespace   = "{alerts.DEFAULT_NAMESPACE}"' in stack
    assert 'state_machine = "${local.name_prefix}-pipeline"' in stack


def test_pipeline_name_follows_the_deployed_state_machine(monkeypatch):
    monkeypatch.delenv("ECOMDWH_STATE_MACHINE_ARN", raising=False)
    monkeypatch.delenv("ECOMDWH_PIPELINE_NAME", raising=False)
    assert alerts.pipeline_name() == "ecomdwh-local-pipeline"
    monkeypatch.setenv(
        "ECOMDWH_STATE_MACHINE_ARN", "arn:aws:states:eu-west-1:1:stateMachine:ecomdwh-prod-pipeline"
    )
    assert alerts.pipeline_name() == "ecomdwh-prod-pipeline"


def test_the_data_quality_jobs_pipeline_name_argument_is_the_dimension(monkeypatch):
    monkeypatch.delenv("ECOMDWH_STATE_MACHINE_ARN", raising=False)
    monkeypatch.setenv("ECOMDWH_PIPELINE_NAME", "")  # job_arguments sets it; monkeypatch restores it after
    job_arguments(
        ["data_quality.py", "--JOB_NAME", "dq", "--pipeline_name", "ecomdwh-dev-pipeline"], ["JOB_NAME"]
    )
    assert alerts.pipeline_name() == "ecomdwh-dev-pipeline"


def test_the_message_names_each_failed_check_its_score_and_whether_the_pipeline_stops():
    subject, body = alerts.failure_message(sample_run(), "error")
    assert subject == "ecomdwh data quality: 2 check(s) failed (the pipeline stops)"
    assert "- [error] b (completeness, fct_orders): 90.00% of 100 rows pass, threshold 95.00%" in body
    assert "- [warn] c (validity, fct_orders): 80.00% of 50 rows pass, threshold 97.00%" in body
    assert "- [error] a" not in body
    assert "where run_id = 'dq-1'" in body
