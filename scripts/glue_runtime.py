"""Glue runtime parity: import a Glue job's entrypoint and parse its arguments as AWS Glue 5.0 would.

The job runs in a fresh interpreter (python -I) that can import only the standard library, the modules
AWS documents as provided by Glue 5.0 (infra/terraform/modules/glue/glue-5.0-python-modules.txt) and
what Terraform ships to the job (its --extra-py-files zips and --additional-python-modules). Any other
import, at module level or while parsing arguments, fails naming the module. The project's packages
come from the shipped zip, never from this checkout.

    python -m scripts.glue_runtime SCRIPT.py --shipped libs.zip [--additional-modules a,b] -- --JOB_NAME x ...
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PROVIDED_MODULES_FILE = REPO_ROOT / "infra" / "terraform" / "modules" / "glue" / "glue-5.0-python-modules.txt"
GLUE_PYTHON = (3, 11)  # Glue 5.0's Python (AWS Glue release notes)

# Runs in the fresh interpreter: argv[1] is a JSON object with allowed, shipped, script, job_argv, hidden.
_CHILD = r"""
import importlib.abc, importlib.machinery, importlib.util, json, sys, sysconfig
spec = json.loads(sys.argv[1])
allowed = set(spec["allowed"]) | set(sys.stdlib_module_names)
stdlib = [sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]]
stdlib.append(stdlib[-1] + "/lib-dynload")

class GlueRuntimeOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in allowed or importlib.machinery.PathFinder.find_spec(top, stdlib) is not None:
            return None
        raise ModuleNotFoundError(
            f"No module named {top!r} in the Glue 5.0 runtime: Glue does not provide it and Terraform does "
            f"not ship it to this job (imported as {fullname!r})", name=top)

sys.path[:] = spec["shipped"] + [p for p in sys.path if p not in spec["hidden"]]
sys.meta_path.insert(0, GlueRuntimeOnly())
loader_spec = importlib.util.spec_from_file_location("glue_job_entrypoint", spec["script"])
job = importlib.util.module_from_spec(loader_spec)
loader_spec.loader.exec_module(job)
for name in spec["project_packages"]:
    origin = sys.modules[name].__file__ if name in sys.modules else None
    if origin is not None and not any(origin.startswith(z) for z in spec["shipped"]):
        raise SystemExit(f"{name} was imported from {origin}, not from the shipped zip")
if hasattr(job, "parse_job_options"):
    job.parse_job_options(spec["job_argv"])
elif hasattr(job, "job_arguments"):
    job.job_arguments(spec["job_argv"], ["JOB_NAME"])
else:
    raise SystemExit(f"{spec['script']}: no argument parser found (parse_job_options or job_arguments)")
print("ok")
"""


@dataclass(frozen=True)
class ParityResult:
    script: Path
    ok: bool
    output: str


def provided_distributions(path: Path = PROVIDED_MODULES_FILE) -> list[str]:
    """Distribution names of the pinned Glue 5.0 list (comments and versions stripped)."""
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [re.split(r"[=<>!~ ]", line)[0] for line in lines if line]


def import_names(distributions: Iterable[str]) -> set[str]:
    """Top-level import names of distributions: from installed metadata, else the distribution's own name."""
    by_distribution: dict[str, set[str]] = {}
    for module, dists in importlib.metadata.packages_distributions().items():
        for dist in dists:
            by_distribution.setdefault(_normalise(dist), set()).add(module)
    names: set[str] = set()
    for dist in distributions:
        names |= by_distribution.get(_normalise(dist), {dist.replace("-", "_").lower()})
    return names


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def shipped_top_level(zips: Sequence[Path]) -> set[str]:
    names: set[str] = set()
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            names |= {entry.split("/")[0].removesuffix(".py") for entry in archive.namelist()}
    return names


def check_job(
    script: Path,
    shipped_zips: Sequence[Path],
    job_argv: Sequence[str],
    additional_modules: Sequence[str] = (),
    python: str = sys.executable,
) -> ParityResult:
    """Imports `script` and parses `job_argv` in a fresh interpreter holding only the Glue 5.0 runtime plus the shipped zips."""
    shipped = shipped_top_level(shipped_zips)
    additional = [re.split(r"[=<>!~ ]", module)[0] for module in additional_modules]
    allowed = import_names(provided_distributions()) | import_names(additional) | shipped
    spec = {
        "allowed": sorted(allowed),
        "shipped": [str(Path(z).resolve()) for z in shipped_zips],
        "hidden": [str(REPO_ROOT), ""],
        "script": str(Path(script).resolve()),
        "job_argv": [str(script), *job_argv],
        "project_packages": sorted(shipped),
    }
    process = subprocess.run(
        [python, "-I", "-c", _CHILD, json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(shipped_zips[0]).parent if shipped_zips else None,
    )
    output = (process.stdout + process.stderr).strip()
    return ParityResult(script=script, ok=process.returncode == 0 and output.endswith("ok"), output=output)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("script", type=Path)
    parser.add_argument("--shipped", type=Path, action="append", default=[], help="an --extra-py-files zip")
    parser.add_argument(
        "--additional-modules", default="", help="--additional-python-modules, comma-separated"
    )
    own, job_argv = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    args = parser.parse_args(own)
    modules = [m.strip() for m in args.additional_modules.split(",") if m.strip()]
    result = check_job(args.script, args.shipped, job_argv, modules)
    print(result.output)
    return 0 if result.ok else 1


if __name__ == "__main__":
    if sys.version_info[:2] != GLUE_PYTHON:
        sys.exit(f"Glue 5.0 runs Python {'.'.join(map(str, GLUE_PYTHON))}; run this with that version")
    sys.exit(main(sys.argv[1:]))
