"""LocalStack as the second backend, run in host mode (no Docker, no auth token) on Python 3.13.

LocalStack's Docker image needs an auth token since March 2026; its PyPI package
`localstack-core[runtime]` still runs on the host without one. It needs Python 3.13, so it lives
in its own virtual environment, `.venv-localstack`, made by `make install-localstack`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV = REPO_ROOT / ".venv-localstack"
PYTHON_VERSION = (3, 13)


class LocalStackUnavailable(RuntimeError):
    """LocalStack host mode cannot run here; the message says what to install."""


def _runs(python: str) -> bool:
    # A pyenv shim exists on PATH even when no 3.13 is selected, and fails when run.
    result = subprocess.run([python, "--version"], capture_output=True, check=False)  # noqa: S603
    return result.returncode == 0


def find_python313() -> str | None:
    """A working Python 3.13 interpreter: installed by pyenv, or on PATH."""
    candidates: list[str] = []
    if shutil.which("pyenv"):
        result = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=False)  # noqa: S607
        root = Path(result.stdout.strip())
        candidates += sorted(str(p) for p in root.glob("versions/3.13*/bin/python3.13"))
    candidates += [c for c in [shutil.which("python3.13")] if c]
    return next((c for c in candidates if _runs(c)), None)


def venv_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        hint = (
            "run `make install-localstack`"
            if find_python313()
            else "install Python 3.13 (`pyenv install 3.13`), then run `make install-localstack`"
        )
        raise LocalStackUnavailable(f"LocalStack host mode is not installed in {VENV}: {hint}.")
    return python


def host_mode_command(
    host: str, port: int, state_dir: Path, env: dict[str, str]
) -> tuple[list[str], dict[str, str]]:
    state_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **env,
        "GATEWAY_LISTEN": f"{host}:{port}",
        "FILESYSTEM_ROOT": str(state_dir / "localstack"),
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        # The default twisted gateway ignores the host of GATEWAY_LISTEN and binds 0.0.0.0.
        "GATEWAY_SERVER": "hypercorn",
        "DISABLE_EVENTS": "1",
        "LOCALSTACK_TELEMETRY": "0",
    }
    return [str(venv_python()), "-m", "localstack.runtime.main"], env
