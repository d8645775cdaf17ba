"""Starts, stops and reports the local AWS emulator as a background process bound to loopback.

One emulator instance is one state directory: it holds `emulator.json` (pid, port, backend),
`emulator.log` and the backend's persisted state. `make local-up` uses `.local/emulator`; the
test fixture uses a temporary directory and a free port, through the same functions.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import boto3
from botocore.config import Config

from emulation import localstack

BACKENDS = ("moto", "localstack")
# What a backend cannot do, with the reason; callers skip these features on it instead of failing.
BACKEND_GAPS: dict[str, dict[str, str]] = {
    "moto": {},
    "localstack": {
        "glue": "LocalStack community edition has no Glue",
        "redshift-data": "LocalStack community edition has no Redshift Data API",
        "redshift-terraform-fields": "LocalStack's Redshift lacks the cluster status fields our moto patch adds",
        "persistence": "LocalStack community edition keeps no state across restarts",
        "execution-history-order": "LocalStack's GetExecutionHistory returns the oldest events whatever reverseOrder says",
    },
}
STATUS_FILE = "emulator.json"
LOG_FILE = "emulator.log"
ENV_FILE = "env"
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}  # noqa: S105 - emulator only
DEFAULT_REGION = "us-east-1"


class EmulatorError(RuntimeError):
    """A problem starting or reaching the emulator, worded with the fix."""


@dataclass(frozen=True)
class Emulator:
    backend: str
    host: str
    port: int
    state_dir: Path
    pid: int | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def gap(self, feature: str) -> str | None:
        """Why this backend lacks `feature`, or None when it has it."""
        return BACKEND_GAPS[self.backend].get(feature)

    def sdk_environment(self) -> dict[str, str]:
        """What the AWS SDK and CLI need to talk to this emulator instead of AWS."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            **DUMMY_CREDENTIALS,
            "AWS_DEFAULT_REGION": DEFAULT_REGION,
            "AWS_REGION": DEFAULT_REGION,
            "ECOMDWH_TARGET": "local",
            "ECOMDWH_EMULATOR": self.backend,
        }


def _status_path(state_dir: Path) -> Path:
    return state_dir / STATUS_FILE


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_healthy(emulator: Emulator, timeout: float = 2.0) -> bool:
    client = boto3.client(
        "s3",
        endpoint_url=emulator.endpoint_url,
        region_name=DEFAULT_REGION,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 1}),
    )
    try:
        client.list_buckets()
    except Exception:  # noqa: BLE001 - any failure means "not healthy yet"
        return False
    return True


def read_status(state_dir: Path) -> Emulator | None:
    """The emulator recorded in `state_dir`, if its process is still alive."""
    path = _status_path(state_dir)
    if not path.exists():
        return None
    recorded = json.loads(path.read_text())
    emulator = Emulator(**{**recorded, "state_dir": Path(recorded["state_dir"])})
    if emulator.pid is None or not _pid_alive(emulator.pid):
        path.unlink(missing_ok=True)
        return None
    return emulator


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _ensure_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the server itself does: connections of a previous run in TIME_WAIT must not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise EmulatorError(
                f"port {port} on {host} is already in use by another process ({exc.strerror}). "
                f"Stop that process (`ss -ltnp 'sport = :{port}'` shows it) or pick another port: "
                f"`make local-up PORT={port + 1}`."
            ) from exc


def _command(backend: str, host: str, port: int, state_dir: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, **DUMMY_CREDENTIALS, "AWS_DEFAULT_REGION": DEFAULT_REGION}
    env.pop("AWS_ENDPOINT_URL", None)
    if backend == "moto":
        command = [
            sys.executable,
            "-m",
            "emulation.server",
            "--host",
            host,
            "--port",
            str(port),
            "--state-dir",
            str(state_dir),
        ]
        return command, env
    return localstack.host_mode_command(host, port, state_dir, env)


def start(
    backend: str = "moto",
    host: str = "127.0.0.1",
    port: int = 4566,
    state_dir: Path = Path(".local/emulator"),
    timeout: float = 90.0,
) -> tuple[Emulator, bool]:
    """Starts the emulator unless it already runs; returns it and whether this call started it."""
    if backend not in BACKENDS:
        raise EmulatorError(f"unknown emulator backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    state_dir = state_dir.resolve()
    running = read_status(state_dir)
    if running is not None:
        if running.backend != backend or running.port != port:
            raise EmulatorError(
                f"a {running.backend} emulator already runs from {state_dir} on port {running.port}; "
                "stop it first with `make local-down`."
            )
        return running, False

    _ensure_port_free(host, port)
    state_dir.mkdir(parents=True, exist_ok=True)
    command, env = _command(backend, host, port, state_dir)
    with (state_dir / LOG_FILE).open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
    emulator = Emulator(backend=backend, host=host, port=port, state_dir=state_dir, pid=process.pid)
    deadline = time.monotonic() + timeout
    while not is_healthy(emulator, timeout=1.0):
        if process.poll() is not None:
            raise EmulatorError(
                f"the {backend} emulator exited with code {process.returncode} while starting; "
                f"see {state_dir / LOG_FILE}"
            )
        if time.monotonic() > deadline:
            _terminate(process.pid)
            raise EmulatorError(
                f"the {backend} emulator did not answer on {emulator.endpoint_url} within {timeout:.0f}s; "
                f"see {state_dir / LOG_FILE}"
            )
        time.sleep(0.1)
    record = {**asdict(emulator), "state_dir": str(state_dir)}
    _status_path(state_dir).write_text(json.dumps(record, indent=2) + "\n")
    write_env_file(emulator)
    return emulator, True


def write_env_file(emulator: Emulator) -> Path:
    """Writes `<state_dir>/env`, sourceable by a shell: `set -a; . .local/emulator/env`."""
    path = emulator.state_dir / ENV_FILE
    lines = [f"{key}={value}" for key, value in emulator.sdk_environment().items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def _terminate(pid: int, timeout: float = 30.0) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while _pid_alive(pid) and time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.1)
    if _pid_alive(pid):
        os.killpg(pid, signal.SIGKILL)


def stop(state_dir: Path = Path(".local/emulator")) -> Emulator | None:
    """Stops the emulator of `state_dir` gracefully (it saves its state first); None if none ran."""
    emulator = read_status(state_dir.resolve())
    if emulator is None:
        return None
    assert emulator.pid is not None
    _terminate(emulator.pid)
    _status_path(emulator.state_dir).unlink(missing_ok=True)
    return emulator
