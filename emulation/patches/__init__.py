"""Gap patches: the places where moto differs from AWS in ways our stack depends on.

Each module patches one service and exposes `apply()`. They are applied in the emulator process
only, before the server starts, so clients see an AWS-shaped API.
"""

from __future__ import annotations

import importlib

PATCH_MODULES = (
    "stepfunctions",
    "redshift",
    "glue",
    "redshift_data",
    "s3",
    "s3_plain_http",
    "s3_notifications",
    "glue_workflows",
    "redshift_parameter_groups",
    "ec2",
    "glue_connections",
    "redshift_managed_password",
    "iam_auth",
)


def apply_all() -> None:
    for name in PATCH_MODULES:
        importlib.import_module(f"{__name__}.{name}").apply()
