"""S3 over plain HTTP: the AWS Java SDK v1 (Spark's S3A) must be able to copy SSE-KMS objects.

The emulator speaks HTTP, and buckets carry default SSE-KMS encryption as in AWS. S3A renames by
copying: it HEADs the source, clones its metadata (encryption headers included) into the copy
request, and SDK v1 refuses to send encryption parameters over HTTP ("HTTPS must be used..."), so
every Spark commit to an encrypted bucket fails. For that client only, HEAD answers without the
encryption headers; the copy then gets the bucket's default encryption, which is what AWS applies.
"""

from __future__ import annotations

from typing import Any

from moto.s3.responses import S3Response

JAVA_SDK_V1_AGENT = "aws-sdk-java/1."
ENCRYPTION_HEADER_PREFIX = "x-amz-server-side-encryption"

_moto_head_object = S3Response.head_object


def _head_object(self: S3Response, *args: Any, **kwargs: Any) -> Any:
    status, headers, body = _moto_head_object(self, *args, **kwargs)
    if JAVA_SDK_V1_AGENT in self.headers.get("User-Agent", ""):  # S3A prefixes its own name
        headers = {k: v for k, v in headers.items() if not k.lower().startswith(ENCRYPTION_HEADER_PREFIX)}
    return status, headers, body


def apply() -> None:
    S3Response.head_object = _head_object
