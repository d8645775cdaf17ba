"""The raw validation Lambda zip carries its handler, the contract and the shared structural rules,
byte-stable."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

from lambdas.raw_validation.handler import METRIC_NAMESPACE, REJECTED_PREFIX, tag_value
from lambdas.raw_validation.package import HANDLER, REPO_ROOT, build_zip


def test_the_zip_runs_from_its_own_files(tmp_path):
    archive = build_zip(tmp_path / "fn.zip")
    code = tmp_path / "code"
    zipfile.ZipFile(archive).extractall(code)
    module = HANDLER.rsplit(".", 1)[0]
    probe = (
        f"import {module} as h, ecomdwh.contracts as c, ecomdwh.raw_format as f; "
        "print(h.__file__); print(c.__file__); print(f.__file__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=code, capture_output=True, text=True, check=True
    ).stdout.split()
    assert [path.startswith(str(code)) for path in out] == [True, True, True]
    assert (code / "ecomdwh/contracts.py").read_bytes() == (REPO_ROOT / "ecomdwh/contracts.py").read_bytes()


def test_the_same_sources_give_the_same_bytes(tmp_path):
    assert build_zip(tmp_path / "a.zip").read_bytes() == build_zip(tmp_path / "b.zip").read_bytes()


def test_tag_values_keep_only_characters_s3_allows():
    reason = "header 'a;b' does not match (missing x, y); expected a,b" + "!" * 300
    value = tag_value(reason)
    assert value.startswith("header a b does not match missing x y expected a b")
    assert len(value) <= 256


def test_the_terraform_module_agrees_with_the_code():
    module = (REPO_ROOT / "infra/terraform/modules/raw_validation/main.tf").read_text()
    settings = dict(
        re.findall(r'^\s+(handler|metric_namespace|rejected_prefix)\s+=\s+"([^"]+)"', module, re.M)
    )
    assert settings == {
        "handler": HANDLER,
        "metric_namespace": METRIC_NAMESPACE,
        "rejected_prefix": REJECTED_PREFIX,
    }
