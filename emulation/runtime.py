"""Where the running emulator lives: for patches that call services back or keep files of their own.

Set once by the server before the patches are applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

REGION = "us-east-1"
DUMMY_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}  # noqa: S105 - emulator only


@dataclass(frozen=True)
class Runtime:
    host: str
    port: int
    state_dir: Path

    @property
    def endpoint_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def sdk_environment(self) -> dict[str, str]:
        """Environment of a subprocess (a Glue job, a Lambda handler) whose SDK calls come back here."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIALS["aws_secret_access_key"],
            "AWS_DEFAULT_REGION": REGION,
            "AWS_REGION": REGION,
        }

    def client(self, service: str) -> Any:
        """A boto3 client calling this emulator, as the service integrations of AWS call each other."""
        return boto3.client(service, endpoint_url=self.endpoint_url, region_name=REGION, **DUMMY_CREDENTIALS)


_current: Runtime | None = None


def set_runtime(runtime: Runtime) -> None:
    global _current
    _current = runtime


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("the emulator runtime is not set; patches run inside `python -m emulation.server`")
    return _current
