"""Glue: GetConnection answers the connection's type.

moto returns ConnectionType only inside the echoed input, not at the top level where the API (and
Terraform's aws_glue_connection) reads it, so every plan wanted to set connection_type again.
"""

from __future__ import annotations

from typing import Any

from moto.glue.models import FakeConnection

_original_as_dict = FakeConnection.as_dict


def _as_dict(self: FakeConnection, hide_password: bool = False) -> dict[str, Any]:
    return {
        **_original_as_dict(self, hide_password),
        "ConnectionType": self.connection_input.get("ConnectionType"),
    }


def apply() -> None:
    FakeConnection.as_dict = _as_dict
