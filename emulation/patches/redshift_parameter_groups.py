"""Redshift: cluster parameter groups keep the parameters set on them.

moto lacks ModifyClusterParameterGroup (Terraform's aws_redshift_parameter_group calls it to set
require_ssl and enable_user_activity_logging) and DescribeClusterParameters ignores its `Source`
filter, always answering moto's mock defaults; Terraform reads the group back with Source=user, so
the defaults would show up as drift on every plan. Here modified parameters are stored on the group
and Source=user answers exactly those.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.redshift.exceptions import ClusterParameterGroupNotFoundError
from moto.redshift.models import RedshiftBackend
from moto.redshift.responses import RedshiftResponse


def _user_parameters(backend: RedshiftBackend, group_name: str) -> dict[str, dict[str, Any]]:
    if group_name not in backend.parameter_groups:
        raise ClusterParameterGroupNotFoundError(group_name)
    group = backend.parameter_groups[group_name]
    if not hasattr(group, "user_parameters"):
        group.user_parameters = {}
    return group.user_parameters


def _modify_cluster_parameter_group(self: RedshiftResponse) -> ActionResult:
    group_name = self._get_param("ParameterGroupName")
    stored = _user_parameters(self.redshift_backend, group_name)
    for parameter in self._get_param("Parameters", []):
        stored[parameter["ParameterName"]] = {
            "ParameterName": parameter["ParameterName"],
            "ParameterValue": parameter.get("ParameterValue"),
            "Source": "user",
            "ApplyType": parameter.get("ApplyType", "static"),
            "IsModifiable": True,
        }
    return ActionResult(
        {"ParameterGroupName": group_name, "ParameterGroupStatus": "Your parameter group has been updated"}
    )


def _describe_cluster_parameters(self: RedshiftResponse) -> ActionResult:
    group_name = self._get_param("ParameterGroupName")
    user = list(_user_parameters(self.redshift_backend, group_name).values())
    if self._get_param("Source") == "user":
        return ActionResult({"Parameters": user})
    defaults = [
        parameter
        for parameter in self.redshift_backend.describe_default_cluster_parameters()
        if parameter["ParameterName"] not in {p["ParameterName"] for p in user}
    ]
    return ActionResult({"Parameters": defaults + user})


def apply() -> None:
    RedshiftResponse.modify_cluster_parameter_group = _modify_cluster_parameter_group
    RedshiftResponse.describe_cluster_parameters = _describe_cluster_parameters
