"""IAM enforced: every request is authenticated by its signature and authorised against the caller's
IAM policies, as in AWS, unless ECOMDWH_IAM_ENFORCED=0 (emulation/service_roles.py).

moto has the machinery (INITIAL_NO_AUTH_ACTION_COUNT, checked in BaseResponse.call_action for the
JSON and query protocols and in each S3 handler) but, switched on as it is, our stack could not work:
- it knows no credentials but IAM users' keys and assumed roles': the key everything local signs
  with (`test`, written to .local/emulator/env) was refused with InvalidClientTokenId. Here that key is
  the account's root user: its signature is checked and, as root in AWS, it may do everything.
  Terraform and the CLI use it; the workloads get their roles' sessions (emulation/service_roles.py).
- its evaluator ignores a statement's Resource unless the request names one, and treats an Allow
  whose Condition it cannot evaluate as an explicit Deny (`cloudwatch:namespace`, `aws:RequestedRegion`
  in our roles). Evaluation here is emulation/iam_policy.py, with the resource ARN built from the
  request for the calls our workloads make (S3 buckets and objects, Glue jobs and crawlers, SNS
  topics, Step Functions, Redshift clusters, log groups, secrets) and the condition keys they need.
- it checks the signing name as the action prefix: CloudWatch signs as `monitoring`, IAM says
  `cloudwatch`. S3's HeadBucket is authorised as s3:ListBucket, DeleteObjects per key as
  s3:DeleteObject, a copy's source as s3:GetObject, as AWS does.
- a service acting with the caller's credentials needs the caller's permission: a Redshift Data
  statement run with SecretArn needs secretsmanager:GetSecretValue on it.
- a bucket policy's applicable Deny denies and its Allow for the caller allows (same account), with
  the request context of the TLS endpoint the emulator stands in for (`aws:SecureTransport` true).
- AccessDenied names the principal, the action and the resource (moto's S3 said only "Access Denied").
Not evaluated: KMS key policies and the KMS permissions behind SSE-KMS, permission boundaries, SCPs,
session policies, and the resource of calls not listed in REQUEST_RESOURCES (matched on action alone).
"""

from __future__ import annotations

import functools
import json
import logging
import warnings
from typing import Any
from urllib.parse import unquote

import xmltodict
from botocore.awsrequest import HTTPHeaders
from moto import settings
from moto.core.exceptions import AccessDeniedError, ServiceException, _RESTError
from moto.core.responses import ActionResult, BaseResponse
from moto.iam import access_control
from moto.iam.access_control import IAMRequest, S3IAMRequest
from moto.s3.exceptions import BucketAccessDeniedError
from moto.s3.models import s3_backends
from moto.s3.responses import S3Response
from werkzeug.exceptions import HTTPException

from emulation import iam_policy, service_roles

log = logging.getLogger("emulation.patches.iam_auth")

# Signing name -> IAM action prefix, where they differ.
IAM_PREFIXES = {"monitoring": "cloudwatch"}
# moto's name of an S3 call -> the IAM action AWS authorises it as.
S3_IAM_ACTIONS = {"HeadBucket": "ListBucket"}
# The emulator speaks plain HTTP on loopback in place of AWS's TLS endpoints.
ENDPOINT_CONTEXT = {"aws:SecureTransport": "true"}


class RootAccessKey:
    """The emulator's admin key: the account's root user."""

    def __init__(self, account_id: str, partition: str) -> None:
        self.account_id = account_id
        self.arn = f"arn:{partition}:iam::{account_id}:root"

    def create_credentials(self) -> Any:
        return access_control.Credentials(
            service_roles.ADMIN.access_key_id, service_roles.ADMIN.secret_access_key
        )

    def collect_policies(self) -> list[Any]:
        return []


_moto_create_access_key = access_control.create_access_key


def _create_access_key(account_id: str, partition: str, access_key_id: str, headers: dict[str, str]) -> Any:
    if access_key_id == service_roles.ADMIN.access_key_id and "X-Amz-Security-Token" not in headers:
        return RootAccessKey(account_id, partition)
    return _moto_create_access_key(account_id, partition, access_key_id, headers)


def _policy_documents(access_key: Any) -> list[str]:
    documents = []
    for policy in access_key.collect_policies():
        if isinstance(policy, str):
            documents.append(policy)
        elif isinstance(policy, dict):
            documents.append(policy["policy_document"])
        else:  # a managed policy: its default version
            documents.append(next(v.document for v in policy.versions if v.is_default))
    return documents


def _role_arn(access_key: Any) -> str | None:
    role_name = getattr(access_key, "_owner_role_name", None)
    return f"arn:aws:iam::{access_key.account_id}:role/{role_name}" if role_name else None


def _denied_message(access_key: Any, action: str, resource: str, decision: iam_policy.Decision) -> str:
    on = "" if resource == iam_policy.UNKNOWN_RESOURCE else f" on resource: {resource}"
    why = (
        "with an explicit deny in a policy"
        if decision is iam_policy.Decision.EXPLICIT_DENY
        else f"because no identity-based policy allows the {action} action"
    )
    role = _role_arn(access_key)
    fix = f" (the policies of role {role})" if role else ""
    return f"User: {access_key.arn} is not authorized to perform: {action}{on} {why}{fix}"


class AccessDenied(AccessDeniedError):
    def __init__(self, message: str) -> None:
        super(AccessDeniedError, self).__init__("AccessDenied", message)


class S3AccessDenied(BucketAccessDeniedError):
    def __init__(self, bucket: str | None, message: str) -> None:
        super(BucketAccessDeniedError, self).__init__()
        self.message = message
        self.bucket_name = bucket or ""


def _arn(service: str, region: str, account: str, resource: str) -> str:
    return f"arn:aws:{service}:{region}:{account}:{resource}"


def _param(response: BaseResponse, name: str) -> str | None:
    value = response._get_param(name)
    return str(value) if value else None


def _glue_job(r: BaseResponse, region: str, account: str) -> list[str]:
    return [_arn("glue", region, account, f"job/{_param(r, 'JobName')}")]


def _glue_crawler(r: BaseResponse, region: str, account: str) -> list[str]:
    return [_arn("glue", region, account, f"crawler/{_param(r, 'Name')}")]


def _redshift_data_target(r: BaseResponse, region: str, account: str) -> list[str]:
    if cluster := _param(r, "ClusterIdentifier"):
        return [_arn("redshift", region, account, f"cluster:{cluster}")]
    if workgroup := _param(r, "WorkgroupName"):
        return [_arn("redshift-serverless", region, account, f"workgroup/{workgroup}")]
    return [iam_policy.UNKNOWN_RESOURCE]


def _log_group(r: BaseResponse, region: str, account: str) -> list[str]:
    return [_arn("logs", region, account, f"log-group:{_param(r, 'logGroupName')}")]


def _log_stream(r: BaseResponse, region: str, account: str) -> list[str]:
    group, stream = _param(r, "logGroupName"), _param(r, "logStreamName")
    return [_arn("logs", region, account, f"log-group:{group}:log-stream:{stream}")]


def _named_arn(parameter: str) -> Any:
    def resource(r: BaseResponse, _region: str, _account: str) -> list[str]:
        value = _param(r, parameter)
        return [value if value and value.startswith("arn:") else iam_policy.UNKNOWN_RESOURCE]

    return resource


# IAM action (lowercase) -> the resources it is authorised on, built from the request.
REQUEST_RESOURCES = {
    **dict.fromkeys(
        ("glue:startjobrun", "glue:getjobrun", "glue:getjobruns", "glue:batchstopjobrun", "glue:getjob"),
        _glue_job,
    ),
    **dict.fromkeys(("glue:startcrawler", "glue:getcrawler", "glue:stopcrawler"), _glue_crawler),
    "sns:publish": _named_arn("TopicArn"),
    "states:startexecution": _named_arn("stateMachineArn"),
    **dict.fromkeys(
        ("states:describeexecution", "states:stopexecution", "states:getexecutionhistory"),
        _named_arn("executionArn"),
    ),
    **dict.fromkeys(
        ("redshift-data:executestatement", "redshift-data:batchexecutestatement"), _redshift_data_target
    ),
    "logs:createloggroup": _log_group,
    **dict.fromkeys(("logs:createlogstream", "logs:putlogevents"), _log_stream),
    "secretsmanager:getsecretvalue": _named_arn("SecretId"),
}


def _on_behalf(action: str, response: BaseResponse) -> list[tuple[str, str]]:
    """What the service does with the caller's credentials while serving `action`."""
    statements = ("redshift-data:executestatement", "redshift-data:batchexecutestatement")
    if action in statements and (secret := _param(response, "SecretArn")):
        return [("secretsmanager:GetSecretValue", secret)]
    return []


def _context(response: BaseResponse, action: str, region: str) -> dict[str, str]:
    context = {**ENDPOINT_CONTEXT, "aws:RequestedRegion": region}
    if action == "cloudwatch:putmetricdata" and (namespace := _param(response, "Namespace")):
        context["cloudwatch:namespace"] = namespace
    return context


_used: set[tuple[str, str, str]] = set()


def _note_first_use(access_key: Any, action: str, statement: Any) -> None:
    """Logs the first time a role uses an action through a statement: the log then shows which of a
    role's statements its workloads need (least privilege), and which they never used."""
    role = _role_arn(access_key)
    key = (role or access_key.arn, action.lower(), str((statement or {}).get("Sid", "")))
    if role and key not in _used:
        _used.add(key)
        log.info("first use: role %s used %s through statement %r", role, action, key[2] or "(no Sid)")


def _authorise(
    access_key: Any, checks: list[tuple[str, str]], context: dict[str, str], resource_policy: Any = None
) -> tuple[str, str, iam_policy.Decision] | None:
    """The first (action, resource, decision) that is not allowed, or None when all are."""
    documents = _policy_documents(access_key)
    for action, resource in checks:
        decision, statement = iam_policy.evaluate(documents, action, resource, context)
        if decision is iam_policy.Decision.ALLOW:
            _note_first_use(access_key, action, statement)
        if resource_policy is not None:
            granted = resource_policy(action, resource, context)
            if granted is iam_policy.Decision.EXPLICIT_DENY or (
                granted is iam_policy.Decision.ALLOW and decision is iam_policy.Decision.IMPLICIT_DENY
            ):
                decision = granted
        if decision is not iam_policy.Decision.ALLOW:
            return action, resource, decision
    return None


def _every_header(request: Any) -> HTTPHeaders:
    headers = HTTPHeaders()
    for name, value in request.headers.items():
        headers[name.lower()] = value
    return headers


class ClientSignature:
    """The signature is checked over what the client signed. botocore leaves User-Agent out of what it
    signs, and moto verified with botocore; the Java SDK v1 (Spark's S3A) signs it, so every S3A call
    failed with SignatureDoesNotMatch. And a bodiless request's signature covers an empty payload:
    moto signed a REST GET (Lambda's GetFunction) over its parsed query parameters."""

    def _create_auth(self, credentials: Any) -> Any:
        auth = super()._create_auth(credentials)  # type: ignore[misc]
        # moto passes only the headers named in SignedHeaders: sign every one of them.
        auth.headers_to_sign = _every_header
        return auth

    def _create_aws_request(self) -> Any:
        request = super()._create_aws_request()  # type: ignore[misc]
        if not self._body and self._method in ("GET", "HEAD", "DELETE"):  # type: ignore[attr-defined]
            request.data = b""
        return request


class AuthorisedRequest(ClientSignature, IAMRequest):
    """A JSON or query protocol request, authorised on its resources with its context keys."""

    def __init__(self, *, response: BaseResponse, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._response = response

    def check_action_permitted(self, resource: str) -> None:
        if isinstance(self._access_key, RootAccessKey):
            return
        service, _, name = self._action.partition(":")
        action = f"{IAM_PREFIXES.get(service, service)}:{name}"
        if action == "sts:GetCallerIdentity":  # always allowed in AWS
            return
        key = action.lower()
        account = self._access_key.account_id
        builder = REQUEST_RESOURCES.get(key)
        resources = builder(self._response, self._region, account) if builder else [resource]
        checks = [(action, r) for r in resources] + _on_behalf(key, self._response)
        refused = _authorise(self._access_key, checks, _context(self._response, key, self._region))
        if refused:
            raise AccessDenied(_denied_message(self._access_key, *refused))
        if self._is_assuming_role_operation(resource) and not self._check_role_trust_relationship(resource):
            raise AccessDenied(
                _denied_message(self._access_key, action, resource, iam_policy.Decision.IMPLICIT_DENY)
            )


def _bucket_policy(bucket_name: str | None, access_key: Any) -> Any:
    """The bucket policy's decision for this caller, or None when the bucket has none."""
    try:
        bucket = s3_backends[access_key.account_id]["aws"].get_bucket(bucket_name) if bucket_name else None
    except Exception:  # noqa: BLE001 - no such bucket: S3 itself answers NoSuchBucket after this check
        return None
    if bucket is None or bucket.policy is None:
        return None
    document = json.loads(bucket.policy.decode() if isinstance(bucket.policy, bytes) else bucket.policy)
    caller = {access_key.arn, _role_arn(access_key), "*"}

    def names_caller(statement: dict[str, Any]) -> bool:
        principal = statement.get("Principal")
        if principal == "*":
            return True
        return isinstance(principal, dict) and bool(caller & set(iam_policy.as_list(principal.get("AWS"))))

    relevant = {"Statement": [s for s in iam_policy.statements(document) if names_caller(s)]}
    return lambda action, resource, context: iam_policy.decide([relevant], action, resource, context)


class AuthorisedS3Request(ClientSignature, S3IAMRequest):
    """An S3 request, authorised as AWS authorises it (see the module docstring)."""

    def __init__(self, *, response: S3Response, bucket: str | None, key: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._response = response
        self._bucket = bucket
        self._key = key

    def _checks(self, action: str, resource: str) -> list[tuple[str, str]]:
        name = action.partition(":")[2]
        action = f"s3:{S3_IAM_ACTIONS.get(name, name)}"
        if action == "s3:DeleteObject" and self._key is None and self._response.is_delete_keys():
            objects = iam_policy.as_list(xmltodict.parse(self._response.body)["Delete"].get("Object"))
            return [(action, f"arn:aws:s3:::{self._bucket}/{o['Key']}") for o in objects]
        checks = [(action, resource)]
        if source := self._response.headers.get("x-amz-copy-source"):
            source_path = source.split("?", 1)[0].lstrip("/")
            checks.append(("s3:GetObject", f"arn:aws:s3:::{unquote(source_path)}"))
        return checks

    def check_action_permitted(self, resource: str) -> None:
        if isinstance(self._access_key, RootAccessKey):
            return
        checks = self._checks(self._action, resource)
        context = {**ENDPOINT_CONTEXT, "aws:RequestedRegion": self._region}
        refused = _authorise(
            self._access_key, checks, context, _bucket_policy(self._bucket, self._access_key)
        )
        if refused:
            raise S3AccessDenied(self._bucket, _denied_message(self._access_key, *refused))


def _unsigned(response: BaseResponse) -> str | None:
    """Why an unsigned request (anonymous, or a presigned URL, which is not supported) is refused."""
    if "Authorization" in response.headers:
        return None
    return (
        f"Anonymous (unsigned) requests are refused: {response.method} {response.raw_path}. Sign it with an "
        "AWS SDK or CLI and the credentials in .local/emulator/env (`set -a; . .local/emulator/env`)."
    )


class ProtocolError(HTTPException):
    """An authentication or authorization error in the shape of the service's protocol: moto writes
    them as XML, which the SDK of a JSON or CBOR service cannot read (it reported "(403)" and XML)."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__()
        self.code = status
        self.description = body


class AuthError(ServiceException):
    """moto's authentication or authorization error, to be serialised by the service's protocol."""


def _authorise_normal_action(self: BaseResponse, resource: str = "*") -> None:
    try:
        if refusal := _unsigned(self):
            raise AccessDenied(refusal)
        self._authenticate_and_authorize_action(functools.partial(AuthorisedRequest, response=self), resource)
    except _RESTError as error:
        log.info("refused %s %s: %s", self.method, self.raw_path, error.message)
        status, _headers, body = self.serialized(ActionResult(AuthError(error.error_type, error.message)))
        raise ProtocolError(status, body) from error


def _authorise_s3_action(
    self: S3Response, bucket_name: str | None = None, key_name: str | None = None
) -> None:
    arn = f"{bucket_name or '*'}/{key_name}" if key_name else (bucket_name or "*")
    request = functools.partial(AuthorisedS3Request, response=self, bucket=bucket_name, key=key_name)
    try:
        if refusal := _unsigned(self):
            raise S3AccessDenied(bucket_name, refusal)
        self._authenticate_and_authorize_action(request, f"arn:aws:s3:::{arn}")
    except ServiceException as error:  # logged: a HEAD's refusal has no body to carry the reason
        log.info("refused %s %s: %s", self.method, self.raw_path, error)
        raise


def apply() -> None:
    if not service_roles.enforced():
        log.info("IAM authorization is off (%s=0)", service_roles.ENFORCED_ENV)
        return
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    # AccessDenied is in no service's error model (AWS sends it from its front end): moto warns each time.
    warnings.filterwarnings("ignore", message=r"Exception\(AuthError\)", category=UserWarning)
    access_control.create_access_key = _create_access_key
    BaseResponse._authenticate_and_authorize_normal_action = _authorise_normal_action
    S3Response._authenticate_and_authorize_s3_action = _authorise_s3_action
