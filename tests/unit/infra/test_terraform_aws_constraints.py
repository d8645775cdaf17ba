"""What AWS needs of the Terraform that a plan cannot show, held in the configuration itself: creation
order of what delivers into the buckets, adoptable account singletons, S3-native state locking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TERRAFORM = Path(__file__).resolve().parents[3] / "infra" / "terraform"


def block(text: str, header: str) -> str:
    start = text.index(header)
    depth = 0
    for end in range(text.index("{", start), len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[start : end + 1]
    raise AssertionError(f"unbalanced block {header}")


@pytest.mark.parametrize("output", ["s3_bucket_names", "s3_bucket_arns"])
def test_buckets_are_handed_out_only_once_versioning_encryption_and_policy_exist(output: str) -> None:
    # flow logs, CloudTrail and Config check the bucket policy when created; replication needs versioning
    body = block((TERRAFORM / "modules" / "s3" / "outputs.tf").read_text(), f'output "{output}"')
    depends_on = body[body.index("depends_on") : body.index("]", body.index("depends_on"))]
    for dependency in (
        "aws_s3_bucket_versioning.this",
        "aws_s3_bucket_server_side_encryption_configuration.this",
        "aws_s3_bucket_policy.this",
    ):
        assert dependency in depends_on, f"modules/s3 output {output}: depend on {dependency}"


def test_the_logs_bucket_admits_flow_log_delivery() -> None:
    assert '"delivery.logs.amazonaws.com"' in (TERRAFORM / "modules" / "s3" / "main.tf").read_text()


@pytest.mark.parametrize(
    ("resource", "flag"),
    [
        ('resource "aws_iam_service_linked_role" "config"', "adopt_config_service_linked_role"),
        ('resource "aws_guardduty_detector" "this"', "adopt_guardduty_detector"),
        ('resource "aws_securityhub_account" "this"', "adopt_security_hub_account"),
    ],
)
def test_account_singletons_can_be_adopted_instead_of_created(resource: str, flag: str) -> None:
    body = block((TERRAFORM / "modules" / "hardening" / "main.tf").read_text(), resource)
    assert re.search(rf"count\s*=.*!var\.{flag}", body), (
        f"modules/hardening {resource}: create it only when not {flag}"
    )


def test_security_hub_does_not_subscribe_its_default_standards_beside_ours() -> None:
    body = block(
        (TERRAFORM / "modules" / "hardening" / "main.tf").read_text(),
        'resource "aws_securityhub_account" "this"',
    )
    assert re.search(r"enable_default_standards\s*=\s*false", body)


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_state_locks_with_an_s3_lock_file(env: str) -> None:
    backend = (TERRAFORM / "envs" / env / "backend.hcl").read_text()
    assert re.search(r"^use_lockfile\s*=\s*true", backend, re.MULTILINE)
    assert not re.search(r"^dynamodb_table\s*=", backend, re.MULTILINE), (
        "dynamodb_table is deprecated since 1.11"
    )


def test_the_state_bucket_cannot_be_destroyed_and_refuses_plain_http() -> None:
    text = (TERRAFORM / "envs" / "bootstrap" / "main.tf").read_text()
    assert re.search(r"prevent_destroy\s*=\s*true", block(text, 'resource "aws_s3_bucket" "state"'))
    assert '"aws:SecureTransport"' in block(text, 'data "aws_iam_policy_document" "state"')


def test_the_lambda_reserves_no_concurrency_by_default() -> None:
    # a new account's quota is 10 and Lambda keeps 10 unreserved: any reservation fails there
    body = block(
        (TERRAFORM / "modules" / "raw_validation" / "variables.tf").read_text(),
        'variable "reserved_concurrency"',
    )
    assert re.search(r"default\s*=\s*-1\b", body)
