"""The emulator gap patches Terraform needs, exercised in-process against moto (no server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from types import ModuleType

import boto3
import pytest
from moto import mock_aws
from moto.ec2.models.security_groups import SecurityGroupRule
from moto.glue.models import FakeConnection
from moto.glue.responses import GlueResponse
from moto.redshift.responses import RedshiftResponse
from moto.s3.models import FakeBucket

from emulation.patches import ec2, glue_connections, redshift_managed_password, redshift_parameter_groups, s3

PATCHED_CLASSES = (FakeBucket, RedshiftResponse, SecurityGroupRule, FakeConnection, GlueResponse)


@pytest.fixture(scope="module")
def patched() -> Iterator[None]:
    """Applies the patches for this module's tests (each uses its own names) and restores moto after."""
    saved = {cls: dict(vars(cls)) for cls in PATCHED_CLASSES}
    module: ModuleType
    for module in (s3, redshift_parameter_groups, redshift_managed_password, ec2, glue_connections):
        module.apply()
    with pytest.MonkeyPatch.context() as env, mock_aws():
        env.delenv("AWS_ENDPOINT_URL", raising=False)
        env.setenv("AWS_DEFAULT_REGION", "us-east-1")
        env.setenv("AWS_ACCESS_KEY_ID", "test")
        env.setenv("AWS_SECRET_ACCESS_KEY", "test")
        yield
    for cls, attributes in saved.items():
        for name in set(vars(cls)) - set(attributes):
            delattr(cls, name)
        for name, value in attributes.items():
            if vars(cls).get(name) is not value and name not in ("__dict__", "__weakref__"):
                setattr(cls, name, value)


def tls_only_policy(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
                {
                    "Sid": "LogDelivery",
                    "Effect": "Allow",
                    "Principal": {"Service": "logging.s3.amazonaws.com"},
                    "Action": "s3:PutObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                },
            ],
        }
    )


def test_tls_only_bucket_still_takes_objects_and_access_logs(patched: None) -> None:
    client = boto3.client("s3")
    for name in ("tls-data-bucket", "tls-logs-bucket"):
        client.create_bucket(Bucket=name)
        client.put_bucket_policy(Bucket=name, Policy=tls_only_policy(name))
    client.put_object(Bucket="tls-data-bucket", Key="k", Body=b"x")
    client.put_bucket_logging(
        Bucket="tls-data-bucket",
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "tls-logs-bucket", "TargetPrefix": "a/"}},
    )
    assert client.get_object(Bucket="tls-data-bucket", Key="k")["Body"].read() == b"x"
    assert (
        client.get_bucket_logging(Bucket="tls-data-bucket")["LoggingEnabled"]["TargetBucket"]
        == "tls-logs-bucket"
    )


def test_unconditional_deny_still_denies(patched: None) -> None:
    client = boto3.client("s3")
    client.create_bucket(Bucket="locked")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:PutObject",
                "Resource": "arn:aws:s3:::locked/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket="locked", Policy=json.dumps(policy))
    with pytest.raises(client.exceptions.ClientError, match="403"):
        client.put_object(Bucket="locked", Key="k", Body=b"x")


def test_parameter_group_keeps_user_parameters(patched: None) -> None:
    client = boto3.client("redshift")
    client.create_cluster_parameter_group(
        ParameterGroupName="g", ParameterGroupFamily="redshift-1.0", Description="d"
    )
    client.modify_cluster_parameter_group(
        ParameterGroupName="g", Parameters=[{"ParameterName": "require_ssl", "ParameterValue": "true"}]
    )
    user = client.describe_cluster_parameters(ParameterGroupName="g", Source="user")["Parameters"]
    assert [(p["ParameterName"], p["ParameterValue"]) for p in user] == [("require_ssl", "true")]


def test_managed_master_password_becomes_a_secret(patched: None) -> None:
    cluster = boto3.client("redshift").create_cluster(
        ClusterIdentifier="wh",
        NodeType="ra3.xlplus",
        ClusterType="single-node",
        MasterUsername="admin",
        ManageMasterPassword=True,
        DefaultIamRoleArn="arn:aws:iam::123456789012:role/r",
    )["Cluster"]
    assert cluster["DefaultIamRoleArn"] == "arn:aws:iam::123456789012:role/r"
    assert cluster["ManualSnapshotRetentionPeriod"] == -1
    secret = json.loads(
        boto3.client("secretsmanager").get_secret_value(SecretId=cluster["MasterPasswordSecretArn"])[
            "SecretString"
        ]
    )
    assert secret["username"] == "admin"
    assert len(secret["password"]) >= 24


def test_deleting_a_cluster_deletes_its_managed_secret(patched: None) -> None:
    redshift, secrets = boto3.client("redshift"), boto3.client("secretsmanager")
    arns = []
    for _ in range(2):  # deploy, destroy, deploy
        cluster = redshift.create_cluster(
            ClusterIdentifier="wh-again",
            NodeType="ra3.xlplus",
            ClusterType="single-node",
            MasterUsername="admin",
            ManageMasterPassword=True,
        )["Cluster"]
        arns.append(cluster["MasterPasswordSecretArn"])
        redshift.delete_cluster(ClusterIdentifier="wh-again", SkipFinalClusterSnapshot=True)
        with pytest.raises(secrets.exceptions.ResourceNotFoundException):
            secrets.describe_secret(SecretId=arns[-1])
    assert arns[0] != arns[1]


def test_rule_to_prefix_list_keeps_its_description(patched: None) -> None:
    ec2_client = boto3.client("ec2")
    vpc_id = ec2_client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group_id = ec2_client.create_security_group(GroupName="g", Description="g", VpcId=vpc_id)["GroupId"]
    ec2_client.authorize_security_group_egress(
        GroupId=group_id,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "PrefixListIds": [{"PrefixListId": "pl-63a5400a", "Description": "HTTPS to S3"}],
            }
        ],
    )
    rules = ec2_client.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group_id]}])
    described = [rule.get("Description") for rule in rules["SecurityGroupRules"] if rule.get("PrefixListId")]
    assert described == ["HTTPS to S3"]


def test_glue_connection_reports_its_type(patched: None) -> None:
    glue = boto3.client("glue")
    glue.create_connection(
        ConnectionInput={"Name": "net", "ConnectionType": "NETWORK", "ConnectionProperties": {}}
    )
    assert glue.get_connection(Name="net")["Connection"]["ConnectionType"] == "NETWORK"
