"""Snapshots keep S3 object bodies in files of their own, written once, and restore them."""

from __future__ import annotations

import io
import zipfile

import boto3
import pytest
from moto import mock_aws

from emulation.persistence import OBJECT_BODIES, SNAPSHOT_NAME, StatePersister

BIG = bytes(range(256)) * 4096  # 1 MiB, past moto's in-memory buffer


@pytest.fixture
def s3():
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


def _bodies(state_dir) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (state_dir / OBJECT_BODIES).iterdir()}


def test_bodies_are_written_once_beside_a_snapshot_that_holds_none_of_them(s3, tmp_path):
    s3.create_bucket(Bucket="bodies")
    s3.put_object(Bucket="bodies", Key="big", Body=BIG)
    s3.put_object(Bucket="bodies", Key="small", Body=b"small")
    persister = StatePersister(tmp_path)
    persister.save()
    assert sorted(_bodies(tmp_path).values()) == sorted([BIG, b"small"])
    assert (tmp_path / SNAPSHOT_NAME).stat().st_size < len(BIG) / 4
    written = {path.name: path.stat().st_mtime_ns for path in (tmp_path / OBJECT_BODIES).iterdir()}

    s3.put_object(Bucket="bodies", Key="small", Body=b"small, overwritten")
    persister.save()
    bodies = _bodies(tmp_path)
    assert sorted(bodies.values()) == sorted([BIG, b"small, overwritten"])  # the overwritten one is gone
    big = next(name for name, body in bodies.items() if body == BIG)
    assert (tmp_path / OBJECT_BODIES / big).stat().st_mtime_ns == written[big]  # not rewritten


def test_a_restart_restores_every_body_and_keeps_their_files(tmp_path):
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="bodies")
        s3.put_object(Bucket="bodies", Key="big", Body=BIG)
        s3.put_object(Bucket="bodies", Key="gone", Body=b"deleted before the snapshot")
        s3.delete_object(Bucket="bodies", Key="gone")
        StatePersister(tmp_path).save()
    before = _bodies(tmp_path)
    assert list(before.values()) == [BIG]
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        restarted = StatePersister(tmp_path)
        assert restarted.load() > 0
        assert s3.get_object(Bucket="bodies", Key="big")["Body"].read() == BIG
        assert [o["Key"] for o in s3.list_objects_v2(Bucket="bodies")["Contents"]] == ["big"]
        restarted.save()
    assert _bodies(tmp_path) == before  # the restored key kept its file: nothing rewritten, nothing lost


def test_a_restart_restores_lambda_functions_findable_by_name_and_arn(tmp_path):
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def handle(event, context):\n    return event\n")
    with mock_aws():
        role = boto3.client("iam", region_name="us-east-1").create_role(
            RoleName="fn-role", AssumeRolePolicyDocument="{}"
        )["Role"]["Arn"]
        created = boto3.client("lambda", region_name="us-east-1").create_function(
            FunctionName="validate",
            Runtime="python3.11",
            Role=role,
            Handler="handler.handle",
            Code={"ZipFile": code.getvalue()},
        )
        StatePersister(tmp_path).save()
    with mock_aws():
        assert StatePersister(tmp_path).load() > 0
        restored = boto3.client("lambda", region_name="us-east-1")
        by_arn = restored.get_function(FunctionName=created["FunctionArn"])["Configuration"]
        assert (by_arn["FunctionName"], by_arn["Handler"]) == ("validate", "handler.handle")
        assert by_arn["CodeSha256"] == created["CodeSha256"]
        assert [f["FunctionName"] for f in restored.list_functions()["Functions"]] == ["validate"]


def test_a_restored_backend_refers_to_the_restored_backend_of_another_service(tmp_path):
    """Redshift checks subnets in EC2's backend: after a restart it must see subnets created since."""
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        before = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
        boto3.client("redshift", region_name="us-east-1").create_cluster_subnet_group(
            ClusterSubnetGroupName="before", Description="d", SubnetIds=[before]
        )
        StatePersister(tmp_path).save()
    with mock_aws():
        assert StatePersister(tmp_path).load() > 0
        ec2 = boto3.client("ec2", region_name="us-east-1")
        after = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.0.2.0/24")["Subnet"]["SubnetId"]
        redshift = boto3.client("redshift", region_name="us-east-1")
        redshift.create_cluster_subnet_group(
            ClusterSubnetGroupName="after", Description="d", SubnetIds=[after]
        )
        groups = redshift.describe_cluster_subnet_groups()["ClusterSubnetGroups"]
        assert {
            g["ClusterSubnetGroupName"]: [s["SubnetIdentifier"] for s in g["Subnets"]] for g in groups
        } == {
            "before": [before],
            "after": [after],
        }
