"""S3: bucket policies as our Terraform writes them work: TLS-only Deny, log-delivery grants.

Conditional Deny statements:

moto checks object requests against the bucket policy without any request context, and treats a
condition it cannot evaluate as met. A TLS-only statement (Deny s3:* when `aws:SecureTransport` is
false), which every one of our buckets has, therefore denied all object reads and writes. Here a Deny
statement that carries a Condition is left out of the check: without request context it cannot be
decided, and AWS applies it only when the condition holds. Unconditional Deny and all Allow
statements are evaluated as before.

Log delivery: PutBucketLogging crashed (HTTP 500) when the target bucket's policy had a statement whose
Principal is the string "*" (as in the TLS-only Deny); statements are now read whatever their
Principal's shape.

Delete markers: removing a key from a bucket whose versioning is suspended disposes of every version
of the key, and a delete marker had no `dispose`, so DeleteObjects failed with HTTP 500. Terraform's
destroy hits it: it suspends versioning, then empties the bucket whose objects it deleted earlier.
"""

from __future__ import annotations

import json
from typing import Any

from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3.models import FakeBucket, FakeDeleteMarker
from moto.s3.utils import LOGGING_SERVICE_PRINCIPAL


def _statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    return policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _decidable_statements(policy: dict[str, Any]) -> dict[str, Any]:
    kept = [s for s in _statements(policy) if not (s.get("Effect") == "Deny" and s.get("Condition"))]
    return {**policy, "Statement": kept}


def _get_permission(self: FakeBucket, action: str, resource: str) -> PermissionResult:
    if self.policy is None:
        return PermissionResult.NEUTRAL
    policy = _decidable_statements(json.loads(self.policy.decode()))
    return IAMPolicy(json.dumps(policy)).is_action_permitted(action, resource)


def _log_permissions_enabled_policy(target_bucket: FakeBucket, target_prefix: str | None) -> bool:
    if not target_bucket.policy:
        return False
    bucket_arn = f"arn:{target_bucket.partition}:s3:::{target_bucket.name}"
    granting = {bucket_arn, f"{bucket_arn}/*", f"{bucket_arn}/{target_prefix or ''}*"}
    for statement in _statements(json.loads(target_bucket.policy.decode())):
        principal = statement.get("Principal")
        services = _as_list(principal.get("Service", [])) if isinstance(principal, dict) else []
        if (
            statement.get("Effect") == "Allow"
            and LOGGING_SERVICE_PRINCIPAL in services
            and "s3:PutObject" in _as_list(statement.get("Action", []))
            and granting & set(_as_list(statement.get("Resource", [])))
        ):
            return True
    return False


def _dispose_delete_marker(self: FakeDeleteMarker, garbage: bool = False) -> None:
    """A delete marker holds no data to release."""


def apply() -> None:
    FakeBucket.get_permission = _get_permission
    FakeDeleteMarker.dispose = _dispose_delete_marker
    FakeBucket._log_permissions_enabled_policy = staticmethod(_log_permissions_enabled_policy)
