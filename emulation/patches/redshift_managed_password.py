"""Redshift: CreateCluster keeps the settings Terraform's aws_redshift_cluster reads back.

moto's CreateCluster drops ManageMasterPassword (AWS then creates the admin secret itself and reports
MasterPasswordSecretArn), MasterPasswordSecretKmsKeyId, DefaultIamRoleArn, MaintenanceTrackName and
ManualSnapshotRetentionPeriod, so every plan wanted to change them. Here they are stored on the
cluster, and a managed password becomes a real Secrets Manager secret named as AWS names it
(`redshift!<cluster>-<user>`), which the pipeline's Redshift Data calls then authenticate with.
DeleteCluster deletes that secret with its cluster, as AWS does; left behind, it made the next
CreateCluster of the same name fail (deploy, destroy, deploy on one emulator).
"""

from __future__ import annotations

import json
import secrets

from moto.core.responses import ActionResult
from moto.redshift.responses import RedshiftResponse
from moto.secretsmanager.models import secretsmanager_backends

_original_create_cluster = RedshiftResponse.create_cluster
_original_delete_cluster = RedshiftResponse.delete_cluster


def _create_managed_secret(
    self: RedshiftResponse, cluster_id: str, username: str, kms_key_id: str | None
) -> str:
    backend = secretsmanager_backends[self.current_account][self.region]
    created = backend.create_secret(
        name=f"redshift!{cluster_id}-{username}",
        secret_string=json.dumps({"username": username, "password": secrets.token_urlsafe(24)}),
        secret_binary=None,
        description=f"Admin credentials of Redshift cluster {cluster_id}, managed by Redshift",
        tags=[{"Key": "aws:redshift:cluster", "Value": cluster_id}],
        kms_key_id=kms_key_id,
        client_request_token=None,
        replica_regions=[],
        force_overwrite=False,
    )
    return json.loads(created)["ARN"]


def _create_cluster(self: RedshiftResponse) -> ActionResult:
    result = _original_create_cluster(self)
    cluster_id = self._get_param("ClusterIdentifier")
    cluster = self.redshift_backend.clusters[cluster_id]
    cluster.default_iam_role_arn = self._get_param("DefaultIamRoleArn")
    cluster.maintenance_track_name = self._get_param("MaintenanceTrackName") or "current"
    cluster.manual_snapshot_retention_period = self._get_int_param("ManualSnapshotRetentionPeriod", -1)
    if self._get_bool_param("ManageMasterPassword", False):
        kms_key_id = self._get_param("MasterPasswordSecretKmsKeyId")
        cluster.master_password_secret_kms_key_id = kms_key_id
        cluster.master_password_secret_arn = _create_managed_secret(
            self, cluster_id, self._get_param("MasterUsername"), kms_key_id
        )
    return result


def _delete_cluster(self: RedshiftResponse) -> ActionResult:
    cluster = self.redshift_backend.clusters.get(self._get_param("ClusterIdentifier"))
    secret_arn = getattr(cluster, "master_password_secret_arn", None)
    result = _original_delete_cluster(self)  # refuses an unknown cluster before anything is deleted
    if secret_arn:
        secretsmanager_backends[self.current_account][self.region].delete_secret(
            secret_id=secret_arn, recovery_window_in_days=None, force_delete_without_recovery=True
        )
    return result


def apply() -> None:
    RedshiftResponse.create_cluster = _create_cluster
    RedshiftResponse.delete_cluster = _delete_cluster
