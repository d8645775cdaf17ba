"""Publishes a data-quality run to CloudWatch and, when checks fail, to the alerts SNS topic.

The names match infra/terraform/modules/monitoring: the alarm `<prefix>-data-quality-failed` watches
`DataQualityFailures` (Sum >= 1) in the pipeline's namespace (`ecomdwh`, ECOMDWH_METRIC_NAMESPACE)
with dimension Pipeline = the state machine's name: ECOMDWH_PIPELINE_NAME (the data_quality job's
`--pipeline_name` argument, which Terraform sets to the name the alarm watches), else the last part of
ECOMDWH_STATE_MACHINE_ARN, else `ecomdwh-local-pipeline`. In AWS that alarm notifies the topic; the message published here adds
what the alarm cannot say: which checks failed and by how much. The topic is
ECOMDWH_ALERTS_TOPIC_ARN, else the topic named `ecomdwh-local-alerts`.
"""

from __future__ import annotations

import os

import boto3

from ecomdwh.dq.runner import DqRun

FAILURES_METRIC = "DataQualityFailures"
SCORE_METRIC = "DataQualityScore"
DEFAULT_NAMESPACE = "ecomdwh"
LOCAL_PIPELINE = "ecomdwh-local-pipeline"
LOCAL_ALERTS_TOPIC = "ecomdwh-local-alerts"


def metric_namespace() -> str:
    return os.environ.get("ECOMDWH_METRIC_NAMESPACE", DEFAULT_NAMESPACE)


def pipeline_name() -> str:
    if name := os.environ.get("ECOMDWH_PIPELINE_NAME"):
        return name
    arn = os.environ.get("ECOMDWH_STATE_MACHINE_ARN")
    return arn.rsplit(":", 1)[-1] if arn else LOCAL_PIPELINE


def metric_data(run: DqRun, pipeline: str) -> list[dict]:
    """The failed-check count, and each dimension's lowest score in percent."""
    pipeline_dimension = {"Name": "Pipeline", "Value": pipeline}
    data = [
        {
            "MetricName": FAILURES_METRIC,
            "Dimensions": [pipeline_dimension],
            "Timestamp": run.checked_at,
            "Value": float(len(run.failures)),
            "Unit": "Count",
        }
    ]
    data += [
        {
            "MetricName": SCORE_METRIC,
            "Dimensions": [pipeline_dimension, {"Name": "Dimension", "Value": dimension}],
            "Timestamp": run.checked_at,
            "Value": round(100 * score, 4),
            "Unit": "Percent",
        }
        for dimension, score in sorted(run.dimension_scores().items())
    ]
    return data


def publish_metrics(run: DqRun) -> None:
    boto3.client("cloudwatch").put_metric_data(
        Namespace=metric_namespace(), MetricData=metric_data(run, pipeline_name())
    )


def alerts_topic_arn() -> str | None:
    """The alerts topic, or None when none is deployed (locally: before `make deploy`)."""
    if arn := os.environ.get("ECOMDWH_ALERTS_TOPIC_ARN"):
        return arn
    for page in boto3.client("sns").get_paginator("list_topics").paginate():
        for topic in page["Topics"]:
            if topic["TopicArn"].rsplit(":", 1)[-1] == LOCAL_ALERTS_TOPIC:
                return topic["TopicArn"]
    return None


def failure_message(run: DqRun, stop_severity: str) -> tuple[str, str]:
    """(subject, body) naming every failed check, its score against its threshold, and its severity."""
    failures = run.failures
    verdict = "the pipeline stops" if run.must_stop(stop_severity) else "warnings only, the pipeline goes on"
    subject = f"ecomdwh data quality: {len(failures)} check(s) failed ({verdict})"
    lines = [
        f"Data-quality run {run.run_id} at {run.checked_at:%Y-%m-%d %H:%M:%S} UTC: "
        f"{len(failures)} of {len(run.results)} checks failed; {verdict}.",
        "",
        *(
            f"- [{r.check.severity}] {r.check.name} ({r.check.dimension}, {r.check.table}): "
            f"{100 * r.score:.2f}% of {r.checked_rows} rows pass, threshold {100 * r.check.threshold:.2f}%"
            for r in failures
        ),
        "",
        f"All results: select * from dq_results where run_id = '{run.run_id}'. Fix the data upstream "
        "(or the check in warehouse_sql/dq/checks.toml), then re-run `ecomdwh dq run`.",
    ]
    return subject[:100], "\n".join(lines)


def notify_failures(run: DqRun, stop_severity: str = "error") -> str | None:
    """Publishes the failure message to the alerts topic; returns its ARN, or None if nothing was sent."""
    if not run.failures:
        return None
    topic_arn = alerts_topic_arn()
    if topic_arn is None:
        return None
    subject, body = failure_message(run, stop_severity)
    boto3.client("sns").publish(TopicArn=topic_arn, Subject=subject, Message=body)
    return topic_arn
