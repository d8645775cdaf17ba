"""Checks over a Terraform plan (`terraform show -json`) for what AWS refuses but an emulator accepts.

    python -m scripts.plan_checks PLAN.json     prints every problem; exit 1 if there is one

- Network reachability: every AWS service a Glue job or Lambda function calls is reachable from its
  subnets (NAT gateway, or an interface or gateway endpoint), or it has no VPC attachment. The services
  are derived from the code Terraform ships to it: its entrypoint and every shipped module reachable by
  import, scanned for boto3 `client("...")`/`resource("...")` calls, plus what the Glue runtime itself
  calls for the job's settings.
- KMS key policies: kms:DescribeKey never sits under an encryption-context condition (DescribeKey
  carries no context, so CloudTrail and others would be refused).
- One daily path: at most one of the pipeline's schedules (EventBridge rule, Glue scheduled trigger) is on.
- Glue runtime parity: each job's entrypoint imports and parses its arguments with only the Glue 5.0
  modules plus what Terraform ships to it (scripts/glue_runtime.py).
"""

from __future__ import annotations

import ast
import json
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

import botocore.session

from scripts import glue_runtime

# What Glue's runtime calls on a job's behalf, beyond the job's own code (AWS Glue docs, "Setting up
# network access to data stores" and the job parameters reference): S3 for the script, --extra-py-files
# and --TempDir; the Glue API for the catalog and bookmarks; KMS for a security configuration's
# SSE-KMS; CloudWatch Logs for continuous logging; CloudWatch for --enable-metrics. Endpoint prefixes.
GLUE_RUNTIME_ALWAYS = ("s3", "glue")
GLUE_RUNTIME_BY_ARGUMENT = {"--enable-continuous-cloudwatch-log": "logs", "--enable-metrics": "monitoring"}
UNKNOWN_AT_PLAN = "(known after apply)"


@dataclass(frozen=True)
class Resource:
    address: str
    type: str
    values: dict
    unknown: dict  # after_unknown: which attributes Terraform learns only at apply


@dataclass(frozen=True)
class Plan:
    resources: list[Resource]
    outputs: dict  # root outputs known at plan time


@dataclass(frozen=True)
class GlueJob:
    name: str
    script: Path
    shipped_zips: tuple[Path, ...]
    additional_modules: tuple[str, ...]
    arguments: dict[str, str]  # values known only after apply read UNKNOWN_AT_PLAN
    connections: tuple[str, ...]
    security_configuration: str | None


def load_plan(path: Path) -> Plan:
    """Managed resources the plan creates or keeps, with their planned values, and the root outputs."""
    plan = json.loads(Path(path).read_text())
    resources = [
        Resource(
            change["address"],
            change["type"],
            change["change"]["after"] or {},
            change["change"]["after_unknown"] or {},
        )
        for change in plan.get("resource_changes", [])
        if change["mode"] == "managed" and change["change"]["actions"] != ["delete"]
    ]
    outputs = {
        name: output["value"]
        for name, output in plan.get("planned_values", {}).get("outputs", {}).items()
        if "value" in output
    }
    return Plan(resources, outputs)


def of_type(plan: Plan, kind: str) -> list[Resource]:
    return [resource for resource in plan.resources if resource.type == kind]


def _s3_sources(plan: Plan) -> dict[str, Path]:
    """s3://bucket/key => local file, for every object the plan uploads."""
    return {
        f"s3://{r.values['bucket']}/{r.values['key']}": Path(r.values["source"])
        for r in of_type(plan, "aws_s3_object")
        if r.values.get("bucket") and r.values.get("key") and r.values.get("source")
    }


def glue_jobs(plan: Plan) -> list[GlueJob]:
    """Each Glue job with the local files Terraform uploads for it. A job's default_arguments are unknown in
    a plan (see modules/glue's glue_job_runtime output), so its arguments come from that output and the
    files from the plan's S3 uploads they name."""
    if "glue_job_runtime" not in plan.outputs:
        raise ValueError(
            "the plan has no known glue_job_runtime output; the env's outputs.tf must pass the stack's on"
        )
    sources = _s3_sources(plan)
    resources = {r.values.get("name"): r for r in of_type(plan, "aws_glue_job")}
    jobs = []
    for runtime in plan.outputs["glue_job_runtime"].values():
        resource = resources[runtime["job_name"]]
        arguments = dict(runtime["arguments"]) | dict.fromkeys(
            runtime["arguments_known_at_apply"], UNKNOWN_AT_PLAN
        )
        uris = [
            runtime["script_location"],
            *(u for u in arguments.get("--extra-py-files", "").split(",") if u),
        ]
        missing = [uri for uri in uris if uri not in sources]
        if missing:
            raise ValueError(
                f"{resource.address}: {', '.join(missing)} is not uploaded by this plan (no aws_s3_object with that "
                "bucket and key), so what the job runs cannot be checked; upload it with Terraform"
            )
        modules = [
            m.strip() for m in arguments.get("--additional-python-modules", "").split(",") if m.strip()
        ]
        jobs.append(
            GlueJob(
                name=runtime["job_name"],
                script=sources[uris[0]],
                shipped_zips=tuple(sources[uri] for uri in uris[1:]),
                additional_modules=tuple(modules),
                arguments=arguments,
                connections=tuple(resource.values.get("connections") or ()),
                security_configuration=resource.values.get("security_configuration"),
            )
        )
    return jobs


def job_argv(job: GlueJob) -> list[str]:
    """What Glue passes the script: its default arguments, --JOB_NAME, and the pipeline's --ingest_date."""
    argv = [item for name, value in sorted(job.arguments.items()) for item in (name, value)]
    return [*argv, "--JOB_NAME", job.name, "--ingest_date", "2026-01-01"]


# --- services a job's code calls ---------------------------------------------------------------------


@cache
def _module_sources(zips: tuple[Path, ...]) -> dict[str, str]:
    """Dotted module name => source text, for every .py file in the shipped zips."""
    sources = {}
    for path in zips:
        with zipfile.ZipFile(path) as archive:
            for entry in archive.namelist():
                if entry.endswith(".py"):
                    parts = PurePosixPath(entry).with_suffix("").parts
                    name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
                    sources[name] = archive.read(entry).decode()
    return sources


@cache
def _packages(zips: tuple[Path, ...]) -> frozenset[str]:
    return frozenset(name.rpartition(".")[0] for name in _module_sources(zips) if "." in name)


def _imported_modules(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base_parts = module.split(".") if is_package else module.split(".")[:-1]
            prefix = ".".join(base_parts[: len(base_parts) - node.level + 1]) if node.level else ""
            base = ".".join(part for part in (prefix, node.module or "") if part)
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    # importing a.b.c runs a/__init__ and a/b/__init__ too
    return {".".join(name.split(".")[: i + 1]) for name in names for i in range(name.count(".") + 1)}


def _client_calls(tree: ast.AST) -> set[str]:
    """Service names of boto3 client("x") / resource("x") calls, however the session is reached."""
    services = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("client", "resource")
        ):
            args = [*node.args[:1], *(kw.value for kw in node.keywords if kw.arg == "service_name")]
            services |= {
                arg.value for arg in args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            }
    return services


@cache
def _scan(module: str, text: str, is_package: bool) -> tuple[set[str], set[str]]:
    """(services of its client calls, modules it imports) of one module; cached, as every job shares most."""
    tree = ast.parse(text)
    return _client_calls(tree), _imported_modules(tree, module, is_package)


def called_services(entrypoint: str, entrypoint_source: str, zips: tuple[Path, ...]) -> dict[str, set[str]]:
    """boto3 service name => the modules that create a client for it: the entrypoint and every shipped
    module it reaches by import (at any depth, module level or inside functions)."""
    sources = _module_sources(zips)
    found: dict[str, set[str]] = {}
    queue = [(entrypoint, entrypoint_source, False)]
    seen = {entrypoint}
    while queue:
        module, text, is_package = queue.pop()
        clients, imports = _scan(module, text, is_package)
        for service in clients:
            found.setdefault(service, set()).add(module)
        for name in sorted(imports - seen):
            if name in sources:
                seen.add(name)
                queue.append((name, sources[name], name in _packages(zips)))
    return found


@cache
def endpoint_prefix(boto3_service: str) -> str:
    """The service's endpoint prefix, which VPC endpoint names use (cloudwatch -> monitoring)."""
    return botocore.session.get_session().get_service_model(boto3_service).metadata["endpointPrefix"]


def glue_job_services(job: GlueJob) -> dict[str, set[str]]:
    """Endpoint prefix => why the job calls it (its code's modules, or the Glue runtime)."""
    calls = called_services(job.script.name, job.script.read_text(), job.shipped_zips)
    needs = {endpoint_prefix(service): callers for service, callers in calls.items()}
    runtime = [
        *GLUE_RUNTIME_ALWAYS,
        *(s for a, s in GLUE_RUNTIME_BY_ARGUMENT.items() if job.arguments.get(a) == "true"),
    ]
    if job.security_configuration:
        runtime.append("kms")
    for service in runtime:
        needs.setdefault(service, set()).add("the Glue runtime")
    return needs


# --- the checks ----------------------------------------------------------------------------------------


def _vpc_reach(plan: Plan) -> tuple[bool, set[str]]:
    """(a NAT gateway exists, endpoint prefixes of the plan's VPC endpoints). The stack has one VPC."""
    nat = bool(of_type(plan, "aws_nat_gateway"))
    endpoints = {
        r.values["service_name"].split(".", 3)[-1]
        for r in of_type(plan, "aws_vpc_endpoint")
        if r.values.get("service_name")
    }
    return nat, endpoints


def unreachable_services(plan: Plan) -> list[str]:
    nat, endpoints = _vpc_reach(plan)
    problems = []
    attached = [
        (f"Glue job {job.name} (connections {', '.join(job.connections)})", glue_job_services(job))
        for job in glue_jobs(plan)
        if job.connections
    ]
    for function in of_type(plan, "aws_lambda_function"):
        subnets = [
            subnet
            for config in function.values.get("vpc_config") or []
            for subnet in config.get("subnet_ids") or []
        ]
        vpc_attached = bool(subnets) or any(function.unknown.get("vpc_config") or [])
        if vpc_attached:
            handler_module = function.values["handler"].rsplit(".", 1)[0]
            calls = called_services(
                "handler", f"import {handler_module}\n", (Path(function.values["filename"]),)
            )
            services = {endpoint_prefix(service): callers for service, callers in calls.items()}
            attached.append((f"Lambda {function.values['function_name']} (vpc_config)", services))
    for who, services in attached:
        missing = {
            service: callers for service, callers in services.items() if not nat and service not in endpoints
        }
        if missing:
            detail = "; ".join(
                f"{service} (from {', '.join(sorted(callers))})"
                for service, callers in sorted(missing.items())
            )
            problems.append(
                f"{who} sits in subnets with no NAT gateway and no VPC endpoint for: {detail}. Fix: add a NAT gateway "
                "or endpoints com.amazonaws.<region>.<service>, or drop the VPC attachment if nothing needs the VPC"
            )
    return problems


def kms_describe_under_context(plan: Plan) -> list[str]:
    problems = []
    for key in of_type(plan, "aws_kms_key"):
        policy = key.values.get("policy")
        if not policy:
            continue
        for statement in json.loads(policy).get("Statement", []):
            actions = statement.get("Action", [])
            actions = [actions] if isinstance(actions, str) else actions
            describes = [a for a in actions if a in ("kms:*", "kms:Describe*", "kms:DescribeKey")]
            context_keys = [
                k
                for cond in statement.get("Condition", {}).values()
                for k in cond
                if k.startswith("kms:EncryptionContext")
            ]
            if describes and context_keys:
                problems.append(
                    f"{key.address}: statement {statement.get('Sid', '?')} grants {', '.join(describes)} only under "
                    f"{', '.join(context_keys)}; DescribeKey carries no encryption context, so it is always refused. "
                    "Fix: grant kms:DescribeKey in a statement without the context condition"
                )
    return problems


def enabled_schedules(plan: Plan) -> list[str]:
    rules = [
        f"EventBridge rule {r.values['name']}"
        for r in of_type(plan, "aws_cloudwatch_event_rule")
        if r.values.get("schedule_expression") and r.values.get("state", "ENABLED") == "ENABLED"
    ]
    triggers = [
        f"Glue trigger {r.values['name']}"
        for r in of_type(plan, "aws_glue_trigger")
        if r.values.get("type") == "SCHEDULED" and r.values.get("enabled", True)
    ]
    return rules + triggers


def more_than_one_daily_path(plan: Plan) -> list[str]:
    schedules = enabled_schedules(plan)
    if len(schedules) <= 1:
        return []
    return [
        f"{len(schedules)} schedules start the pipeline ({', '.join(schedules)}): both paths would crawl and transform "
        "the same day. Fix: keep schedule_enabled (Step Functions) or glue_workflow_schedule_enabled, not both"
    ]


def runtime_parity(plan: Plan) -> list[str]:
    problems = []
    for job in glue_jobs(plan):
        result = glue_runtime.check_job(job.script, job.shipped_zips, job_argv(job), job.additional_modules)
        if not result.ok:
            last = result.output.splitlines()[-1] if result.output else "no output"
            problems.append(f"Glue job {job.name} ({job.script.name}) fails on the Glue 5.0 runtime: {last}")
    return problems


CHECKS = (unreachable_services, kms_describe_under_context, more_than_one_daily_path, runtime_parity)


def problems(plan: Plan) -> Iterator[str]:
    for check in CHECKS:
        yield from check(plan)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m scripts.plan_checks PLAN.json", file=sys.stderr)
        return 2
    found = list(problems(load_plan(Path(argv[0]))))
    for problem in found:
        print(f"error: {problem}", file=sys.stderr)
    print(f"{argv[0]}: {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
