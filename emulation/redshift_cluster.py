"""A Redshift cluster on the emulator, for code that uses the Redshift Data API without `make deploy`
(tests, benchmarks): the emulator's Data API refuses a cluster that does not exist, and a database the
cluster does not have, as AWS does, so such code creates its cluster here first."""

from __future__ import annotations

import contextlib

import boto3


def create_cluster(identifier: str, database: str) -> str:
    """Creates cluster `identifier` whose database is `database` (unless it exists); returns the identifier."""
    redshift = boto3.client("redshift")
    with contextlib.suppress(redshift.exceptions.ClusterAlreadyExistsFault):
        redshift.create_cluster(
            ClusterIdentifier=identifier,
            NodeType="ra3.xlplus",
            ClusterType="single-node",
            MasterUsername="awsuser",
            ManageMasterPassword=True,
            DBName=database,
        )
    return identifier
