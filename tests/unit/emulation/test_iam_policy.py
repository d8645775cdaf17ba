"""The emulator's IAM policy evaluation decides as AWS's evaluation logic does."""

from __future__ import annotations

import pytest

from emulation.iam_policy import UNKNOWN_RESOURCE, Decision, decide, trusts_service

BUCKET = "arn:aws:s3:::raw"
CONTEXT = {"aws:RequestedRegion": "us-east-1"}


def _policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _allow(action: str | list[str], resource: str | list[str], **extra: object) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (f"{BUCKET}/orders/part-0.csv", Decision.ALLOW),
        (BUCKET, Decision.IMPLICIT_DENY),  # the bucket is not an object in it
        ("arn:aws:s3:::raw-copy/orders/part-0.csv", Decision.IMPLICIT_DENY),
        (UNKNOWN_RESOURCE, Decision.ALLOW),  # a call the emulator cannot name a resource for
    ],
)
def test_resource_wildcards_match_as_in_iam(resource, expected):
    assert (
        decide([_policy(_allow("s3:GetObject", f"{BUCKET}/*"))], "s3:GetObject", resource, CONTEXT)
        is expected
    )


def test_action_names_are_case_insensitive_and_wildcarded():
    policy = _policy(_allow("S3:get*", "*"))
    assert decide([policy], "s3:GetObject", BUCKET, CONTEXT) is Decision.ALLOW
    assert decide([policy], "s3:PutObject", BUCKET, CONTEXT) is Decision.IMPLICIT_DENY


def test_an_explicit_deny_wins_over_any_allow():
    allow = _policy(_allow("s3:*", "*"))
    deny = _policy({"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": f"{BUCKET}/*"})
    assert decide([allow, deny], "s3:DeleteObject", f"{BUCKET}/k", CONTEXT) is Decision.EXPLICIT_DENY
    assert decide([allow, deny], "s3:GetObject", f"{BUCKET}/k", CONTEXT) is Decision.ALLOW


def test_an_allow_whose_condition_is_false_does_not_apply_instead_of_denying():
    metrics = _allow(
        "cloudwatch:PutMetricData", "*", Condition={"StringEquals": {"cloudwatch:namespace": ["ecomdwh"]}}
    )
    other = _allow("sns:Publish", "*")
    policy = _policy(metrics, other)
    ours = {**CONTEXT, "cloudwatch:namespace": "ecomdwh"}
    theirs = {**CONTEXT, "cloudwatch:namespace": "Other"}
    assert decide([policy], "cloudwatch:PutMetricData", "*", ours) is Decision.ALLOW
    assert decide([policy], "cloudwatch:PutMetricData", "*", theirs) is Decision.IMPLICIT_DENY
    assert decide([policy], "cloudwatch:PutMetricData", "*", CONTEXT) is Decision.IMPLICIT_DENY  # key absent


def test_condition_operators_and_missing_keys():
    def allowed(condition: dict, context: dict) -> bool:
        policy = _policy(_allow("s3:GetObject", "*", Condition=condition))
        return decide([policy], "s3:GetObject", BUCKET, context) is Decision.ALLOW

    assert allowed({"StringLike": {"aws:RequestedRegion": "us-*"}}, CONTEXT)
    assert not allowed({"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}, CONTEXT)
    assert allowed({"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}, CONTEXT)  # negated: a missing key matches
    assert allowed({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}, CONTEXT)
    assert not allowed({"StringEquals": {"aws:SourceVpc": "vpc-1"}}, CONTEXT)
    assert allowed({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": "true"})
    assert not allowed(
        {"NumericLessThan": {"s3:max-keys": "10"}}, {"s3:max-keys": "5"}
    )  # unsupported: no grant


def test_not_action_and_not_resource():
    policy = _policy({"Effect": "Allow", "NotAction": "s3:Delete*", "NotResource": f"{BUCKET}/secret/*"})
    assert decide([policy], "s3:GetObject", f"{BUCKET}/open/k", CONTEXT) is Decision.ALLOW
    assert decide([policy], "s3:DeleteObject", f"{BUCKET}/open/k", CONTEXT) is Decision.IMPLICIT_DENY
    assert decide([policy], "s3:GetObject", f"{BUCKET}/secret/k", CONTEXT) is Decision.IMPLICIT_DENY


def test_a_trust_policy_names_the_service_and_its_conditions_hold():
    trust = _policy(
        {
            "Effect": "Allow",
            "Principal": {"Service": ["glue.amazonaws.com"]},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
        }
    )
    assert trusts_service(trust, "glue.amazonaws.com", {"aws:SourceAccount": "123456789012"})
    assert not trusts_service(trust, "lambda.amazonaws.com", {"aws:SourceAccount": "123456789012"})
    assert not trusts_service(trust, "glue.amazonaws.com", {"aws:SourceAccount": "999999999999"})
    assert not trusts_service(_policy(), "glue.amazonaws.com", {})
