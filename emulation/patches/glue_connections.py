"""Glue: connections answer their type and can be deleted.

- moto returns ConnectionType only inside the echoed input, not at the top level where the API (and
  Terraform's aws_glue_connection) reads it, so every plan wanted to set connection_type again.
- DeleteConnection is unimplemented (HTTP 500), so `terraform destroy` failed on the connection.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.glue.exceptions import EntityNotFoundException
from moto.glue.models import FakeConnection
from moto.glue.responses import GlueResponse

_original_as_dict = FakeConnection.as_dict


def _as_dict(self: FakeConnection, hide_password: bool = False) -> dict[str, Any]:
    return {
        **_original_as_dict(self, hide_password),
        "ConnectionType": self.connection_input.get("ConnectionType"),
    }


def _delete_connection(self: GlueResponse) -> ActionResult:
    name = self._get_param("ConnectionName")
    if self.glue_backend.connections.pop(name, None) is None:
        raise EntityNotFoundException(f"Connection {name} not found")
    return ActionResult({})


def apply() -> None:
    FakeConnection.as_dict = _as_dict
    GlueResponse.delete_connection = _delete_connection
