"""Conditional trigger predicates of the Glue workflow emulation over a run's job runs and crawls."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from moto.glue.utils import Predicate

from emulation.patches.glue_workflows import ExecutedWorkflowRun, predicate_holds, statistics


def _run(jobs: dict[str, str], crawls: dict[str, str]) -> ExecutedWorkflowRun:
    run = ExecutedWorkflowRun(workflow_name="daily")
    run.job_runs = {name: [("t", SimpleNamespace(status=state))] for name, state in jobs.items()}
    run.crawls = {name: [SimpleNamespace(status=state)] for name, state in crawls.items()}
    return run


def _trigger(logical: str, *conditions: dict[str, str]) -> SimpleNamespace:
    conditions = [{"LogicalOperator": "EQUALS", **c} for c in conditions]
    return SimpleNamespace(predicate=Predicate({"Logical": logical, "Conditions": conditions}))


BOTH_JOBS = ({"JobName": "a", "State": "SUCCEEDED"}, {"JobName": "b", "State": "SUCCEEDED"})


@pytest.mark.parametrize(
    ("logical", "states", "fires"),
    [
        ("AND", {"a": "SUCCEEDED", "b": "SUCCEEDED"}, True),
        ("AND", {"a": "SUCCEEDED", "b": "RUNNING"}, False),
        ("AND", {"a": "SUCCEEDED"}, False),
        ("ANY", {"a": "FAILED", "b": "SUCCEEDED"}, True),
        ("ANY", {"a": "FAILED", "b": "TIMEOUT"}, False),
    ],
)
def test_job_conditions_combine_with_the_logical_operator(logical, states, fires):
    assert predicate_holds(_run(states, {}), _trigger(logical, *BOTH_JOBS)) is fires


def test_a_crawl_condition_uses_aws_state_names():
    trigger = _trigger("AND", {"CrawlerName": "raw", "CrawlState": "SUCCEEDED"})
    assert predicate_holds(_run({}, {"raw": "COMPLETED"}), trigger)
    assert not predicate_holds(_run({}, {"raw": "RUNNING"}), trigger)


def test_the_latest_run_of_a_job_decides():
    run = _run({}, {})
    run.job_runs["a"] = [("t", SimpleNamespace(status="FAILED")), ("t", SimpleNamespace(status="SUCCEEDED"))]
    assert predicate_holds(run, _trigger("AND", BOTH_JOBS[0]))


def test_statistics_count_each_outcome():
    run = _run({"a": "SUCCEEDED", "b": "FAILED", "c": "RUNNING"}, {"raw": "COMPLETED", "out": "STOPPED"})
    run.errors.append("t -> d: EntityNotFoundException")
    assert statistics(run) == {
        "TotalActions": 6,
        "TimeoutActions": 0,
        "FailedActions": 1,
        "StoppedActions": 1,
        "SucceededActions": 2,
        "RunningActions": 1,
        "ErroredActions": 1,
        "WaitingActions": 0,
    }
