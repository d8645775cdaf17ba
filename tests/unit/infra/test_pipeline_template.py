"""The one ASL source of the pipeline (the definition plus the job-runner fragment both job Maps use),
rendered the way templatefile() does for plain ${name} placeholders: valid JSON, every transition
resolves, and Glue/Redshift are awaited by polling."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ecomdwh.pipeline.execution import STAGES

MODULE = Path(__file__).resolve().parents[3] / "infra/terraform/modules/step_functions"
TEMPLATE = MODULE / "pipeline.asl.json.tftpl"
JOB_RUNNER = MODULE / "job_runner.asl.json.tftpl"
CRAWLER_RUNNER = MODULE / "crawler_runner.asl.json.tftpl"
LOOP_VALUES = {"poll_seconds": "2", "api_timeout_seconds": "60", "timeout_seconds": "10", "max_polls": "5"}
JOB_RUNNER_VALUES = {**LOOP_VALUES, "metric_namespace": "ecomdwh", "pipeline_name": "ecomdwh-t-pipeline"}
CRAWLER_RUNNER_VALUES = LOOP_VALUES
VALUES = {
    "etl_job_names": json.dumps(["ecomdwh-t-raw-to-processed"]),
    "warehouse_job_names": json.dumps(["ecomdwh-t-load-warehouse", "ecomdwh-t-data-quality"]),
    "raw_crawler_name": "ecomdwh-t-raw",
    "processed_crawler_name": "ecomdwh-t-processed",
    "redshift_target_key": "ClusterIdentifier",
    "redshift_target": "ecomdwh-t-warehouse",
    "database": "ecomdwh",
    "secret_arn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift!ecomdwh-t-warehouse-admin",
    "metric_namespace": "ecomdwh",
    "pipeline_name": "ecomdwh-t-pipeline",
    "alerts_topic_arn": "arn:aws:sns:us-east-1:123456789012:ecomdwh-t-alerts",
    "api_timeout_seconds": "60",
    "statement_timeout_seconds": "300",
    "statement_max_polls": "300",
    "execution_timeout_seconds": "86400",
}


def substitute(template: Path, values: dict[str, str]) -> str:
    text = template.read_text()
    assert "%{" not in text, (
        "template directives are not rendered by this test; keep the template placeholder-only"
    )
    return re.sub(r"\$\{(\w+)\}", lambda match: values[match.group(1)], text)


def render(values: dict[str, str]) -> dict[str, Any]:
    job_runner = substitute(JOB_RUNNER, JOB_RUNNER_VALUES)
    crawler_runner = substitute(CRAWLER_RUNNER, CRAWLER_RUNNER_VALUES)
    return json.loads(
        substitute(TEMPLATE, {**values, "job_runner": job_runner, "crawler_runner": crawler_runner})
    )


def all_states(states: dict[str, Any]) -> dict[str, Any]:
    found = dict(states)
    for state in states.values():
        if "ItemProcessor" in state:
            found |= all_states(state["ItemProcessor"]["States"])
    return found


def test_every_placeholder_is_a_template_input() -> None:
    assert set(re.findall(r"\$\{(\w+)\}", TEMPLATE.read_text())) == set(VALUES) | {
        "job_runner",
        "crawler_runner",
    }
    assert set(re.findall(r"\$\{(\w+)\}", JOB_RUNNER.read_text())) == set(JOB_RUNNER_VALUES)
    assert set(re.findall(r"\$\{(\w+)\}", CRAWLER_RUNNER.read_text())) == set(CRAWLER_RUNNER_VALUES)


def test_rendered_definition_is_complete_and_every_transition_resolves() -> None:
    definition = render(VALUES)
    states = all_states(definition["States"])
    assert definition["StartAt"] in definition["States"]
    targets = {
        target
        for state in states.values()
        for target in [state.get("Next"), state.get("Default")]
        + [choice["Next"] for choice in state.get("Choices", [])]
        + [catch["Next"] for catch in state.get("Catch", [])]
        if target
    }
    assert targets <= set(states), f"unknown states: {targets - set(states)}"
    for plan in ("PlanGivenDate", "PlanStartDate"):
        assert definition["States"][plan]["Parameters"]["etl_jobs"] == json.loads(VALUES["etl_job_names"])
        assert definition["States"][plan]["Parameters"]["warehouse_jobs"] == json.loads(
            VALUES["warehouse_job_names"]
        )
    assert definition["States"]["RunWarehouseJobs"]["MaxConcurrency"] == 1
    assert definition["States"]["RecordRun"]["Parameters"]["ClusterIdentifier"] == "ecomdwh-t-warehouse"


def test_integrations_poll_instead_of_sync_and_failures_notify() -> None:
    states = all_states(render(VALUES)["States"])
    resources = {state["Resource"] for state in states.values() if state["Type"] == "Task"}
    assert not [resource for resource in resources if resource.endswith(".sync")]
    assert {
        "arn:aws:states:::glue:startJobRun",
        "arn:aws:states:::aws-sdk:glue:getJobRun",
        "arn:aws:states:::aws-sdk:redshiftdata:executeStatement",
        "arn:aws:states:::aws-sdk:redshiftdata:describeStatement",
        "arn:aws:states:::sns:publish",
    } <= resources
    top = render(VALUES)["States"]
    uncaught = [
        name
        for name, state in top.items()
        if state["Type"] in {"Task", "Map"} and not state.get("Catch") and name not in {"NotifySuccess"}
    ]
    assert not uncaught, f"these states fail the execution without notifying: {uncaught}"
    assert top["NotifyFailure"]["Next"] == "PipelineFailed"
    assert all(state.get("Retry") for name, state in top.items() if state["Type"] == "Task")


def test_every_call_and_every_poll_loop_has_a_timeout() -> None:
    definition = render(VALUES)
    assert definition["TimeoutSeconds"] == 86400
    states = all_states(definition["States"])
    assert all(state.get("TimeoutSeconds") for state in states.values() if state["Type"] == "Task")
    waits = [name for name, state in states.items() if state["Type"] == "Wait"]
    for wait in waits:  # each poll loop (Wait -> poll -> Choice) has a way out that counts polls
        poll = states[states[wait]["Next"]]
        choice = states[poll["Next"]]
        bounds = [c for c in choice["Choices"] if "NumericGreaterThanEquals" in c]
        assert bounds, f"the loop through {wait} has no poll limit: it can wait forever"


def test_no_state_selects_a_field_aws_may_leave_out() -> None:
    """ErrorMessage and LastCrawl are absent from some answers; selecting them is a States.Runtime error
    that no Catch handles, so they are only read after an IsPresent check."""
    states = all_states(render(VALUES)["States"])
    for name, state in states.items():
        selected = json.dumps(state.get("ResultSelector", {}))
        assert "ErrorMessage" not in selected and "LastCrawl" not in selected, name


def test_the_stages_the_demo_times_begin_at_top_level_states_in_order() -> None:
    states = list(render(VALUES)["States"])
    beginnings = [state for _, state in STAGES]
    assert all(state in states for state in beginnings), set(beginnings) - set(states)
    assert sorted(beginnings, key=states.index) == beginnings
