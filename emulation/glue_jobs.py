"""Glue job runs executed for real: the job's script, from S3, run by the project's Python and PySpark.

`StartJobRun` on the emulator assumes the job's IAM role as glue.amazonaws.com does
(emulation/service_roles.py), downloads the job's `Command.ScriptLocation` and its `--extra-py-files`
from the emulator's S3 with that role, then runs `python <script> --JOB_NAME <job> --JOB_RUN_ID <id>
<arguments>` in a subprocess with the SDK pointed back at the emulator and the role's session in its
environment, so the script reaches S3 (s3a) and the other services exactly as a Glue job reaches AWS,
with the permissions of its role. The run moves STARTING -> RUNNING -> SUCCEEDED | FAILED |
TIMEOUT; FAILED carries the script's last error line, or the signal that killed it; stdout and stderr go to CloudWatch Logs
(`/aws-glue/jobs/output` and `/aws-glue/jobs/error`, one stream per run, as in AWS).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import boto3
from moto.core.utils import utcnow

from emulation import service_roles
from emulation.runtime import REGION, Runtime

log = logging.getLogger("emulation.glue_jobs")

ACTIVE_STATES = frozenset({"STARTING", "RUNNING"})  # what moto counts against MaxConcurrentRuns
DEFAULT_TIMEOUT_MINUTES = 2880  # Glue's default job timeout
# Spark jobs are heavy: at most this many run at once on this machine; the rest stay STARTING.
LOCAL_SLOTS = threading.BoundedSemaphore(int(os.environ.get("ECOMDWH_GLUE_LOCAL_SLOTS", "2")))
LOG_GROUPS = {"stdout": "/aws-glue/jobs/output", "stderr": "/aws-glue/jobs/error"}
# Arguments Glue consumes itself rather than passing to the script.
GLUE_ONLY_ARGUMENTS = frozenset(
    {"--extra-py-files", "--additional-python-modules", "--python-modules-installer-option"}
)

_live_runs: set[str] = set()


@dataclass(frozen=True)
class JobSpec:
    name: str
    role_arn: str
    script_location: str
    arguments: dict[str, str]
    timeout_minutes: int


def s3_location(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    if parsed.scheme not in ("s3", "s3a") or not parsed.netloc or not parsed.path.strip("/"):
        raise ValueError(f"{uri!r} is not an s3://bucket/key location")
    return parsed.netloc, parsed.path.lstrip("/")


def script_argv(spec: JobSpec, run_id: str, script: Path) -> list[str]:
    argv = [sys.executable, str(script), "--JOB_NAME", spec.name, "--JOB_RUN_ID", run_id]
    for key, value in spec.arguments.items():
        if key not in GLUE_ONLY_ARGUMENTS and key not in ("--JOB_NAME", "--JOB_RUN_ID"):
            argv += [key, value]
    return argv


def last_error_line(stderr: str, returncode: int) -> str:
    """The message a person needs: the exception line of the last Python traceback (Spark keeps
    logging after it), else the last line written."""
    lines = stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last):")]
    if starts:
        after = lines[starts[-1] + 1 :]
        exception = next((line for line in after if line.strip() and not line[0].isspace()), None)
        if exception:
            return exception.strip()[:2000]
    written = [line.strip() for line in lines if line.strip()]
    return (written[-1] if written else f"script exited with code {returncode}")[:2000]


def failure_message(stderr: str, returncode: int) -> str:
    """Why the script failed: for a script ended by a signal (the kernel's OOM killer, a `kill`), that
    signal, since its last line (often an INFO log) says nothing of it; else its last error line."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return (
            f"Job script was killed by {name} before it finished (out of memory, or stopped from outside); "
            f"its output is in {LOG_GROUPS['stderr']}"
        )
    return last_error_line(stderr, returncode)


def _download(s3: Any, uri: str, folder: Path) -> Path:
    bucket, key = s3_location(uri)
    target = folder / Path(key).name
    s3.download_file(bucket, key, str(target))
    return target


def _publish_logs(runtime: Runtime, run_id: str, streams: dict[str, str]) -> None:
    logs = runtime.client("logs")
    now_ms = int(time.time() * 1000)
    for stream, text in streams.items():
        group = LOG_GROUPS[stream]
        # CloudWatch Logs refuses empty messages, and a traceback has blank lines.
        lines = [line or " " for line in text.splitlines()] or ["(no output)"]
        with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
            logs.create_log_group(logGroupName=group)
        logs.create_log_stream(logGroupName=group, logStreamName=run_id)
        for start in range(0, len(lines), 5000):
            events = [{"timestamp": now_ms, "message": line} for line in lines[start : start + 5000]]
            logs.put_log_events(logGroupName=group, logStreamName=run_id, logEvents=events)


@dataclass
class Outcome:
    status: str = "FAILED"
    error_message: str | None = None
    stdout: str = ""
    stderr: str = ""
    execution_time: int = 0


def _run_script(runtime: Runtime, spec: JobSpec, run: Any) -> Outcome:
    workdir = runtime.state_dir / "glue-runs" / run.job_run_id
    workdir.mkdir(parents=True, exist_ok=True)
    credentials = service_roles.credentials_for(spec.role_arn, "glue.amazonaws.com", spec.name)
    s3 = boto3.client(
        "s3", endpoint_url=runtime.endpoint_url, region_name=REGION, **credentials.client_kwargs()
    )
    script = _download(s3, spec.script_location, workdir)
    extra = [
        str(_download(s3, uri.strip(), workdir))
        for uri in spec.arguments.get("--extra-py-files", "").split(",")
        if uri.strip()
    ]
    env = {
        **os.environ,
        **runtime.sdk_environment(),
        **credentials.environment(),
        "PYTHONPATH": os.pathsep.join([*extra, os.environ.get("PYTHONPATH", "")]).strip(os.pathsep),
    }
    with LOCAL_SLOTS:
        run.status = "RUNNING"
        run.started_on = utcnow()
        started = time.monotonic()
        try:
            result = subprocess.run(  # noqa: S603 - argv built from the job definition, no shell
                script_argv(spec, run.job_run_id, script),
                capture_output=True,
                text=True,
                env=env,
                cwd=workdir,
                timeout=spec.timeout_minutes * 60,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            return Outcome(
                status="TIMEOUT",
                error_message=f"Job run timed out after {spec.timeout_minutes} minute(s)",
                stdout=(exc.stdout or b"").decode(errors="replace"),
                stderr=(exc.stderr or b"").decode(errors="replace"),
                execution_time=int(time.monotonic() - started),
            )
    return Outcome(
        status="SUCCEEDED" if result.returncode == 0 else "FAILED",
        error_message=None if result.returncode == 0 else failure_message(result.stderr, result.returncode),
        stdout=result.stdout,
        stderr=result.stderr,
        execution_time=int(time.monotonic() - started),
    )


def _execute(runtime: Runtime, spec: JobSpec, run: Any) -> None:
    try:
        outcome = _run_script(runtime, spec, run)
    except Exception as exc:  # noqa: BLE001 - whatever went wrong is the run's failure reason
        log.exception("job run %s of %s failed to start", run.job_run_id, spec.name)
        outcome = Outcome(error_message=f"{type(exc).__name__}: {exc}")
    # Logs first: whoever sees the run finished can read its output, as in AWS.
    try:
        _publish_logs(runtime, run.job_run_id, {"stdout": outcome.stdout, "stderr": outcome.stderr})
    except Exception:  # noqa: BLE001 - logs are best effort; the run's outcome stands without them
        log.exception("could not publish logs of job run %s", run.job_run_id)
    run.error_message = outcome.error_message
    run.execution_time = outcome.execution_time
    run.completed_on = utcnow()
    run.status = outcome.status
    _live_runs.discard(run.job_run_id)


def launch(runtime: Runtime, spec: JobSpec, run: Any) -> None:
    """Runs the job in the background; `run` (moto's job run object) carries the state."""
    run.status = "STARTING"
    _live_runs.add(run.job_run_id)
    threading.Thread(
        target=_execute, args=(runtime, spec, run), name=f"glue-{run.job_run_id[:12]}", daemon=True
    ).start()


def is_live(run_id: str) -> bool:
    return run_id in _live_runs
