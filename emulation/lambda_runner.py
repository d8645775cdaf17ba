"""Lambda functions executed without Docker: the function's deployed zip, run by the project's Python.

moto stores a function's code but invokes it only inside Docker. Here an invocation extracts the
function's zip once per code version (under <state dir>/lambda-code/), then runs its Handler in a
subprocess (emulation/lambda_bootstrap.py) with the function's environment variables, the SDK
pointed back at the emulator and a session of the function's execution role, assumed as
lambda.amazonaws.com assumes it (emulation/service_roles.py), as Lambda reaches AWS. Asynchronous invocations (what S3 notifications
make) queue on a small worker pool so uploads stay fast. Each invocation is logged to CloudWatch Logs
`/aws/lambda/<function>` with Lambda's START/END/REPORT lines; a failed one also to the emulator log.
Not emulated: retries of failed async invocations, reserved concurrency, layers, container images.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from emulation import service_roles
from emulation.runtime import Runtime

log = logging.getLogger("emulation.lambda_runner")

BOOTSTRAP = Path(__file__).with_name("lambda_bootstrap.py")
WORKERS = ThreadPoolExecutor(
    max_workers=int(os.environ.get("ECOMDWH_LAMBDA_LOCAL_WORKERS", "2")), thread_name_prefix="lambda"
)
_extract_lock = threading.Lock()


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    role_arn: str
    handler: str
    code_zip: bytes
    environment: dict[str, str]
    timeout_seconds: int
    memory_mb: int

    @classmethod
    def of(cls, function: Any) -> FunctionSpec:
        """From moto's LambdaFunction: a snapshot, so a later update does not change a queued run."""
        return cls(
            name=function.function_name,
            role_arn=function.role,
            handler=function.handler,
            code_zip=function.code_bytes,
            environment=dict(function.environment_vars or {}),
            timeout_seconds=int(function.timeout),
            memory_mb=int(function.memory_size),
        )

    @property
    def log_group(self) -> str:
        return f"/aws/lambda/{self.name}"


@dataclass(frozen=True)
class Invocation:
    request_id: str
    succeeded: bool
    output: list[str]
    duration_ms: int


def code_dir(runtime: Runtime, spec: FunctionSpec) -> Path:
    target = runtime.state_dir / "lambda-code" / spec.name / hashlib.sha256(spec.code_zip).hexdigest()[:16]
    with _extract_lock:
        if not target.exists():
            partial = target.with_name(target.name + ".partial")
            with zipfile.ZipFile(io.BytesIO(spec.code_zip)) as archive:
                archive.extractall(partial)
            partial.rename(target)
    return target


def _environment(runtime: Runtime, spec: FunctionSpec) -> dict[str, str]:
    credentials = service_roles.credentials_for(spec.role_arn, "lambda.amazonaws.com", spec.name)
    return {
        **os.environ,
        **spec.environment,
        **runtime.sdk_environment(),
        **credentials.environment(),
        "AWS_LAMBDA_FUNCTION_NAME": spec.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": spec.log_group,
        "ECOMDWH_LAMBDA_TIMEOUT_SECONDS": str(spec.timeout_seconds),
    }


def invoke(runtime: Runtime, spec: FunctionSpec, event: dict[str, Any]) -> Invocation:
    """Runs one invocation to its end and logs it; never raises for the function's own failure."""
    request_id = str(uuid.uuid4())
    started = time.monotonic()
    try:
        result = subprocess.run(  # noqa: S603 - argv built from the function's configuration, no shell
            [sys.executable, str(BOOTSTRAP), str(code_dir(runtime, spec)), spec.handler, request_id],
            input=json.dumps(event),
            capture_output=True,
            text=True,
            env=_environment(runtime, spec),
            timeout=spec.timeout_seconds,
            check=False,
        )
        succeeded, output = result.returncode == 0, (result.stdout + result.stderr).splitlines()
    except subprocess.TimeoutExpired as exc:
        succeeded = False
        partial = exc.stdout or b""  # bytes on POSIX even with text=True
        output = (partial.decode(errors="replace") if isinstance(partial, bytes) else partial).splitlines()
        output.append(f"Task timed out after {spec.timeout_seconds:.2f} seconds")
    except Exception as exc:  # noqa: BLE001 - e.g. a zip that is not one: the invocation's error
        succeeded, output = False, [f"[ERROR] {type(exc).__name__}: {exc}"]
    invocation = Invocation(request_id, succeeded, output, int((time.monotonic() - started) * 1000))
    if not succeeded:
        log.error("lambda %s invocation %s failed: %s", spec.name, request_id, output[-1:] or "")
    _publish(runtime, spec, invocation)
    return invocation


def invoke_async(runtime: Runtime, spec: FunctionSpec, event: dict[str, Any]) -> Future[Invocation]:
    return WORKERS.submit(invoke, runtime, spec, event)


def _publish(runtime: Runtime, spec: FunctionSpec, invocation: Invocation) -> None:
    rid = invocation.request_id
    lines = [
        f"START RequestId: {rid} Version: $LATEST",
        *invocation.output,
        f"END RequestId: {rid}",
        f"REPORT RequestId: {rid}\tDuration: {invocation.duration_ms} ms\tMemory Size: {spec.memory_mb} MB",
    ]
    stream = f"{datetime.now(UTC):%Y/%m/%d}/[$LATEST]{rid.replace('-', '')}"
    now_ms = int(time.time() * 1000)
    try:
        logs = runtime.client("logs")
        with contextlib.suppress(logs.exceptions.ResourceAlreadyExistsException):
            logs.create_log_group(logGroupName=spec.log_group)
        logs.create_log_stream(logGroupName=spec.log_group, logStreamName=stream)
        logs.put_log_events(
            logGroupName=spec.log_group,
            logStreamName=stream,
            logEvents=[{"timestamp": now_ms, "message": line} for line in lines],
        )
    except Exception:  # noqa: BLE001 - logs are best effort; the invocation already ran
        log.exception("could not publish logs of lambda %s invocation %s", spec.name, rid)
