"""The pipeline's data-quality step: run the checks, keep the results, publish metrics, alert."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ecomdwh.dq import alerts
from ecomdwh.dq.checks import Check, load_checks
from ecomdwh.dq.runner import CheckResult, DqRun, Warehouse, run_checks, store_results
from ecomdwh.warehouse.runner import RedshiftData


@dataclass(frozen=True)
class StepOutcome:
    run: DqRun
    stop: bool  # a failed check is at or above the stop severity: the pipeline must stop
    notified_topic: str | None  # the SNS topic told of failures, None if all passed or none is deployed


def end_of_ingest_day(ingest_date: date) -> datetime:
    """What freshness is measured against when checking one ingest date: the end of that day (UTC).
    Measuring a back-filled or replayed day against the wall clock would call every old day stale."""
    return datetime.combine(ingest_date + timedelta(days=1), time())


def run_data_quality(
    *,
    checks: Sequence[Check] | None = None,
    warehouse: Warehouse | None = None,
    as_of: datetime | None = None,
    ingest_date: date | None = None,
    stop_severity: str = "error",
    on_result: Callable[[CheckResult], None] | None = None,
) -> StepOutcome:
    """Runs, stores, publishes and alerts. Freshness is measured against `as_of`, else the end of
    `ingest_date`, else now."""
    if as_of is None and ingest_date is not None:
        as_of = end_of_ingest_day(ingest_date)
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
