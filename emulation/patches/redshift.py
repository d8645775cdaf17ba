"""Redshift: a created cluster reports the status fields the AWS provider waits for.

moto leaves ClusterAvailabilityStatus, AvailabilityZoneRelocationStatus and MultiAZ unset, and
Terraform polls until they read as they do on a ready single-AZ cluster.
"""

from __future__ import annotations

from moto.redshift.models import Cluster


def apply() -> None:
    Cluster.cluster_availability_status = "Available"
    Cluster.availability_zone_relocation_status = "disabled"
    Cluster.multi_az = "Disabled"
