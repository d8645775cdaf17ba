"""Monthly cost estimate of an environment, from the billed resources of its Terraform plan.

    python -m scripts.cost_estimate PLAN.json      (make cost ENV=dev|staging|prod; no AWS credentials)

Every resource type in the plan is either priced here or listed in FREE; anything else is reported as
unpriced (and tests/integration/test_terraform_envs.py fails), so a new billed resource cannot be left
out silently. Prices: us-east-1 on-demand list prices from each service's AWS pricing page (aws.amazon.com/
<service>/pricing), read 2026-12; usage: the assumptions in USAGE, one scheduled pipeline run a day.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scripts.plan_checks import Plan, Resource, load_plan

HOURS_PER_MONTH = 730

PRICE = {
    "redshift_ra3_xlplus_node_hour": 1.086,
    "redshift_serverless_rpu_hour": 0.375,
    "glue_dpu_hour": 0.44,  # jobs (1-minute minimum) and crawlers (10-minute minimum)
    "kms_key_month": 1.00,
    "secret_month": 0.40,
    "s3_standard_gb_month": 0.023,
    "cloudwatch_alarm_month": 0.10,
    "cloudwatch_dashboard_month": 3.00,
    "cloudwatch_logs_ingest_gb": 0.50,
    "vended_logs_to_s3_gb": 0.25,  # VPC flow logs delivered to S3
    "nat_gateway_hour": 0.045,
    "nat_gateway_gb": 0.045,
    "interface_endpoint_az_hour": 0.01,
    "sfn_1000_transitions": 0.025,
    "lambda_gb_second": 0.0000166667,
    "config_item": 0.003,
    "s3_inter_region_gb": 0.02,
    "backup_s3_gb_month": 0.05,
}

# Assumed usage per month; the estimate scales with these.
USAGE = {
    "runs": 30,  # one scheduled pipeline run a day
    "etl_job_minutes": 15,  # raw_to_processed per run
    "warehouse_job_minutes": 5,  # load_warehouse and data_quality per run
    "crawler_dpus": 2,
    "crawler_minutes": 10,  # Glue bills a crawl at 10 minutes at least
    "serverless_rpu_hours_per_run": 1,  # queries of the warehouse load and checks, 8 RPU base
    "gb_per_data_bucket": 20,
    "gb_logs_bucket": 5,
    "gb_flow_logs": 2,
    "gb_log_groups": 1,
    "gb_through_nat": 10,
    "sfn_transitions_per_run": 150,
    "lambda_invocations": 3000,  # raw objects landed
    "lambda_seconds": 2,
    "config_items": 2000,
    "gb_replicated": 20,
    "gb_backed_up": 40,
    "guardduty_usd": 5.0,  # usage-based (events and logs analysed); a small account
    "security_hub_usd": 5.0,  # usage-based (checks run); FSBP on a small account
}
WAREHOUSE_JOBS = ("load-warehouse", "data-quality")

# Created without charge (configuration, permissions, wiring) or billed only by usage counted elsewhere.
FREE = frozenset(
    {
        "aws_cloudwatch_event_rule",
        "aws_cloudwatch_event_target",
        "aws_cloudtrail",  # the first trail's management events are free
        "aws_config_configuration_recorder_status",
        "aws_config_delivery_channel",
        "aws_default_security_group",
        "aws_glue_catalog_database",  # first million catalog objects free
        "aws_glue_security_configuration",
        "aws_glue_trigger",
        "aws_glue_workflow",
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_iam_role_policy_attachment",
        "aws_iam_service_linked_role",
        "aws_kms_alias",
        "aws_lambda_permission",
        "aws_redshift_logging",
        "aws_redshift_parameter_group",
        "aws_redshift_subnet_group",
        "aws_redshiftserverless_namespace",  # billed through its workgroup's RPUs
        "aws_route_table",
        "aws_route_table_association",
        "aws_s3_bucket_lifecycle_configuration",
        "aws_s3_bucket_logging",
        "aws_s3_bucket_notification",
        "aws_s3_bucket_ownership_controls",
        "aws_s3_bucket_policy",
        "aws_s3_bucket_public_access_block",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws_s3_bucket_versioning",
        "aws_s3_object",
        "aws_securityhub_account",  # billed through the standard's checks
        "aws_security_group",
        "aws_sns_topic",  # email notifications: first 1,000 a month free
        "aws_sns_topic_subscription",
        "aws_subnet",
        "aws_vpc",
        "aws_vpc_security_group_egress_rule",
        "aws_vpc_security_group_ingress_rule",
        "aws_backup_selection",
        "aws_backup_vault",  # billed through the plan's backup storage
    }
)


@dataclass(frozen=True)
class Line:
    what: str
    usd: float


def _redshift_cluster(r: Resource) -> Iterator[Line]:
    nodes = r.values.get("number_of_nodes") or 1
    yield Line(
        f"Redshift {r.values.get('node_type')} x {nodes} node(s), always on",
        nodes * HOURS_PER_MONTH * PRICE["redshift_ra3_xlplus_node_hour"],
    )
    if r.values.get("manage_master_password"):
        yield Line("Secrets Manager: the cluster's managed admin secret", PRICE["secret_month"])


def _redshift_workgroup(r: Resource) -> Iterator[Line]:
    rpus = r.values.get("base_capacity") or 8
    hours = USAGE["runs"] * USAGE["serverless_rpu_hours_per_run"]
    yield Line(
        f"Redshift Serverless {rpus} RPU x {hours} h", rpus * hours * PRICE["redshift_serverless_rpu_hour"]
    )
    yield Line("Secrets Manager: the namespace's managed admin secret", PRICE["secret_month"])


def _glue_job(r: Resource) -> Iterator[Line]:
    name = r.values.get("name", "")
    minutes = USAGE["warehouse_job_minutes" if name.endswith(WAREHOUSE_JOBS) else "etl_job_minutes"]
    dpus = (r.values.get("number_of_workers") or 2) * {"G.1X": 1, "G.2X": 2}.get(
        r.values.get("worker_type"), 1
    )
    usd = dpus * max(minutes, 1) / 60 * USAGE["runs"] * PRICE["glue_dpu_hour"]
    yield Line(f"Glue job {name}: {dpus} DPU x {minutes} min x {USAGE['runs']} runs", usd)


def _glue_crawler(r: Resource) -> Iterator[Line]:
    minutes = max(USAGE["crawler_minutes"], 10)
    usd = USAGE["crawler_dpus"] * minutes / 60 * USAGE["runs"] * PRICE["glue_dpu_hour"]
    yield Line(f"Glue crawler {r.values.get('name')}: {minutes} min x {USAGE['runs']} crawls", usd)


def _s3_bucket(r: Resource) -> Iterator[Line]:
    logs = str(r.values.get("bucket", "")).endswith("-logs")
    gb = USAGE["gb_logs_bucket" if logs else "gb_per_data_bucket"]
    yield Line(f"S3 {r.values.get('bucket')}: {gb} GB", gb * PRICE["s3_standard_gb_month"])


def _vpc_endpoint(r: Resource) -> Iterator[Line]:
    if r.values.get("vpc_endpoint_type") == "Interface":
        azs = len(r.values.get("subnet_ids") or []) or 1
        usd = azs * HOURS_PER_MONTH * PRICE["interface_endpoint_az_hour"]
        yield Line(f"Interface endpoint {r.values.get('service_name')} in {azs} AZ(s)", usd)
    else:
        yield Line(f"Gateway endpoint {r.values.get('service_name')}", 0.0)


def _nat_gateway(r: Resource) -> Iterator[Line]:
    usd = HOURS_PER_MONTH * PRICE["nat_gateway_hour"] + USAGE["gb_through_nat"] * PRICE["nat_gateway_gb"]
    yield Line(f"NAT gateway, {USAGE['gb_through_nat']} GB", usd)


def _lambda(r: Resource) -> Iterator[Line]:
    gb = (r.values.get("memory_size") or 128) / 1024
    seconds = USAGE["lambda_invocations"] * USAGE["lambda_seconds"]
    yield Line(
        f"Lambda {r.values.get('function_name')}: {USAGE['lambda_invocations']} invocations",
        gb * seconds * PRICE["lambda_gb_second"],
    )


def _fixed(what: str, usd: float) -> Callable[[Resource], Iterator[Line]]:
    def lines(r: Resource) -> Iterator[Line]:
        yield Line(what.format_map(r.values | {"name": r.values.get("name") or r.address}), usd)

    return lines


PRICED: dict[str, Callable[[Resource], Iterator[Line]]] = {
    "aws_redshift_cluster": _redshift_cluster,
    "aws_redshiftserverless_workgroup": _redshift_workgroup,
    "aws_glue_job": _glue_job,
    "aws_glue_crawler": _glue_crawler,
    "aws_s3_bucket": _s3_bucket,
    "aws_vpc_endpoint": _vpc_endpoint,
    "aws_nat_gateway": _nat_gateway,
    "aws_lambda_function": _lambda,
    "aws_kms_key": _fixed("KMS key: {description}", PRICE["kms_key_month"]),
    "aws_cloudwatch_metric_alarm": _fixed("CloudWatch alarm {alarm_name}", PRICE["cloudwatch_alarm_month"]),
    "aws_cloudwatch_dashboard": _fixed(
        "CloudWatch dashboard {dashboard_name}", PRICE["cloudwatch_dashboard_month"]
    ),
    "aws_cloudwatch_log_group": _fixed(
        f"CloudWatch Logs {{name}}: {USAGE['gb_log_groups']} GB",
        USAGE["gb_log_groups"] * PRICE["cloudwatch_logs_ingest_gb"],
    ),
    "aws_flow_log": _fixed(
        f"VPC flow logs to S3: {USAGE['gb_flow_logs']} GB",
        USAGE["gb_flow_logs"] * PRICE["vended_logs_to_s3_gb"],
    ),
    "aws_sfn_state_machine": _fixed(
        f"Step Functions {{name}}: {USAGE['sfn_transitions_per_run']} transitions x {USAGE['runs']} runs",
        USAGE["sfn_transitions_per_run"] * USAGE["runs"] / 1000 * PRICE["sfn_1000_transitions"],
    ),
    "aws_config_configuration_recorder": _fixed(
        f"AWS Config: {USAGE['config_items']} configuration items",
        USAGE["config_items"] * PRICE["config_item"],
    ),
    "aws_guardduty_detector": _fixed("GuardDuty (usage-based, small account)", USAGE["guardduty_usd"]),
    "aws_securityhub_standards_subscription": _fixed(
        "Security Hub FSBP checks (usage-based, small account)", USAGE["security_hub_usd"]
    ),
    "aws_backup_plan": _fixed(
        f"AWS Backup of S3: {USAGE['gb_backed_up']} GB", USAGE["gb_backed_up"] * PRICE["backup_s3_gb_month"]
    ),
    "aws_s3_bucket_replication_configuration": _fixed(
        f"S3 replication to the DR region: {USAGE['gb_replicated']} GB transfer and storage",
        USAGE["gb_replicated"] * (PRICE["s3_inter_region_gb"] + PRICE["s3_standard_gb_month"]),
    ),
}


@dataclass(frozen=True)
class Estimate:
    lines: list[Line]
    unpriced: list[str]  # resource types neither priced nor FREE

    @property
    def total(self) -> float:
        return sum(line.usd for line in self.lines)


def estimate(plan: Plan) -> Estimate:
    lines, unpriced = [], set()
    for resource in plan.resources:
        if resource.type in PRICED:
            lines += PRICED[resource.type](resource)
        elif resource.type not in FREE:
            unpriced.add(resource.type)
    return Estimate(sorted(lines, key=lambda line: -line.usd), sorted(unpriced))


def render(name: str, result: Estimate) -> str:
    out = [
        f"{name}: about {result.total:,.0f} USD/month (us-east-1 on-demand list prices; {USAGE['runs']} runs/month)"
    ]
    out += [f"  {line.what} {'.' * max(2, 78 - len(line.what))} {line.usd:8.2f}" for line in result.lines]
    out += [
        f"  NOT PRICED: {kind} (add it to scripts/cost_estimate.py PRICED or FREE)"
        for kind in result.unpriced
    ]
    out.append("  assumptions: " + ", ".join(f"{key}={value}" for key, value in USAGE.items()))
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m scripts.cost_estimate PLAN.json", file=sys.stderr)
        return 2
    variables = json.loads(Path(argv[0]).read_text()).get("variables", {})
    name = variables.get("environment", {}).get("value", "local")
    result = estimate(load_plan(Path(argv[0])))
    print(render(name, result))
    return 1 if result.unpriced else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
