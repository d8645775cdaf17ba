"""A role an AWS service may assume, allowed everything: for tests of the emulator's mechanics (job
runs, invocations, executions) rather than of permissions. The emulator enforces IAM, so each such
workload needs a role that exists and trusts its service (tests/integration/test_iam_enforced.py
tests the permissions themselves)."""

from __future__ import annotations

import json

import boto3

ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def allow_all_role(name: str, service: str) -> str:
    """The ARN of role `name`, created on first use, trusting `service` (e.g. glue.amazonaws.com)."""
    iam = boto3.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
    }
    try:
        arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    except iam.exceptions.EntityAlreadyExistsException:
        return iam.get_role(RoleName=name)["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="allow-all", PolicyDocument=json.dumps(ALLOW_ALL))
    return arn
