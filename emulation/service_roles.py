"""Workloads run as their IAM role: each Glue job run, each Lambda invocation, each state machine's
service calls.

In AWS the service assumes the role Terraform gives it (glue.amazonaws.com the job's role,
lambda.amazonaws.com the function's, states.amazonaws.com the state machine's) and the workload's
SDK calls carry that role's temporary credentials. The emulator does the same with its own STS: the
role must exist and its trust policy must let that service assume it, else the run fails naming the
role and the service; the workload then gets the role's access key, secret and session token, never
the emulator's admin key.

With IAM enforcement off (ECOMDWH_IAM_ENFORCED=0) workloads keep the admin key, as before it existed.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

from moto.iam.exceptions import NotFoundException
from moto.iam.models import iam_backends
from moto.sts.models import sts_backends
from moto.utilities.utils import get_partition

from emulation import iam_policy
from emulation.runtime import DUMMY_CREDENTIALS, REGION

ENFORCED_ENV = "ECOMDWH_IAM_ENFORCED"
SESSION_SECONDS = 3600
# A cached session is handed out while at least this much of it is left (a Glue run may take a while).
REUSE_MARGIN_SECONDS = 1800


def enforced() -> bool:
    """IAM authorization on (the default) unless ECOMDWH_IAM_ENFORCED is 0/false/off."""
    return os.environ.get(ENFORCED_ENV, "1").strip().lower() not in ("0", "false", "off", "no")


class RoleNotAssumable(RuntimeError):
    """The role does not exist or does not trust the service; worded with the fix."""


@dataclass(frozen=True)
class Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def environment(self) -> dict[str, str]:
        """AWS_* variables of a subprocess; AWS_SESSION_TOKEN only for a role's session."""
        env = {"AWS_ACCESS_KEY_ID": self.access_key_id, "AWS_SECRET_ACCESS_KEY": self.secret_access_key}
        if self.session_token:
            env["AWS_SESSION_TOKEN"] = self.session_token
        return env

    def client_kwargs(self) -> dict[str, str | None]:
        return {
            "aws_access_key_id": self.access_key_id,
            "aws_secret_access_key": self.secret_access_key,
            "aws_session_token": self.session_token,
        }


# The emulator's well-known key, what Terraform, the CLI and the tests sign with: the account's root user.
ADMIN = Credentials(DUMMY_CREDENTIALS["aws_access_key_id"], DUMMY_CREDENTIALS["aws_secret_access_key"])

_cache: dict[tuple[str, str], tuple[float, Credentials]] = {}
_cache_lock = threading.Lock()


def _assume(role_arn: str, service: str, session_name: str) -> Credentials:
    account_id = role_arn.split(":")[4] if role_arn.count(":") >= 5 else ""
    partition = get_partition(REGION)
    try:
        role = iam_backends[account_id][partition].get_role_by_arn(role_arn)
    except (NotFoundException, KeyError) as exc:
        raise RoleNotAssumable(
            f"{service} cannot assume role {role_arn!r}: no such role in account {account_id or '?'}. "
            "Create it (infra/terraform/modules/iam) or give the resource an existing role's ARN."
        ) from exc
    context = {"aws:SourceAccount": account_id}
    if not iam_policy.trusts_service(role.assume_role_policy_document, service, context):
        raise RoleNotAssumable(
            f"{service} cannot assume role {role_arn!r}: its trust policy has no Allow of sts:AssumeRole "
            f"for the service principal {service} (with aws:SourceAccount {account_id}). "
            "Add that statement to the role's assume_role_policy."
        )
    assumed = sts_backends[account_id][partition].assume_role(
        region_name=REGION,
        role_session_name=session_name[:64],
        role_arn=role_arn,
        policy="",
        duration=SESSION_SECONDS,
        external_id="",
    )
    return Credentials(assumed.access_key_id, assumed.secret_access_key, assumed.session_token)


def credentials_for(role_arn: str, service: str, session_name: str) -> Credentials:
    """The credentials a workload of `service` runs with: a session of `role_arn` when IAM is enforced
    (reused while at least half an hour of it is left), the admin key otherwise."""
    if not enforced():
        return ADMIN
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get((role_arn, service))
        if cached is not None and cached[0] - now > REUSE_MARGIN_SECONDS:
            return cached[1]
        credentials = _assume(role_arn, service, session_name)
        _cache[(role_arn, service)] = (now + SESSION_SECONDS, credentials)
        return credentials
