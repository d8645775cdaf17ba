"""envs/local applied by `scripts/terraform.sh` (what `make deploy` runs) to a fresh embedded emulator:
the resources exist as AWS would report them, a re-plan is empty, and destroy removes them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from emulation import launcher

REPO_ROOT = Path(__file__).resolve().parents[2]
ETL_JOBS = REPO_ROOT / "etl" / "jobs"
BUCKET_PURPOSES = ("raw", "processed", "scripts", "logs")

pytestmark = pytest.mark.skipif(
    shutil.which("terraform") is None,
    reason="terraform is not installed (https://developer.hashicorp.com/terraform/install)",
)


@pytest.fixture(scope="module")
def fresh_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[launcher.Emulator]:
    # Its own emulator, not the session one: envs/local creates the fixed ecomdwh-local-* names,
    # which other tests of the session may already have created.
    state_dir = tmp_path_factory.mktemp("terraform-emulator")
    emulator, _ = launcher.start(port=launcher.free_port(), state_dir=state_dir)
    try:
        yield emulator
    finally:
        launcher.stop(state_dir)


def run_terraform(
    emulator: launcher.Emulator, work_dir: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **emulator.sdk_environment(),
        "TARGET": "local",
        "TF_WORK_DIR": str(work_dir),
        "TF_IN_AUTOMATION": "1",
        "NO_COLOR": "1",
        # Off by default on the emulator (they cost every local deploy ~50 s); this test covers them.
        "TF_VAR_lifecycle_rules_enabled": "true",
    }
    return subprocess.run(
        ["scripts/terraform.sh", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def expected_job_names() -> set[str]:
    jobs = [path.stem for path in ETL_JOBS.glob("*.py") if path.name != "__init__.py"]
    return {"ecomdwh-local-" + name.replace("_", "-") for name in jobs}


def assert_resources_exist(emulator: launcher.Emulator) -> None:
    session = boto3.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name=launcher.DEFAULT_REGION
    )

    def client(service: str):  # noqa: ANN202 - boto3 client types are generated
        return session.client(service, endpoint_url=emulator.endpoint_url)

    s3 = client("s3")
    for purpose in BUCKET_PURPOSES:
        name = f"ecomdwh-local-{purpose}"
        rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
        algorithm = rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
        assert algorithm == ("AES256" if purpose == "logs" else "aws:kms"), name
        assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled", name
        block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        assert all(block.values()), name
        assert s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"], name
        assert '"aws:SecureTransport"' in s3.get_bucket_policy(Bucket=name)["Policy"], name
    assert (
        s3.get_bucket_logging(Bucket="ecomdwh-local-raw")["LoggingEnabled"]["TargetBucket"]
        == "ecomdwh-local-logs"
    )

    glue = client("glue")
    jobs = {job["Name"]: job for job in glue.get_jobs()["Jobs"]}
    assert set(jobs) == expected_job_names()
    for job in jobs.values():
        assert job["GlueVersion"] == "5.0"
        assert job["DefaultArguments"]["--job-bookmark-option"] == "job-bookmark-enable"
        assert job["DefaultArguments"]["--raw_bucket"] == "ecomdwh-local-raw"
        script_key = job["Command"]["ScriptLocation"].removeprefix("s3://ecomdwh-local-scripts/")
        assert s3.head_object(Bucket="ecomdwh-local-scripts", Key=script_key)["ContentLength"] > 0
    crawlers = {crawler["Name"] for crawler in glue.get_crawlers()["Crawlers"]}
    assert crawlers == {"ecomdwh-local-raw", "ecomdwh-local-processed"}

    machines = client("stepfunctions").list_state_machines()["stateMachines"]
    assert [machine["name"] for machine in machines] == ["ecomdwh-local-pipeline"]
    definition = client("stepfunctions").describe_state_machine(
        stateMachineArn=machines[0]["stateMachineArn"]
    )["definition"]
    assert json.loads(definition)["StartAt"]
    for name in expected_job_names() | crawlers | {"ecomdwh-local-warehouse"}:
        assert f'"{name}"' in definition, f"the pipeline definition does not name {name}"

    cluster = client("redshift").describe_clusters(ClusterIdentifier="ecomdwh-local-warehouse")["Clusters"][0]
    assert cluster["Encrypted"] is True
    assert cluster["PubliclyAccessible"] is False
    assert cluster["NodeType"] == "ra3.xlplus"

    topics = [topic["TopicArn"] for topic in client("sns").list_topics()["Topics"]]
    alerts = [arn for arn in topics if arn.endswith(":ecomdwh-local-alerts")]
    assert alerts
    assert client("sns").get_topic_attributes(TopicArn=alerts[0])["Attributes"]["KmsMasterKeyId"]


def test_envs_local_applies_replans_clean_and_destroys(
    fresh_emulator: launcher.Emulator, tmp_path: Path
) -> None:
    applied = run_terraform(fresh_emulator, tmp_path, "deploy")
    assert applied.returncode == 0, applied.stdout[-4000:] + applied.stderr[-4000:]
    assert "ecomdwh-local-raw" in applied.stdout  # outputs are printed after the apply
    assert_resources_exist(fresh_emulator)

    replanned = run_terraform(fresh_emulator, tmp_path, "plan", "-detailed-exitcode")
    assert replanned.returncode == 0, "re-plan after apply is not empty:\n" + replanned.stdout[-6000:]

    destroyed = run_terraform(fresh_emulator, tmp_path, "destroy")
    assert destroyed.returncode == 0, destroyed.stdout[-4000:] + destroyed.stderr[-4000:]
    session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    buckets = session.client("s3", endpoint_url=fresh_emulator.endpoint_url).list_buckets()["Buckets"]
    assert not [bucket["Name"] for bucket in buckets if bucket["Name"].startswith("ecomdwh-local-")]
