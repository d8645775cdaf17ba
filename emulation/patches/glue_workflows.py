"""Glue Workflows: StartWorkflowRun runs the workflow's triggers, jobs and crawlers.

moto stores workflows and triggers and records a workflow run that stays RUNNING, running nothing.
Here a run fires the workflow's start trigger (ON_DEMAND, SCHEDULED or EVENT) and then, as its job
runs and crawls finish, every ACTIVATED CONDITIONAL trigger whose predicate holds (Logical AND or ANY
over JobName + State / CrawlerName + CrawlState conditions), each at most once per run, until nothing
runs and nothing more can fire: the run is then COMPLETED, as in AWS even when an action failed
(Statistics says which). Jobs and crawlers run through the Glue patch (emulation/patches/glue.py): the
same execution as StartJobRun and StartCrawler. Job runs get `--WORKFLOW_NAME` and `--WORKFLOW_RUN_ID`,
as Glue passes them. GetWorkflowRun reports Statistics and, with IncludeGraph, the nodes with their
JobRuns and Crawls; GetWorkflow's IncludeGraph gives the static graph.
Not emulated: the schedule itself (a SCHEDULED trigger fires only as a run's start trigger), event
batching, StopWorkflowRun/ResumeWorkflowRun.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import moto.glue.models as glue_models
from moto.core.responses import ActionResult
from moto.glue.responses import GlueResponse

from emulation import glue_jobs

log = logging.getLogger("emulation.patches.glue_workflows")

POLL_SECONDS = 0.5
START_TRIGGER_TYPES = ("ON_DEMAND", "SCHEDULED", "EVENT")
CRAWL_STATES = {"COMPLETED": "SUCCEEDED", "STOPPED": "CANCELLED"}  # moto's names -> AWS's
RESTART_MESSAGE = "The local emulator restarted while this workflow run was active; start it again."

_live_runs: set[str] = set()


class ExecutedWorkflowRun(glue_models.FakeWorkflowRun):
    """A workflow run that records what it started: fired triggers, job runs and crawls."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fired: list[str] = []
        self.job_runs: dict[str, list[tuple[str, Any]]] = {}  # job -> [(trigger, moto job run)]
        self.crawls: dict[str, list[Any]] = {}  # crawler -> [moto crawl]
        self.errors: list[str] = []  # actions that could not start
        self.error_message: str | None = None

    @property
    def status(self) -> str:
        if self._status == "RUNNING" and self.run_id not in _live_runs:
            self._status, self.error_message = "ERROR", RESTART_MESSAGE
        return self._status

    @status.setter
    def status(self, value: str) -> None:
        self._status = value

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        data["Statistics"] = statistics(self)
        if self.error_message:
            data["ErrorMessage"] = self.error_message
        return data


def crawl_state(crawl: Any) -> str:
    return CRAWL_STATES.get(crawl.status, crawl.status)


def _action_states(run: ExecutedWorkflowRun) -> list[str]:
    jobs = [job_run.status for runs in run.job_runs.values() for _, job_run in runs]
    crawls = [crawl_state(crawl) for crawls in run.crawls.values() for crawl in crawls]
    return jobs + crawls


def statistics(run: ExecutedWorkflowRun) -> dict[str, int]:
    states = _action_states(run)
    return {
        "TotalActions": len(states) + len(run.errors),
        "TimeoutActions": states.count("TIMEOUT"),
        "FailedActions": states.count("FAILED"),
        "StoppedActions": states.count("STOPPED") + states.count("CANCELLED"),
        "SucceededActions": states.count("SUCCEEDED"),
        "RunningActions": sum(state in (*glue_jobs.ACTIVE_STATES, "RUNNING") for state in states),
        "ErroredActions": len(run.errors),
        "WaitingActions": 0,
    }


def _triggers(backend: Any, workflow: str) -> list[Any]:
    return [t for t in backend.triggers.values() if t.workflow_name == workflow]


def _condition_holds(run: ExecutedWorkflowRun, condition: Any) -> bool:
    if condition.job_name:
        runs = run.job_runs.get(condition.job_name)
        return bool(runs) and runs[-1][1].status == condition.state.value
    crawls = run.crawls.get(condition.crawler_name)
    return bool(crawls) and crawl_state(crawls[-1]) == condition.crawl_state.value


def predicate_holds(run: ExecutedWorkflowRun, trigger: Any) -> bool:
    conditions = trigger.predicate.conditions if trigger.predicate else []
    if not conditions:
        return False
    held = [_condition_holds(run, condition) for condition in conditions]
    logical = trigger.predicate.logical.value if trigger.predicate.logical else "AND"
    return any(held) if logical == "ANY" else all(held)


def _fire(backend: Any, workflow: str, run: ExecutedWorkflowRun, trigger: Any) -> None:
    run.fired.append(trigger.name)
    for action in trigger.actions:
        try:
            if action.job_name:
                job = backend.get_job(action.job_name)
                run_id = job.start_job_run(
                    allocated_capacity=None,
                    max_capacity=None,
                    timeout=action.timeout,
                    worker_type=None,
                    security_configuration=action.security_configuration,
                    number_of_workers=None,
                    notification_property=action.notification_property,
                    previous_run_id=None,
                    arguments={
                        **(action.arguments or {}),
                        "--WORKFLOW_NAME": workflow,
                        "--WORKFLOW_RUN_ID": run.run_id,
                    },
                )
                run.job_runs.setdefault(action.job_name, []).append((trigger.name, job.get_job_run(run_id)))
            else:
                crawler = backend.get_crawler(action.crawler_name)
                crawler.start_crawler()
                run.crawls.setdefault(action.crawler_name, []).append(crawler.crawls[-1])
        except Exception as exc:  # noqa: BLE001 - an action that cannot start is an errored action
            target = action.job_name or action.crawler_name
            log.warning(
                "workflow %s run %s: trigger %s could not start %s: %s",
                workflow,
                run.run_id,
                trigger.name,
                target,
                exc,
            )
            run.errors.append(f"{trigger.name} -> {target}: {exc}")


def _active(run: ExecutedWorkflowRun) -> bool:
    return any(state in (*glue_jobs.ACTIVE_STATES, "RUNNING") for state in _action_states(run))


def _drive(backend: Any, workflow: str, run: ExecutedWorkflowRun) -> None:
    try:
        for trigger in _triggers(backend, workflow):
            if trigger.trigger_type in START_TRIGGER_TYPES:
                _fire(backend, workflow, run, trigger)
        while True:
            ready = [
                t
                for t in _triggers(backend, workflow)
                if t.trigger_type == "CONDITIONAL"
                and t.state == "ACTIVATED"
                and t.name not in run.fired
                and predicate_holds(run, t)
            ]
            for trigger in ready:
                _fire(backend, workflow, run, trigger)
            if not ready and not _active(run):
                break
            time.sleep(POLL_SECONDS)
        run.status = "COMPLETED"
    except Exception as exc:  # noqa: BLE001 - the run's failure reason, reported as AWS does
        log.exception("workflow %s run %s failed", workflow, run.run_id)
        run.status, run.error_message = "ERROR", f"{type(exc).__name__}: {exc}"
    finally:
        run.completed_on = glue_models.utcnow()
        _live_runs.discard(run.run_id)


_moto_start_workflow_run = glue_models.GlueBackend.start_workflow_run


def _start_workflow_run(self: Any, workflow_name: str, properties: dict[str, str] | None) -> str:
    run_id = _moto_start_workflow_run(self, workflow_name, properties)
    run = self.workflows[workflow_name].get_run(run_id)
    _live_runs.add(run_id)
    threading.Thread(
        target=_drive, args=(self, workflow_name, run), name=f"workflow-{workflow_name}", daemon=True
    ).start()
    return run_id


def _node_id(kind: str, name: str) -> str:
    return f"{kind.lower()}-{name}"


def graph(backend: Any, workflow: str, run: ExecutedWorkflowRun | None) -> dict[str, list[dict[str, Any]]]:
    """Nodes and edges of the workflow; with a run, each job and crawler node carries its runs."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, str]] = []

    def node(kind: str, name: str) -> str:
        unique_id = _node_id(kind, name)
        if unique_id not in nodes:
            nodes[unique_id] = {"Type": kind, "Name": name, "UniqueId": unique_id}
            if kind == "JOB":
                job_runs = run.job_runs.get(name, []) if run else []
                nodes[unique_id]["JobDetails"] = {
                    "JobRuns": [
                        {**job_run.as_dict(), "TriggerName": trigger} for trigger, job_run in job_runs
                    ]
                }
            elif kind == "CRAWLER":
                crawls = run.crawls.get(name, []) if run else []
                nodes[unique_id]["CrawlerDetails"] = {"Crawls": [_crawl_dict(crawl) for crawl in crawls]}
        return unique_id

    for trigger in _triggers(backend, workflow):
        trigger_id = node("TRIGGER", trigger.name)
        nodes[trigger_id]["TriggerDetails"] = {"Trigger": trigger.as_dict()}
        for action in trigger.actions:
            target = node("JOB", action.job_name) if action.job_name else node("CRAWLER", action.crawler_name)
            edges.append({"SourceId": trigger_id, "DestinationId": target})
        for condition in trigger.predicate.conditions if trigger.predicate else []:
            source = (
                node("JOB", condition.job_name)
                if condition.job_name
                else node("CRAWLER", condition.crawler_name)
            )
            edges.append({"SourceId": source, "DestinationId": trigger_id})
    return {"Nodes": list(nodes.values()), "Edges": edges}


def _crawl_dict(crawl: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "State": crawl_state(crawl),
        "StartedOn": crawl.start_time,
        "LogGroup": crawl.log_group,
        "LogStream": crawl.log_stream,
    }
    if crawl.end_time:
        data["CompletedOn"] = crawl.end_time
    if error := getattr(crawl, "error_message", None):
        data["ErrorMessage"] = error
    return data


def _get_workflow_run(self: GlueResponse) -> ActionResult:
    name, run_id = self._get_param("Name"), self._get_param("RunId")
    data = self.glue_backend.get_workflow_run(name, run_id)
    if self._get_param("IncludeGraph"):
        data["Graph"] = graph(self.glue_backend, name, self.glue_backend.workflows[name].get_run(run_id))
    return ActionResult({"Run": data})


def _get_workflow(self: GlueResponse) -> ActionResult:
    name = self._get_param("Name")
    data = self.glue_backend.get_workflow(name)
    if self._get_param("IncludeGraph"):
        data["Graph"] = graph(self.glue_backend, name, None)
    return ActionResult({"Workflow": data})


def apply() -> None:
    # FakeWorkflow.start_run builds runs from this module-level name.
    glue_models.FakeWorkflowRun = ExecutedWorkflowRun
    glue_models.GlueBackend.start_workflow_run = _start_workflow_run
    GlueResponse.get_workflow_run = _get_workflow_run
    GlueResponse.get_workflow = _get_workflow
