"""envs/local applied by `scripts/terraform.sh` (what `make deploy` runs) to a fresh embedded emulator:
the resources exist as AWS would report them, a re-plan is empty, the emulator keeps every resource across
a restart (the plan stays empty, the raw validation Lambda still validates uploads), destroy removes them
and a second deploy on the same emulator succeeds. The tests run in file order on one deployed stack."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from ecomdwh.dq import alerts
from emulation import launcher
from etl.jobs.data_quality import REQUIRED_ARGUMENTS
from etl.warehouse_arguments import WAREHOUSE_ARGUMENTS, job_arguments

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


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Terraform's state and plugins, shared by the module's tests (one deployed stack)."""
    return tmp_path_factory.mktemp("terraform-work")


def run_terraform(
    emulator: launcher.Emulator, work_dir: Path, *args: str, lifecycle_rules: bool = True
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **emulator.sdk_environment(),
        "TARGET": "local",
        "TF_WORK_DIR": str(work_dir),
        "TF_IN_AUTOMATION": "1",
        "NO_COLOR": "1",
        # Off by default on the emulator (they cost every local deploy ~50 s); the first deploy covers them.
        "TF_VAR_lifecycle_rules_enabled": str(lifecycle_rules).lower(),
    }
    return subprocess.run(
        ["scripts/terraform.sh", *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def expected_job_names() -> set[str]:
    jobs = [path.stem for path in ETL_JOBS.glob("*.py") if path.name != "__init__.py"]
    return {"ecomdwh-local-" + name.replace("_", "-") for name in jobs}


def emulator_client(emulator: launcher.Emulator, service: str):  # noqa: ANN201 - boto3 client types are generated
    session = boto3.Session(
        aws_access_key_id="test", aws_secret_access_key="test", region_name=launcher.DEFAULT_REGION
    )
    return session.client(service, endpoint_url=emulator.endpoint_url)


def assert_resources_exist(emulator: launcher.Emulator, *, lifecycle_rules: bool = True) -> None:
    def client(service: str):  # noqa: ANN202 - boto3 client types are generated
        return emulator_client(emulator, service)

    s3 = client("s3")
    for purpose in BUCKET_PURPOSES:
        name = f"ecomdwh-local-{purpose}"
        rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
        algorithm = rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
        assert algorithm == ("AES256" if purpose == "logs" else "aws:kms"), name
        assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled", name
        block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        assert all(block.values()), name
        if lifecycle_rules:
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


def raw_validation_verdict(emulator: launcher.Emulator, key: str, timeout: float = 90) -> dict:
    """The raw validation Lambda's log line about `key` (it logs one JSON verdict per object)."""
    logs = emulator_client(emulator, "logs")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        groups = logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/ecomdwh-local-")["logGroups"]
        for group in groups:
            for event in logs.filter_log_events(logGroupName=group["logGroupName"])["events"]:
                if event["message"].startswith("{") and json.loads(event["message"]).get("key") == key:
                    return json.loads(event["message"])
        time.sleep(0.5)
    raise AssertionError(f"the raw validation Lambda logged no verdict on {key} within {timeout:.0f}s")


def test_envs_local_applies_and_replans_clean(fresh_emulator: launcher.Emulator, work_dir: Path) -> None:
    applied = run_terraform(fresh_emulator, work_dir, "deploy")
    assert applied.returncode == 0, applied.stdout[-4000:] + applied.stderr[-4000:]
    assert "ecomdwh-local-raw" in applied.stdout  # outputs are printed after the apply
    assert_resources_exist(fresh_emulator)

    replanned = run_terraform(fresh_emulator, work_dir, "plan", "-detailed-exitcode")
    assert replanned.returncode == 0, "re-plan after apply is not empty:\n" + replanned.stdout[-6000:]


def test_the_data_quality_alarm_watches_what_the_data_quality_job_emits(
    fresh_emulator: launcher.Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = emulator_client(fresh_emulator, "glue").get_job(JobName="ecomdwh-local-data-quality")["Job"]
    argv = ["data_quality.py", "--JOB_NAME", job["Name"]]
    for name, value in job["DefaultArguments"].items():
        argv += [name, value]
    for variable in [*WAREHOUSE_ARGUMENTS.values(), "ECOMDWH_STATE_MACHINE_ARN"]:
        monkeypatch.setenv(variable, "")  # job_arguments exports what the job is given; restored after
    args = job_arguments(argv, REQUIRED_ARGUMENTS)  # as etl/jobs/data_quality.py does
    assert set(REQUIRED_ARGUMENTS) <= set(args), f"Terraform does not pass every required argument: {argv}"

    alarms = emulator_client(fresh_emulator, "cloudwatch").describe_alarms(
        AlarmNames=["ecomdwh-local-data-quality-failed"]
    )["MetricAlarms"]
    assert [(a["Namespace"], a["MetricName"], a["Dimensions"]) for a in alarms] == [
        (
            alerts.metric_namespace(),
            alerts.FAILURES_METRIC,
            [{"Name": "Pipeline", "Value": alerts.pipeline_name()}],
        )
    ]


def test_a_restart_keeps_every_resource_and_the_lambda_still_validates_uploads(
    fresh_emulator: launcher.Emulator, work_dir: Path
) -> None:
    launcher.stop(fresh_emulator.state_dir)  # what `make local-down` does: the state is saved
    restarted, started = launcher.start(port=fresh_emulator.port, state_dir=fresh_emulator.state_dir)
    assert started and restarted.endpoint_url == fresh_emulator.endpoint_url

    replanned = run_terraform(restarted, work_dir, "plan", "-detailed-exitcode")
    assert replanned.returncode == 0, "plan after a restart is not empty:\n" + replanned.stdout[-6000:]

    key = "orders/ingest_date=2026-01-01/orders-after-restart.csv"
    body = b"order_id;customer_id\n1;7\n"  # semicolon-delimited: the Lambda rejects it
    emulator_client(restarted, "s3").put_object(Bucket="ecomdwh-local-raw", Key=key, Body=body)
    verdict = raw_validation_verdict(restarted, key)
    assert verdict["verdict"] == "rejected" and verdict["moved_to"] == f"rejected/{key}", verdict


def test_destroy_removes_everything_and_the_stack_deploys_again(
    fresh_emulator: launcher.Emulator, work_dir: Path
) -> None:
    destroyed = run_terraform(fresh_emulator, work_dir, "destroy")
    assert destroyed.returncode == 0, destroyed.stdout[-4000:] + destroyed.stderr[-4000:]
    buckets = emulator_client(fresh_emulator, "s3").list_buckets()["Buckets"]
    assert not [bucket["Name"] for bucket in buckets if bucket["Name"].startswith("ecomdwh-local-")]
    assert not emulator_client(fresh_emulator, "redshift").describe_clusters()["Clusters"]

    # Without lifecycle rules this time: the first deploy covered them, and they cost ~50 s per apply.
    again = run_terraform(fresh_emulator, work_dir, "deploy", lifecycle_rules=False)
    assert again.returncode == 0, again.stdout[-4000:] + again.stderr[-4000:]
    assert_resources_exist(fresh_emulator, lifecycle_rules=False)
