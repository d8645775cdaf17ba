"""Per-stage seconds of a pipeline execution, from its Step Functions history."""

from datetime import datetime, timedelta

from ecomdwh.pipeline.execution import STAGES, stage_seconds

START = datetime(2026, 1, 1, 3, 0, 0)


def _entered(name: str, second: float) -> dict:
    return {"timestamp": START + timedelta(seconds=second), "stateEnteredEventDetails": {"name": name}}


def test_each_stage_lasts_until_the_next_begins_and_the_last_until_the_execution_ends():
    events = [
        _entered("PlanGivenDate", 0),
        _entered("RunRawCrawler", 1),
        _entered("StartCrawler", 2),
        _entered("RunRawCrawler", 3),  # a state entered again does not restart its stage
        _entered("RunEtlJobs", 6),
        _entered("StartJobRun", 7),
        _entered("RunProcessedCrawler", 30),
        _entered("RunWarehouseJobs", 32),
        _entered("RecordRun", 50),
        {"timestamp": START + timedelta(seconds=52), "type": "ExecutionSucceeded"},
    ]

    assert stage_seconds(events) == dict(
        zip([label for label, _ in STAGES], [5.0, 24.0, 2.0, 18.0, 2.0], strict=True)
    )


def test_a_failed_execution_reports_the_stages_it_reached():
    events = [
        _entered("RunRawCrawler", 0),
        _entered("RunEtlJobs", 4),
        {"timestamp": START + timedelta(seconds=10), "type": "ExecutionFailed"},
    ]

    assert stage_seconds(events) == {"crawl raw": 4.0, "ETL jobs": 6.0}
    assert stage_seconds([]) == {}
