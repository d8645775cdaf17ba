"""Static rules of infra/terraform: module layout, typed and described variables, prefixed outputs,
and a reason on every checkov skip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TERRAFORM = Path(__file__).resolve().parents[3] / "infra" / "terraform"
MODULES = sorted(path for path in (TERRAFORM / "modules").iterdir() if path.is_dir())
# The composition root exposes environment-facing names; every other module prefixes its outputs.
COMPOSITION = "stack"


def blocks(text: str, kind: str) -> dict[str, str]:
    """Body of each top-level `<kind> "<name>" { ... }` block, by name."""
    found = {}
    for match in re.finditer(rf'^{kind} "([^"]+)" \{{', text, re.MULTILINE):
        depth, end = 0, match.end() - 1
        for end in range(match.end() - 1, len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                break
        found[match.group(1)] = text[match.end() : end]
    return found


def test_modules_found() -> None:
    assert {path.name for path in MODULES} >= {
        "vpc",
        "kms",
        "s3",
        "iam",
        "glue",
        "redshift",
        "step_functions",
    }


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_module_has_the_standard_files(module: Path) -> None:
    missing = [
        name
        for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
        if not (module / name).is_file()
    ]
    assert not missing, f"{module}: add {', '.join(missing)}"


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.name)
def test_every_variable_is_typed_and_described(module: Path) -> None:
    variables = blocks((module / "variables.tf").read_text(), "variable")
    untyped = [name for name, body in variables.items() if not re.search(r"^\s*type\s*=", body, re.MULTILINE)]
    undescribed = [name for name, body in variables.items() if "description" not in body]
    assert not untyped, f"{module}/variables.tf: give these a type: {untyped}"
    assert not undescribed, f"{module}/variables.tf: describe these: {undescribed}"


@pytest.mark.parametrize("module", [m for m in MODULES if m.name != COMPOSITION], ids=lambda path: path.name)
def test_outputs_are_prefixed_with_the_module_name(module: Path) -> None:
    outputs = blocks((module / "outputs.tf").read_text(), "output")
    unprefixed = [name for name in outputs if not name.startswith(f"{module.name}_")]
    assert outputs, f"{module}/outputs.tf declares no output"
    assert not unprefixed, f"{module}/outputs.tf: prefix these with {module.name}_: {unprefixed}"


def test_every_checkov_skip_carries_a_reason() -> None:
    skips = [
        (path, line.strip())
        for path in TERRAFORM.rglob("*.tf")
        for line in path.read_text().splitlines()
        if "checkov:skip=" in line
    ]
    unexplained = [
        (str(path), line)
        for path, line in skips
        if not re.search(r"checkov:skip=CKV\w*_\d+:\s*\S.{9,}", line)
    ]
    assert skips, "expected the documented checkov skips"
    assert not unexplained, f"write the reason after the check ID: {unexplained}"
