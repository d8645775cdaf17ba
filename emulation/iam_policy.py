"""IAM policy evaluation as AWS documents it, for the emulator's authorization and role trust checks.

moto's own evaluator (moto/iam/access_control.py) ignores the Resource of a statement unless the
request names one, and treats an Allow whose Condition it cannot evaluate as an explicit Deny. Here:
a statement applies when its Action (or NotAction) matches, its Resource (or NotResource) matches the
request's resource, and every Condition holds against the request's context keys; an applicable
Deny wins, else an applicable Allow allows, else the request is implicitly denied
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).

A resource the emulator cannot name for an action is passed as UNKNOWN_RESOURCE, and then the
statement is matched on its action and conditions only: such a check is coarser than AWS's, never
stricter.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

UNKNOWN_RESOURCE = "*"


class Decision(enum.Enum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit deny"
    IMPLICIT_DENY = "implicit deny"


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(document: str | Mapping[str, Any]) -> list[dict[str, Any]]:
    policy = json.loads(document) if isinstance(document, str) else document
    return as_list(policy.get("Statement"))


@lru_cache(maxsize=4096)
def _pattern(glob: str, ignore_case: bool) -> re.Pattern[str]:
    # IAM wildcards: * any run of characters (ARN separators included), ? one character.
    regex = re.escape(glob).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(f"{regex}\\Z", re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def matches(patterns: Any, value: str, *, ignore_case: bool = False) -> bool:
    return any(_pattern(str(p), ignore_case).match(value) for p in as_list(patterns))


def _action_applies(statement: Mapping[str, Any], action: str) -> bool:
    # Action names are case-insensitive in IAM.
    if "NotAction" in statement:
        return not matches(statement["NotAction"], action, ignore_case=True)
    return matches(statement.get("Action"), action, ignore_case=True)


def _resource_applies(statement: Mapping[str, Any], resource: str) -> bool:
    if resource == UNKNOWN_RESOURCE:
        return True
    if "NotResource" in statement:
        return not matches(statement["NotResource"], resource)
    if "Resource" not in statement:  # trust and resource policies: the resource is the policy's owner
        return True
    return matches(statement["Resource"], resource)


def _string_equals(values: list[str], wanted: list[str], ignore_case: bool) -> bool:
    fold = (lambda s: s.lower()) if ignore_case else (lambda s: s)
    return any(fold(v) == fold(w) for v in values for w in wanted)


def _operator_holds(base: str, actual: list[str], wanted: list[str]) -> bool:
    if base in ("StringEquals", "ArnEquals"):
        return _string_equals(actual, wanted, ignore_case=False)
    if base == "StringEqualsIgnoreCase":
        return _string_equals(actual, wanted, ignore_case=True)
    if base in ("StringLike", "ArnLike"):
        return any(matches(wanted, value) for value in actual)
    if base == "Bool":
        return _string_equals(actual, wanted, ignore_case=True)
    if base in ("StringNotEquals", "ArnNotEquals"):
        return not _string_equals(actual, wanted, ignore_case=False)
    if base in ("StringNotLike", "ArnNotLike"):
        return not any(matches(wanted, value) for value in actual)
    raise UnsupportedCondition(base)


class UnsupportedCondition(ValueError):
    """A condition operator this evaluator does not implement: the statement is not applied."""


def condition_holds(condition: Mapping[str, Mapping[str, Any]], context: Mapping[str, Any]) -> bool:
    """Every operator, every key (AND); any of a key's values (OR). Keys are case-insensitive."""
    lowered = {key.lower(): as_list(value) for key, value in context.items()}
    for operator, keys in condition.items():
        base = operator.removeprefix("ForAnyValue:").removeprefix("ForAllValues:")
        if_exists = base.endswith("IfExists")
        base = base.removesuffix("IfExists")
        for key, wanted in keys.items():
            actual = [str(v) for v in lowered.get(key.lower(), [])]
            if not actual:
                # A missing key matches only ...IfExists and the negated operators (AWS's rule).
                if if_exists or base.startswith(("StringNot", "ArnNot")):
                    continue
                return False
            if not _operator_holds(base, actual, [str(w) for w in as_list(wanted)]):
                return False
    return True


def statement_applies(
    statement: Mapping[str, Any], action: str, resource: str, context: Mapping[str, Any]
) -> bool:
    if not (_action_applies(statement, action) and _resource_applies(statement, resource)):
        return False
    try:
        return condition_holds(statement.get("Condition", {}), context)
    except UnsupportedCondition:
        return False


def evaluate(
    documents: Iterable[str | Mapping[str, Any]], action: str, resource: str, context: Mapping[str, Any]
) -> tuple[Decision, Mapping[str, Any] | None]:
    """The decision of a set of policies for one action on one resource, and the statement that made
    it (the first applicable Deny, else the first applicable Allow; None for an implicit deny)."""
    allowing = None
    for document in documents:
        for statement in statements(document):
            if statement_applies(statement, action, resource, context):
                if statement.get("Effect") == "Deny":
                    return Decision.EXPLICIT_DENY, statement
                if allowing is None and statement.get("Effect") == "Allow":
                    allowing = statement
    return (Decision.ALLOW, allowing) if allowing is not None else (Decision.IMPLICIT_DENY, None)


def decide(
    documents: Iterable[str | Mapping[str, Any]], action: str, resource: str, context: Mapping[str, Any]
) -> Decision:
    return evaluate(documents, action, resource, context)[0]


def trusts_service(trust_policy: str | Mapping[str, Any], service: str, context: Mapping[str, Any]) -> bool:
    """Whether a role's trust policy lets the AWS service principal `service` assume the role."""
    allowed = False
    for statement in statements(trust_policy):
        principals = statement.get("Principal") or {}
        named = principals == "*" or service in as_list(principals.get("Service"))
        if named and statement_applies(statement, "sts:AssumeRole", UNKNOWN_RESOURCE, context):
            if statement.get("Effect") == "Deny":
                return False
            allowed = allowed or statement.get("Effect") == "Allow"
    return allowed
