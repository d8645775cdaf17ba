"""The one environment switch: where AWS calls go, and the names of the deployed resources.

TARGET=local (default) points the AWS SDK at the running emulator by loading the env file that
`make local-up` wrote; TARGET=aws leaves the SDK's normal resolution (profile, role, region) alone.
Business code never names an endpoint: boto3 reads AWS_ENDPOINT_URL itself.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCAL_DIR = REPO_ROOT / ".local"
EMULATOR_STATE_DIR = LOCAL_DIR / "emulator"
TARGETS = ("local", "aws")
BUCKET_PURPOSES = ("raw", "processed", "scripts", "logs")


class ConfigError(RuntimeError):
    """Configuration that cannot work, worded with the fix."""


def _warehouse_sql_dir() -> Path:
    """warehouse_sql/ of the checkout, or, when the packages run from a zip (a Glue job's
    --extra-py-files, built by scripts/build_glue_libs.py), the copy inside it extracted once."""
    archive = next((p for p in Path(__file__).parents if p.suffix == ".zip" and p.is_file()), None)
    if archive is None:
        return REPO_ROOT / "warehouse_sql"
    target_dir = (
        Path(tempfile.gettempdir()) / f"ecomdwh-{archive.stat().st_mtime_ns}-{archive.stat().st_size}"
    )
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(
            target_dir, [name for name in zipped.namelist() if name.startswith("warehouse_sql/")]
        )
    return target_dir / "warehouse_sql"


WAREHOUSE_SQL_DIR = _warehouse_sql_dir()


def target() -> str:
    value = os.environ.get("ECOMDWH_TARGET", os.environ.get("TARGET", "local"))
    if value not in TARGETS:
        raise ConfigError(f"TARGET={value!r} is not a target; use one of: {', '.join(TARGETS)}")
    return value


def read_env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def activate_target() -> str:
    """Points this process's AWS SDK at the chosen target; returns the target name."""
    chosen = target()
    if chosen == "local" and "AWS_ENDPOINT_URL" not in os.environ:
        env_file = EMULATOR_STATE_DIR / "env"
        if not env_file.exists():
            raise ConfigError(
                "TARGET=local but the local emulator is not running (no .local/emulator/env): "
                "start it with `make local-up`, or set TARGET=aws."
            )
        os.environ.update(read_env_file(env_file))
    return chosen


def bucket(purpose: str) -> str:
    """Bucket name for raw|processed|scripts|logs: ECOMDWH_<PURPOSE>_BUCKET (set from Terraform's
    outputs in AWS), else the local environment's fixed name `ecomdwh-local-<purpose>`."""
    if purpose not in BUCKET_PURPOSES:
        raise ConfigError(f"unknown bucket purpose {purpose!r}; use one of: {', '.join(BUCKET_PURPOSES)}")
    return os.environ.get(f"ECOMDWH_{purpose.upper()}_BUCKET", f"ecomdwh-local-{purpose}")
