import json
import pickle

from emulation.patches import glue, stepfunctions


class FakeRequest:
    """Stands in for moto's request parsing only; the function under test is ours."""

    def __init__(self, definition: str) -> None:
        self.definition = definition

    def _get_param(self, name: str) -> str:
        assert name == "definition"
        return self.definition


def _validate(definition: str) -> dict:
    return stepfunctions._validate_state_machine_definition(FakeRequest(definition)).result


def test_valid_definition_passes():
    assert (
        _validate(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}))["result"]
        == "OK"
    )


def test_invalid_json_and_missing_fields_and_dangling_start_fail():
    assert _validate("{not json")["result"] == "FAIL"
    assert "StartAt" in _validate(json.dumps({"States": {}}))["diagnostics"][0]["message"]
    assert "'B'" in _validate(json.dumps({"StartAt": "B", "States": {}}))["diagnostics"][0]["message"]


def test_a_failed_job_run_reports_the_exception_line_of_its_traceback():
    from emulation.glue_jobs import last_error_line

    stderr = "\n".join(
        [
            "26/01/01 INFO SparkContext: Running Spark",
            "Traceback (most recent call last):",
            '  File "job.py", line 3, in <module>',
            "    raise QuarantineThresholdExceeded(message)",
            "etl.pipeline.QuarantineThresholdExceeded: orders batch 2026-01-04: 40 of 100 rows quarantined",
            "26/01/01 INFO ShutdownHookManager: Shutdown hook called",
        ]
    )
    assert last_error_line(stderr, 1) == (
        "etl.pipeline.QuarantineThresholdExceeded: orders batch 2026-01-04: 40 of 100 rows quarantined"
    )
    assert last_error_line("", 3) == "script exited with code 3"
    assert last_error_line("killed by the OOM killer\n", 137) == "killed by the OOM killer"


def test_a_crawl_running_when_the_emulator_stopped_comes_back_failed_so_its_crawler_can_start_again():
    running, finished = glue.ExecutedCrawl("raw"), glue.ExecutedCrawl("raw")
    running.status, finished.status = "RUNNING", "COMPLETED"

    restored_running, restored_finished = pickle.loads(pickle.dumps((running, finished)))

    assert (restored_running.status, restored_running.error_message) == ("FAILED", glue.CRAWL_RESTART_MESSAGE)
    assert restored_running.end_time is not None
    assert restored_finished.status == "COMPLETED"
