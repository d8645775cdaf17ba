"""The pipeline's data-quality step: run the checks, keep the results, publish metrics, alert."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ecomdwh.dq import alerts
from ecomdwh.dq.checks import Check, load_checks
from ecomdwh.dq.runner import CheckResult, DqRun, Warehouse, run_checks, store_results
from ecomdwh.warehouse.runner import RedshiftData


@dataclass(frozen=True)
class StepOutcome:
    run: DqRun
    stop: bool  # a failed check is at or above the stop severity: the pipeline must stop
    notified_topic: str | None  # the SNS topic told of failures, None if all passed or none is deployed


def run_data_quality(
    *,
    checks: Sequence[Check] | None = None,
    warehouse: Warehouse | None = None,
    as_of: datetime | None = None,
    stop_severity: str = "error",
    on_result: Callable[[CheckResult], None] | None = None,
) -> StepOutcome:
    run = run_checks(
        checks if checks is not None else load_checks(),
        warehouse := warehouse or RedshiftData(),
        as_of=as_of,
        on_result=on_result,
    )
    store_results(run, warehouse)
    alerts.publish_metrics(run)
    topic = alerts.notify_failures(run, stop_severity)
    return StepOutcome(run=run, stop=run.must_stop(stop_severity), notified_topic=topic)
