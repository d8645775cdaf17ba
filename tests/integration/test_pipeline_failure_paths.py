"""The pipeline's failure paths, on the real emulator with the one ASL definition Terraform renders
(modules/step_functions, applied by tests/integration/terraform/pipeline_failures with a 1 s poll):
a job run STOPPED without an ErrorMessage, a crawl that FAILED, and a job run outlasting the pipeline's
wait each end the execution FAILED, in the failure metric and in an SNS alert naming the cause.

The Glue jobs and crawlers are the test's own: a job whose script sleeps, a crawler over a tiny CSV."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from service_role import allow_all_role

from emulation import launcher

REPO_ROOT = Path(__file__).resolve().parents[2]
ROOT = Path(__file__).resolve().parent / "terraform" / "pipeline_failures"
NAME = "it-failures"
BUCKET = "it-failures-data"
JOB = f"{NAME}-etl"
RAW_CRAWLER, PROCESSED_CRAWLER = f"{NAME}-raw", f"{NAME}-processed"
NAMESPACE = "it-failures"
JOB_RUN_TIMEOUT_SECONDS = 4  # the pipeline's wait for a job run; the sleeping job outlasts it
JOB_SECONDS = 15  # what the job's script sleeps

pytestmark = pytest.mark.skipif(
    shutil.which("terraform") is None,
    reason="terraform is not installed (https://developer.hashicorp.com/terraform/install)",
)


@dataclass
class Pipeline:
    emulator: launcher.Emulator
    machine_arn: str
    queue_url: str

    def client(self, service: str):  # noqa: ANN201 - boto3 client types are generated
        return boto3.client(service, endpoint_url=self.emulator.endpoint_url, region_name="us-east-1")


def _terraform(work_dir: Path, emulator: launcher.Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    cli_config = subprocess.run(
        ["bash", "scripts/terraform.sh", "cli-config"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    env = {
        **os.environ,
        **emulator.sdk_environment(),
        "TF_DATA_DIR": str(work_dir / ".terraform"),
        "TF_IN_AUTOMATION": "1",
        **({"TF_CLI_CONFIG_FILE": cli_config} if cli_config else {}),
    }
    return subprocess.run(
        ["terraform", f"-chdir={ROOT}", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    state_dir = tmp_path_factory.mktemp("failures-emulator")
    work_dir = tmp_path_factory.mktemp("failures-terraform")
    emulator, _ = launcher.start(port=launcher.free_port(), state_dir=state_dir)
    try:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in emulator.sdk_environment().items():
                patch.setenv(key, value)
            _make_jobs_and_crawlers()
            init = _terraform(work_dir, emulator, "init", "-input=false", "-no-color")
            assert init.returncode == 0, init.stdout[-3000:] + init.stderr[-3000:]
            variables = {
                "endpoint": emulator.endpoint_url,
                "name": NAME,
                "etl_job_name": JOB,
                "raw_crawler_name": RAW_CRAWLER,
                "processed_crawler_name": PROCESSED_CRAWLER,
                "metric_namespace": NAMESPACE,
                "job_run_timeout_seconds": str(JOB_RUN_TIMEOUT_SECONDS),
            }
            applied = _terraform(
                work_dir,
                emulator,
                "apply",
                "-input=false",
                "-no-color",
                "-auto-approve",
                f"-state={work_dir / 'terraform.tfstate'}",
                *[f"-var={name}={value}" for name, value in variables.items()],
            )
            assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-3000:]
            outputs = _terraform(
                work_dir, emulator, "output", "-json", f"-state={work_dir / 'terraform.tfstate'}"
            )
            values = {name: output["value"] for name, output in json.loads(outputs.stdout).items()}
            yield Pipeline(emulator, values["state_machine_arn"], _alerts_queue(values["alerts_topic_arn"]))
    finally:
        launcher.stop(state_dir)


def _make_jobs_and_crawlers() -> None:
    s3, glue = boto3.client("s3"), boto3.client("glue")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="raw/orders/orders.csv", Body=b"order_id,amount\n1,2.50\n")
    s3.put_object(
        Bucket=BUCKET, Key="scripts/sleep.py", Body=f"import time\ntime.sleep({JOB_SECONDS})\n".encode()
    )
    glue.create_database(DatabaseInput={"Name": "it_failures"})
    for crawler in (RAW_CRAWLER, PROCESSED_CRAWLER):
        _create_crawler(crawler, f"s3://{BUCKET}/raw/")
    glue.create_job(
        Name=JOB,
        Role=allow_all_role("it-failures-job", "glue.amazonaws.com"),
        Command={"Name": "pythonshell", "ScriptLocation": f"s3://{BUCKET}/scripts/sleep.py"},
        GlueVersion="5.0",
        ExecutionProperty={"MaxConcurrentRuns": 3},
    )


def _create_crawler(name: str, path: str) -> None:
    boto3.client("glue").create_crawler(
        Name=name,
        Role=allow_all_role("it-failures-crawler", "glue.amazonaws.com"),
        DatabaseName="it_failures",
        Targets={"S3Targets": [{"Path": path}]},
    )


def _alerts_queue(topic_arn: str) -> str:
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName=f"{NAME}-alerts")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    boto3.client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    return queue_url


def _start(pipeline: Pipeline, ingest_date: str) -> str:
    return pipeline.client("stepfunctions").start_execution(
        stateMachineArn=pipeline.machine_arn,
        name=f"it-{ingest_date}",
        input=json.dumps({"ingest_date": ingest_date}),
    )["executionArn"]


def _ended(pipeline: Pipeline, execution_arn: str, timeout: float = 120) -> dict:
    sfn = pipeline.client("stepfunctions")
    deadline = time.monotonic() + timeout
    while (described := sfn.describe_execution(executionArn=execution_arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, f"{execution_arn} still RUNNING after {timeout:.0f}s"
        time.sleep(0.5)
    return described


def _alert(pipeline: Pipeline, ingest_date: str, timeout: float = 30) -> dict:
    """The pipeline's SNS alert about `ingest_date` (other messages on the queue are left alone)."""
    sqs = pipeline.client("sqs")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in sqs.receive_message(
            QueueUrl=pipeline.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1
        ).get("Messages", []):
            body = json.loads(json.loads(message["Body"])["Message"])
            if body.get("ingest_date") == ingest_date:
                sqs.delete_message(QueueUrl=pipeline.queue_url, ReceiptHandle=message["ReceiptHandle"])
                return body
    raise AssertionError(f"no SNS alert about {ingest_date} within {timeout:.0f}s")


def _metric_sum(pipeline: Pipeline, metric: str) -> float:
    end = time.time() + 60
    points = pipeline.client("cloudwatch").get_metric_statistics(
        Namespace=NAMESPACE,
        MetricName=metric,
        Dimensions=[{"Name": "Pipeline", "Value": NAME}],
        StartTime=end - 3600,
        EndTime=end,
        Period=3600,
        Statistics=["Sum"],
    )["Datapoints"]
    return sum(point["Sum"] for point in points)


def _assert_failed_counted_and_alerted(
    pipeline: Pipeline, execution_arn: str, ingest_date: str, failures_before: float, cause: str
) -> None:
    execution = _ended(pipeline, execution_arn)
    assert execution["status"] == "FAILED", execution
    alert = _alert(pipeline, ingest_date)
    assert alert["status"] == "FAILED" and cause in alert["cause"], alert
    assert _metric_sum(pipeline, "PipelineRunsFailed") == failures_before + 1


def _running_job_run(pipeline: Pipeline, started_after: float, timeout: float = 60) -> str:
    glue = pipeline.client("glue")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for run in glue.get_job_runs(JobName=JOB)["JobRuns"]:
            if run["JobRunState"] == "RUNNING" and run["StartedOn"].timestamp() >= started_after:
                return run["Id"]
        time.sleep(0.3)
    raise AssertionError(f"no run of {JOB} started within {timeout:.0f}s")


def test_a_job_run_stopped_without_an_error_message_fails_counts_and_alerts(pipeline: Pipeline) -> None:
    before, job_failures_before = (
        _metric_sum(pipeline, "PipelineRunsFailed"),
        _metric_sum(pipeline, "EtlJobFailures"),
    )
    started = time.time() - 1
    execution_arn = _start(pipeline, "2026-02-01")
    run_id = _running_job_run(pipeline, started)
    stopped = pipeline.client("glue").batch_stop_job_run(JobName=JOB, JobRunIds=[run_id])
    assert stopped["SuccessfulSubmissions"] == [{"JobName": JOB, "JobRunId": run_id}]
    assert "ErrorMessage" not in pipeline.client("glue").get_job_run(JobName=JOB, RunId=run_id)["JobRun"]

    _assert_failed_counted_and_alerted(
        pipeline,
        execution_arn,
        "2026-02-01",
        before,
        f"{JOB} run {run_id} ended STOPPED without an error message",
    )
    assert _metric_sum(pipeline, "EtlJobFailures") == job_failures_before + 1


def test_a_failed_crawl_fails_counts_and_alerts(pipeline: Pipeline) -> None:
    glue = pipeline.client("glue")
    glue.delete_crawler(Name=RAW_CRAWLER)  # moto has no UpdateCrawler
    _create_crawler(RAW_CRAWLER, "s3://it-failures-no-such-bucket/raw/")
    try:
        before = _metric_sum(pipeline, "PipelineRunsFailed")
        execution_arn = _start(pipeline, "2026-02-02")
        _assert_failed_counted_and_alerted(
            pipeline,
            execution_arn,
            "2026-02-02",
            before,
            f"CrawlerFailed: crawler {RAW_CRAWLER} ended its last crawl FAILED",
        )
        crawler = glue.get_crawler(Name=RAW_CRAWLER)["Crawler"]
        assert (crawler["State"], crawler["LastCrawl"]["Status"]) == (
            "READY",
            "FAILED",
        )  # READY is not success
    finally:
        glue.delete_crawler(Name=RAW_CRAWLER)
        _create_crawler(RAW_CRAWLER, f"s3://{BUCKET}/raw/")


def test_a_job_run_outlasting_the_pipelines_wait_fails_counts_and_alerts(pipeline: Pipeline) -> None:
    before = _metric_sum(pipeline, "PipelineRunsFailed")
    execution_arn = _start(pipeline, "2026-02-03")
    _assert_failed_counted_and_alerted(
        pipeline, execution_arn, "2026-02-03", before, f"GlueJobTimedOut: {JOB} run"
    )
    history = pipeline.client("stepfunctions").get_execution_history(
        executionArn=execution_arn, maxResults=1000
    )
    entered = [
        e["stateEnteredEventDetails"]["name"] for e in history["events"] if "stateEnteredEventDetails" in e
    ]
    assert "DescribeTimeout" in entered
