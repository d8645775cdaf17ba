"""Starts the deployed pipeline state machine for one ingest date and follows it to the end.

The same calls work against AWS and the emulator: the state machine is found by its ARN
(ECOMDWH_STATE_MACHINE_ARN, set from Terraform's output in AWS) or by its name
`ecomdwh-<env>-pipeline`.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import boto3

# The pipeline's stages, each begun by a top-level state of pipeline.asl.json.tftpl; a stage lasts
# until the next one begins (the last until the execution ends).
STAGES = (
    ("crawl raw", "RunRawCrawler"),
    ("ETL jobs", "RunEtlJobs"),
    ("crawl processed", "RunProcessedCrawler"),
    ("warehouse load + DQ", "RunWarehouseJobs"),
    ("record run, notify", "RecordRun"),
)


class PipelineError(RuntimeError):
    """The pipeline could not be started or followed, worded with the fix."""


@dataclass(frozen=True)
class ExecutionResult:
    execution_arn: str
    status: str  # SUCCEEDED | FAILED | TIMED_OUT | ABORTED
    seconds: float
    error: str | None = None
    cause: str | None = None
    output: dict[str, Any] | None = None
    stage_seconds: dict[str, float] = field(default_factory=dict)  # STAGES reached, in order

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"


def state_machine_arn(environment: str = "local") -> str:
    if arn := os.environ.get("ECOMDWH_STATE_MACHINE_ARN"):
        return arn
    name = f"ecomdwh-{environment}-pipeline"
    pages = boto3.client("stepfunctions").get_paginator("list_state_machines").paginate()
    for page in pages:
        for machine in page["stateMachines"]:
            if machine["name"] == name:
                return machine["stateMachineArn"]
    raise PipelineError(
        f"no state machine named {name!r} is deployed: run `make deploy` first "
        "(or set ECOMDWH_STATE_MACHINE_ARN)"
    )


def stage_seconds(events: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds per STAGES entry the execution reached, from its history events (oldest first)."""
    first_entered: dict[str, Any] = {}
    for event in events:
        if details := event.get("stateEnteredEventDetails"):
            first_entered.setdefault(details["name"], event["timestamp"])
    begun = [(label, first_entered[state]) for label, state in STAGES if state in first_entered]
    ends = [start for _, start in begun[1:]] + [events[-1]["timestamp"]] if events else []
    return {label: (end - start).total_seconds() for (label, start), end in zip(begun, ends, strict=True)}


def _history(sfn: Any, execution_arn: str) -> list[dict[str, Any]]:
    pages = sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn)
    return [event for page in pages for event in page["events"]]


def _current_state(sfn: Any, execution_arn: str) -> str | None:
    events = sfn.get_execution_history(executionArn=execution_arn, reverseOrder=True, maxResults=20)["events"]
    entered = (e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e)
    return next(entered, None)


def run_pipeline(
    ingest_date: date,
    *,
    machine_arn: str | None = None,
    on_state: Callable[[str], None] | None = None,
    poll_seconds: float = 0.5,
    timeout: float = 1800,
) -> ExecutionResult:
    """Runs the state machine for `ingest_date` and waits; `on_state` hears each new state entered."""
    sfn = boto3.client("stepfunctions")
    arn = machine_arn or state_machine_arn()
    name = f"day-{ingest_date.isoformat()}-{uuid.uuid4().hex[:8]}"
    execution_arn = sfn.start_execution(
        stateMachineArn=arn, name=name, input=json.dumps({"ingest_date": ingest_date.isoformat()})
    )["executionArn"]
    started, last_state = time.monotonic(), None
    while (described := sfn.describe_execution(executionArn=execution_arn))["status"] == "RUNNING":
        if time.monotonic() - started > timeout:
            sfn.stop_execution(executionArn=execution_arn, cause=f"no result after {timeout:.0f}s")
            raise PipelineError(f"execution {name} ran over {timeout:.0f}s and was stopped")
        state = _current_state(sfn, execution_arn) if on_state else None
        if state and state != last_state:
            on_state(state)
            last_state = state
        time.sleep(poll_seconds)
    return ExecutionResult(
        execution_arn=execution_arn,
        status=described["status"],
        seconds=time.monotonic() - started,
        error=described.get("error"),
        cause=described.get("cause"),
        output=json.loads(described["output"]) if described.get("output") else None,
        stage_seconds=stage_seconds(_history(sfn, execution_arn)),
    )
