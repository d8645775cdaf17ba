"""Shared fixtures. `aws_endpoint` gives integration tests a real, running local AWS.

With a Docker engine answering, the emulator image of docker-compose.yml runs in a container
(testcontainers); without one, the embedded emulator process starts on a free loopback port with
a temporary state folder. Either way the test gets the same `Emulator` object. EMULATOR=localstack
chooses LocalStack instead of our patched moto.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulation import launcher
from emulation.localstack import LocalStackUnavailable

REPO_ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["spark_fixtures"]  # the shared SparkSession (tests/spark_fixtures.py)


def _docker_engine_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=2).ping()
    except Exception:  # noqa: BLE001 - no engine, no socket, no permission: all mean "no Docker"
        return False
    return True


def _emulator_in_docker(backend: str, state_dir: Path) -> Iterator[launcher.Emulator]:
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.image import DockerImage
    from testcontainers.core.waiting_utils import wait_for_logs

    if backend == "localstack":
        if not os.environ.get("LOCALSTACK_AUTH_TOKEN"):
            pytest.skip("LocalStack's Docker image needs LOCALSTACK_AUTH_TOKEN since March 2026")
        image_name, ready_line = "localstack/localstack:4.14.0", "Ready."
        container = DockerContainer(image_name).with_env(
            "LOCALSTACK_AUTH_TOKEN", os.environ["LOCALSTACK_AUTH_TOKEN"]
        )
    else:
        image = DockerImage(
            path=str(REPO_ROOT), dockerfile_path="emulation/Dockerfile", tag="ecomdwh-emulator"
        )
        image.build()
        container = DockerContainer(str(image)).with_volume_mapping(str(state_dir), "/state", "rw")
        ready_line = "listening on"
    container.with_exposed_ports(4566)
    with container:
        wait_for_logs(container, ready_line, timeout=120)
        yield launcher.Emulator(
            backend=backend,
            host="127.0.0.1",
            port=int(container.get_exposed_port(4566)),
            state_dir=state_dir,
        )


def _emulator_process(backend: str, state_dir: Path) -> Iterator[launcher.Emulator]:
    try:
        emulator, _ = launcher.start(backend=backend, port=launcher.free_port(), state_dir=state_dir)
    except LocalStackUnavailable as exc:
        pytest.skip(f"EMULATOR=localstack: {exc}")
    try:
        yield emulator
    finally:
        launcher.stop(state_dir)


@pytest.fixture(scope="session")
def aws_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[launcher.Emulator]:
    """A running local AWS for the whole test session; each test uses its own resource names."""
    backend = os.environ.get("EMULATOR", "moto")
    state_dir = tmp_path_factory.mktemp("emulator")
    start = _emulator_in_docker if _docker_engine_answers() else _emulator_process
    yield from start(backend, state_dir)


def _point_sdk_at(emulator: launcher.Emulator, patch: pytest.MonkeyPatch) -> launcher.Emulator:
    for key, value in emulator.sdk_environment().items():
        patch.setenv(key, value)
    return emulator


@pytest.fixture
def aws_env(aws_endpoint: launcher.Emulator, monkeypatch: pytest.MonkeyPatch) -> launcher.Emulator:
    """Points this test's AWS SDK (and subprocesses it starts) at the emulator."""
    return _point_sdk_at(aws_endpoint, monkeypatch)


@pytest.fixture(scope="module")
def aws_module_env(aws_endpoint: launcher.Emulator) -> Iterator[launcher.Emulator]:
    """As aws_env, for the whole module: module-scoped fixtures set up shared resources with it."""
    with pytest.MonkeyPatch.context() as patch:
        yield _point_sdk_at(aws_endpoint, patch)
