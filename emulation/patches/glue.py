"""Glue: job runs execute their script with local PySpark, crawlers really crawl.

moto records job runs and crawls and walks them to success on its own, running nothing. Here a job
run's state comes from its executed script (emulation/glue_jobs.py) and a crawl's from the schema
inference over its S3 targets (emulation/crawler.py). A job run or a crawl that was active when the emulator
stopped cannot be resumed and reads as FAILED, saying so. BatchStopJobRun (absent from moto) stops an
active run as AWS reports it: STOPPED, with no ErrorMessage. The emulator does not interrupt the run's
script (emulation/glue_jobs.py holds no handle to it); its outcome is discarded when it ends.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import moto.glue.models as glue_models
from moto.core.responses import ActionResult
from moto.glue.responses import GlueResponse

from emulation import crawler, glue_jobs, runtime

log = logging.getLogger("emulation.patches.glue")

RESTART_MESSAGE = "The local emulator restarted while this run was active; start the job run again."
CRAWL_RESTART_MESSAGE = "The local emulator restarted while this crawl was running; start the crawler again."


class ExecutedJobRun(glue_models.FakeJobRun):
    """A job run whose state is set by its execution, not by moto's state manager."""

    error_message: str | None = None
    execution_time: int = 0
    stopped: bool = False  # by BatchStopJobRun: what its script does after no longer counts

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._status = "STARTING"

    def stop(self) -> None:
        self.stopped = True
        self.completed_on = glue_models.utcnow()

    @property
    def status(self) -> str:
        if self.stopped:
            return "STOPPED"
        if self._status in glue_jobs.ACTIVE_STATES and not glue_jobs.is_live(self.job_run_id):
            self._status, self.error_message = "FAILED", RESTART_MESSAGE
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        self._status = value

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        data["ExecutionTime"] = self.execution_time
        data["GlueVersion"] = "5.0"
        if self.status in glue_jobs.ACTIVE_STATES:
            data.pop("CompletedOn", None)
        if self.error_message and not self.stopped:
            data["ErrorMessage"] = self.error_message
        return data


_moto_start_job_run = glue_models.FakeJob.start_job_run


def _start_job_run(self: glue_models.FakeJob, **kwargs: Any) -> str:
    run_id = _moto_start_job_run(self, **kwargs)
    run = next(r for r in self.job_runs if r.job_run_id == run_id)
    spec = glue_jobs.JobSpec(
        name=self.name,
        role_arn=self.role,
        script_location=self.command["ScriptLocation"],
        arguments=dict(run.arguments or {}),
        timeout_minutes=run.timeout or self.timeout or glue_jobs.DEFAULT_TIMEOUT_MINUTES,
    )
    glue_jobs.launch(runtime.current(), spec, run)
    return run_id


# Reading a run must not advance its state (moto's versions do): only the executed script does.
def _get_job_run(self: glue_models.FakeJob, run_id: str) -> ExecutedJobRun:
    for run in self.job_runs:
        if run.job_run_id == run_id:
            return run
    raise glue_models.JobRunNotFoundException(run_id)


def _get_job_runs(self: glue_models.FakeJob) -> list[ExecutedJobRun]:
    return self.job_runs


class ExecutedCrawl(glue_models.FakeCrawl):
    """A crawl whose state is set by the crawl itself."""

    error_message: str | None = None

    @property
    def status(self) -> str:
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        self._status = value

    def advance(self) -> None:
        pass

    def __setstate__(self, state: dict[str, Any]) -> None:
        # Restored from a snapshot: a crawl that was running has no thread any more and would keep its
        # crawler RUNNING, refusing every later start.
        self.__dict__.update(state)
        if self._status == "RUNNING":
            self._status, self.error_message = "FAILED", CRAWL_RESTART_MESSAGE
            self.end_time = glue_models.utcnow()


def _run_crawl(crawler_model: glue_models.FakeCrawler, crawl: ExecutedCrawl) -> None:
    emulator = runtime.current()
    try:
        tables = crawler.crawl(emulator.client("s3"), emulator.client("glue"), crawler_model.as_dict())
        log.info("crawler %s wrote tables %s", crawler_model.name, tables)
        crawl.status = "COMPLETED"
    except Exception as exc:  # noqa: BLE001 - the crawl's failure reason, reported as AWS does
        log.exception("crawler %s failed", crawler_model.name)
        crawl.error_message = str(exc)
        crawl.status = "FAILED"
    crawl.end_time = glue_models.utcnow()


def _start_crawler(self: glue_models.FakeCrawler) -> None:
    if self.crawls and self.crawls[-1].status == "RUNNING":
        raise glue_models.CrawlerRunningException(f"Crawler with name {self.name} has already started")
    crawl = ExecutedCrawl(self.name)
    self.crawls.append(crawl)
    threading.Thread(target=_run_crawl, args=(self, crawl), name=f"crawl-{self.name}", daemon=True).start()


_moto_crawler_as_dict = glue_models.FakeCrawler.as_dict
CRAWL_STATUS_NAMES = {"COMPLETED": "SUCCEEDED", "STOPPED": "CANCELLED"}


def _crawler_as_dict(self: glue_models.FakeCrawler) -> dict[str, Any]:
    data = _moto_crawler_as_dict(self)
    if "LastCrawl" in data:
        # AWS reports a finished crawl as SUCCEEDED; moto's internal state name is COMPLETED.
        data["LastCrawl"]["Status"] = CRAWL_STATUS_NAMES.get(
            data["LastCrawl"]["Status"], data["LastCrawl"]["Status"]
        )
        if error := getattr(self.crawls[-1], "error_message", None):
            data["LastCrawl"]["ErrorMessage"] = error
    return data


def _batch_stop_job_run(self: GlueResponse) -> ActionResult:
    job_name = self._get_param("JobName")
    stopped, errors = [], []
    for run_id in self._get_param("JobRunIds") or []:
        run = self.glue_backend.get_job_run(job_name, run_id)
        if run.status in glue_jobs.ACTIVE_STATES:
            run.stop()
            stopped.append({"JobName": job_name, "JobRunId": run_id})
        else:
            detail = {
                "ErrorCode": "InvalidInputException",
                "ErrorMessage": f"Job run {run_id} is {run.status}",
            }
            errors.append({"JobName": job_name, "JobRunId": run_id, "ErrorDetail": detail})
    return ActionResult({"SuccessfulSubmissions": stopped, "Errors": errors})


def apply() -> None:
    # FakeJob.start_job_run builds runs from this module-level name.
    glue_models.FakeJobRun = ExecutedJobRun
    glue_models.FakeJob.start_job_run = _start_job_run
    glue_models.FakeJob.get_job_run = _get_job_run
    glue_models.FakeJob.get_job_runs = _get_job_runs
    glue_models.FakeCrawler.start_crawler = _start_crawler
    glue_models.FakeCrawler.as_dict = _crawler_as_dict
    GlueResponse.batch_stop_job_run = _batch_stop_job_run
