"""Benchmark the local deploy: envs/local applied by scripts/terraform.sh (what `make deploy` runs) to a
fresh embedded emulator, then an empty re-plan and a destroy. Prints seconds per phase and the apply
against its target; asserts nothing.

    .venv/bin/python bench/bench_terraform.py
Target: applying envs/local to a fresh emulator in under 120 s.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from emulation import launcher

REPO_ROOT = Path(__file__).resolve().parent.parent
TARGET_APPLY_SECONDS = 120.0


def run(emulator: launcher.Emulator, work_dir: Path, *args: str) -> tuple[float, str]:
    env = {**os.environ, **emulator.sdk_environment(), "TARGET": "local", "TF_WORK_DIR": str(work_dir)}
    started = time.perf_counter()
    done = subprocess.run(
        ["scripts/terraform.sh", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(
            f"scripts/terraform.sh {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}"
        )
    return elapsed, done.stdout


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-terraform-") as scratch:
        state_dir, work_dir = Path(scratch) / "emulator", Path(scratch) / "work"
        emulator, _ = launcher.start(port=launcher.free_port(), state_dir=state_dir)
        try:
            deploy_seconds, output = run(emulator, work_dir, "deploy")
            applied = re.search(r"applied in (\d+) s", output)
            resources = re.search(r"Resources: (\d+) added", output)
            replan_seconds, _ = run(emulator, work_dir, "plan", "-detailed-exitcode")
            destroy_seconds, _ = run(emulator, work_dir, "destroy")
        finally:
            launcher.stop(state_dir)
    apply_seconds = float(applied.group(1)) if applied else float("nan")
    print(f"resources created         {resources.group(1) if resources else '?'}")
    print(f"deploy (init+plan+apply)  {deploy_seconds:6.1f} s")
    print(
        f"apply                     {apply_seconds:6.1f} s   target < {TARGET_APPLY_SECONDS:.0f} s "
        f"(ratio {apply_seconds / TARGET_APPLY_SECONDS:.2f})"
    )
    print(f"re-plan (no changes)      {replan_seconds:6.1f} s")
    print(f"destroy                   {destroy_seconds:6.1f} s")


if __name__ == "__main__":
    main()
