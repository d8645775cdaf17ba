"""S3 notifications: an object created in a bucket with a Lambda notification runs the function.

moto matches a bucket's LambdaFunctionConfigurations (events, prefix/suffix filters) and builds the S3
event, but runs the function only inside Docker, and drops the event silently without it. Here the
matched event goes to emulation/lambda_runner.py, which runs the function's deployed code with the
project's Python, asynchronously, as S3 invokes Lambda in AWS. Any S3 client's upload triggers it:
PutObject, CompleteMultipartUpload, CopyObject, POST uploads. The event's object key is encoded as
AWS encodes it (spaces as `+`, `/` kept); moto also encodes `/`.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote_plus, unquote_plus

import moto.s3.notifications as notifications
from moto.awslambda.utils import get_backend

from emulation import lambda_runner, runtime

log = logging.getLogger("emulation.patches.s3_notifications")


def _with_aws_key_encoding(event: dict[str, Any]) -> dict[str, Any]:
    for record in event["Records"]:
        s3_object = record["s3"]["object"]
        s3_object["key"] = quote_plus(unquote_plus(s3_object["key"]), safe="/")
    return event


def _invoke_lambda(account_id: str, event_body: dict[str, Any], fn_arn: str, region_name: str) -> None:
    try:
        function = get_backend(account_id, region_name).get_function(fn_arn)
    except Exception:  # noqa: BLE001 - S3 delivers asynchronously; a missing function loses the event
        log.warning("S3 notification targets Lambda %s, which does not exist: event dropped", fn_arn)
        return
    lambda_runner.invoke_async(
        runtime.current(), lambda_runner.FunctionSpec.of(function), _with_aws_key_encoding(event_body)
    )


def apply() -> None:
    # send_event looks this name up at call time.
    notifications._invoke_awslambda = _invoke_lambda
