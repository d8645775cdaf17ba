"""scripts/plan_checks.py and scripts/cost_estimate.py over small plans in `terraform show -json` shape,
built around the real job scripts and a real --extra-py-files zip: each check finds what it is for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts import build_glue_libs, cost_estimate, plan_checks

REPO_ROOT = Path(__file__).resolve().parents[3]
SCRIPTS_BUCKET = "ecomdwh-test-scripts"
LIBS_KEY = "glue/libs/ecomdwh-python.zip"


def change(address: str, kind: str, after: dict, after_unknown: dict | None = None) -> dict:
    return {
        "address": address,
        "mode": "managed",
        "type": kind,
        "change": {"actions": ["create"], "after": after, "after_unknown": after_unknown or {}},
    }


def glue_job(script: str, connections: list[str] | None) -> dict:
    name = f"ecomdwh-test-{script.replace('_', '-')}"
    return change(
        f'module.glue.aws_glue_job.this["{name}"]',
        "aws_glue_job",
        {"name": name, "connections": connections, "security_configuration": "ecomdwh-test-glue"},
        {"default_arguments": True},  # as the provider plans it: the whole map unknown
    )


def write_plan(tmp_path: Path, libs: Path, *, connections: list[str] | None, extra: list[dict]) -> Path:
    scripts = ("load_warehouse", "data_quality", "raw_to_processed")
    uploads = [
        change(
            f'module.glue.aws_s3_object.job_script["{s}"]',
            "aws_s3_object",
            {
                "bucket": SCRIPTS_BUCKET,
                "key": f"glue/jobs/{s}.py",
                "source": str(REPO_ROOT / "etl" / "jobs" / f"{s}.py"),
            },
        )
        for s in scripts
    ]
    uploads.append(
        change(
            "module.glue.aws_s3_object.python_libs[0]",
            "aws_s3_object",
            {"bucket": SCRIPTS_BUCKET, "key": LIBS_KEY, "source": str(libs)},
        )
    )
    runtime = {
        s: {
            "job_name": f"ecomdwh-test-{s.replace('_', '-')}",
            "script_location": f"s3://{SCRIPTS_BUCKET}/glue/jobs/{s}.py",
            "arguments": {
                "--extra-py-files": f"s3://{SCRIPTS_BUCKET}/{LIBS_KEY}",
                "--raw_bucket": "raw",
                "--processed_bucket": "processed",
                "--enable-continuous-cloudwatch-log": "true",
                "--enable-metrics": "true",
            },
            "arguments_known_at_apply": ["--redshift_secret_arn"],
        }
        for s in scripts
    }
    plan = {
        "resource_changes": [*uploads, *(glue_job(s, connections) for s in scripts), *extra],
        "planned_values": {"outputs": {"glue_job_runtime": {"value": runtime}}},
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return path


@pytest.fixture(scope="module")
def libs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("libs") / "ecomdwh-python.zip"
    build_glue_libs.build(path)
    return path


S3_GATEWAY = change(
    "module.vpc.aws_vpc_endpoint.s3",
    "aws_vpc_endpoint",
    {"service_name": "com.amazonaws.us-east-1.s3", "vpc_endpoint_type": "Gateway"},
)


def test_a_job_in_a_vpc_without_a_path_to_its_services_is_reported_with_the_code_that_calls_them(
    tmp_path: Path, libs: Path
) -> None:
    plan = plan_checks.load_plan(
        write_plan(tmp_path, libs, connections=["ecomdwh-test-private"], extra=[S3_GATEWAY])
    )
    problems = plan_checks.unreachable_services(plan)
    by_job = {p.split(" ")[2]: p for p in problems}
    assert set(by_job) == {
        "ecomdwh-test-load-warehouse",
        "ecomdwh-test-data-quality",
        "ecomdwh-test-raw-to-processed",
    }
    # derived from the shipped code's boto3 clients, not a list: the runner's redshift-data, alerts' sns
    assert "redshift-data (from ecomdwh.warehouse.runner)" in by_job["ecomdwh-test-load-warehouse"]
    assert "sns (from ecomdwh.dq.alerts)" in by_job["ecomdwh-test-data-quality"]
    assert "kms (from the Glue runtime)" in by_job["ecomdwh-test-raw-to-processed"]
    # S3 has its gateway endpoint
    assert all(" s3 (" not in problem for problem in problems)


def test_endpoints_or_a_nat_gateway_make_the_services_reachable(tmp_path: Path, libs: Path) -> None:
    nat = change("module.vpc.aws_nat_gateway.this", "aws_nat_gateway", {})
    with_nat = write_plan(tmp_path, libs, connections=["private"], extra=[S3_GATEWAY, nat])
    assert plan_checks.unreachable_services(plan_checks.load_plan(with_nat)) == []
    endpoints = [
        change(
            f"e.{s}",
            "aws_vpc_endpoint",
            {"service_name": f"com.amazonaws.us-east-1.{s}", "vpc_endpoint_type": "Interface"},
        )
        for s in ("redshift-data", "sns", "monitoring", "logs", "kms", "glue")
    ]
    with_endpoints = write_plan(tmp_path, libs, connections=["private"], extra=[S3_GATEWAY, *endpoints])
    assert plan_checks.unreachable_services(plan_checks.load_plan(with_endpoints)) == []


def test_a_job_without_a_vpc_connection_needs_no_path(tmp_path: Path, libs: Path) -> None:
    plan = plan_checks.load_plan(write_plan(tmp_path, libs, connections=None, extra=[]))
    assert plan_checks.unreachable_services(plan) == []


def test_a_module_level_import_the_job_does_not_ship_fails_runtime_parity(tmp_path: Path, libs: Path) -> None:
    without_sqlglot = tmp_path / "without-sqlglot.zip"
    build_glue_libs.build(without_sqlglot, vendored=())
    plan = plan_checks.load_plan(write_plan(tmp_path, without_sqlglot, connections=None, extra=[]))
    problems = plan_checks.runtime_parity(plan)
    failing = sorted(p.split(" ")[2] for p in problems)
    assert failing == ["ecomdwh-test-data-quality", "ecomdwh-test-load-warehouse"]
    assert all("No module named 'sqlglot' in the Glue 5.0 runtime" in p for p in problems)


def test_the_shipped_zip_passes_runtime_parity(tmp_path: Path, libs: Path) -> None:
    plan = plan_checks.load_plan(write_plan(tmp_path, libs, connections=None, extra=[]))
    assert plan_checks.runtime_parity(plan) == []


def test_an_upload_missing_from_the_plan_is_named(tmp_path: Path, libs: Path) -> None:
    path = write_plan(tmp_path, libs, connections=None, extra=[])
    plan = json.loads(path.read_text())
    plan["resource_changes"] = [c for c in plan["resource_changes"] if "python_libs" not in c["address"]]
    path.write_text(json.dumps(plan))
    with pytest.raises(ValueError, match=f"s3://{SCRIPTS_BUCKET}/{LIBS_KEY} is not uploaded by this plan"):
        plan_checks.glue_jobs(plan_checks.load_plan(path))


def kms_key(statement: dict) -> dict:
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    return change('module.kms.aws_kms_key.this["logs"]', "aws_kms_key", {"policy": json.dumps(policy)})


def test_describe_key_under_an_encryption_context_condition_is_reported(tmp_path: Path) -> None:
    conditioned = {
        "Sid": "CloudTrailEncrypt",
        "Action": ["kms:GenerateDataKey*", "kms:Describe*"],
        "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*"}},
    }
    plain = {
        "Sid": "CloudTrailEncryptDescribeKey",
        "Action": "kms:DescribeKey",
        "Condition": {"StringEquals": {"aws:SourceAccount": "1"}},
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"resource_changes": [kms_key(conditioned)]}))
    [problem] = plan_checks.kms_describe_under_context(plan_checks.load_plan(path))
    assert "CloudTrailEncrypt grants kms:Describe*" in problem
    path.write_text(json.dumps({"resource_changes": [kms_key(plain)]}))
    assert plan_checks.kms_describe_under_context(plan_checks.load_plan(path)) == []


def test_two_enabled_schedules_are_reported(tmp_path: Path) -> None:
    rule = change(
        "r",
        "aws_cloudwatch_event_rule",
        {"name": "daily", "schedule_expression": "cron(0 3 * * ? *)", "state": "ENABLED"},
    )
    trigger = change("t", "aws_glue_trigger", {"name": "start", "type": "SCHEDULED", "enabled": True})
    off = change("t", "aws_glue_trigger", {"name": "start", "type": "SCHEDULED", "enabled": False})
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"resource_changes": [rule, trigger]}))
    [problem] = plan_checks.more_than_one_daily_path(plan_checks.load_plan(path))
    assert "EventBridge rule daily, Glue trigger start" in problem
    path.write_text(json.dumps({"resource_changes": [rule, off]}))
    assert plan_checks.more_than_one_daily_path(plan_checks.load_plan(path)) == []


def test_the_cost_estimate_prices_every_job_and_names_what_it_cannot_price(
    tmp_path: Path, libs: Path
) -> None:
    nat = change("module.vpc.aws_nat_gateway.this", "aws_nat_gateway", {})
    novel = change("x.aws_opensearch_domain.this", "aws_opensearch_domain", {})
    plan = plan_checks.load_plan(write_plan(tmp_path, libs, connections=None, extra=[nat, novel]))
    result = cost_estimate.estimate(plan)
    jobs = [line for line in result.lines if line.what.startswith("Glue job ")]
    assert len(jobs) == 3 and all(line.usd > 0 for line in jobs)
    [nat_line] = [line for line in result.lines if line.what.startswith("NAT gateway")]
    assert nat_line.usd == pytest.approx(730 * 0.045 + 10 * 0.045)
    assert result.unpriced == ["aws_opensearch_domain"]
    assert "NOT PRICED: aws_opensearch_domain" in cost_estimate.render("test", result)
