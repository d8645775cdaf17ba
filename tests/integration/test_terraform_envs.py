"""Every environment planned against the embedded emulator with no AWS credentials, as `make plan ENV=...`
and `make cost ENV=...` run it, and each plan held to what AWS would accept (scripts/plan_checks.py):
the Glue jobs import on the Glue 5.0 runtime, every service a job calls is reachable, no KMS DescribeKey
under a context condition, one daily path scheduled, every billed resource priced. Then the AWS
constraints Terraform now refuses at plan time, each with the message naming what to fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from emulation import launcher
from scripts import cost_estimate, plan_checks

REPO_ROOT = Path(__file__).resolve().parents[2]
ENVS = ("local", "dev", "staging", "prod")
AWS_ENVS = ("dev", "staging", "prod")
PlanEnv = Callable[[str], tuple[Path, subprocess.CompletedProcess[str]]]

pytestmark = pytest.mark.skipif(
    shutil.which("terraform") is None,
    reason="terraform is not installed (https://developer.hashicorp.com/terraform/install)",
)


def without_credentials(emulator: launcher.Emulator, **extra: str) -> dict[str, str]:
    """The process environment minus any AWS credentials or profile, pointed at the emulator (whose
    dummy keys are all a plan of any env gets)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "ENV"}
    env.update(emulator.sdk_environment(), TF_IN_AUTOMATION="1", NO_COLOR="1", **extra)
    return env


def terraform_sh(
    emulator: launcher.Emulator, work_dir: Path, env_name: str, command: str
) -> subprocess.CompletedProcess[str]:
    env = without_credentials(emulator, TARGET="local", ENV=env_name, TF_WORK_DIR=str(work_dir))
    return subprocess.run(
        ["scripts/terraform.sh", command], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
    )


@pytest.fixture(scope="module")
def plan_env(aws_endpoint: launcher.Emulator, tmp_path_factory: pytest.TempPathFactory) -> PlanEnv:
    """Plans an env once per module: (work dir, the run). `cost` for the AWS envs (it plans first), `plan` for local."""
    done: dict[str, tuple[Path, subprocess.CompletedProcess[str]]] = {}

    def plan(env_name: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
        if env_name not in done:
            work_dir = tmp_path_factory.mktemp(f"plan-{env_name}")
            run = terraform_sh(aws_endpoint, work_dir, env_name, "plan" if env_name == "local" else "cost")
            assert run.returncode == 0, (
                f"{env_name} does not plan without credentials:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
            )
            done[env_name] = (work_dir, run)
        return done[env_name]

    return plan


@pytest.fixture(params=ENVS)
def planned(
    request: pytest.FixtureRequest, plan_env: PlanEnv
) -> tuple[str, Path, subprocess.CompletedProcess[str]]:
    return (request.param, *plan_env(request.param))


def plan_of(planned: tuple[str, Path, subprocess.CompletedProcess[str]]) -> plan_checks.Plan:
    return plan_checks.load_plan(planned[1] / "plan.json")


def test_every_env_plans_without_credentials_and_prints_its_cost(
    planned: tuple[str, Path, subprocess.CompletedProcess[str]],
) -> None:
    env_name, _, run = planned
    plan = plan_of(planned)
    assert {r.type for r in plan.resources} >= {"aws_glue_job", "aws_s3_bucket", "aws_sfn_state_machine"}
    if env_name in AWS_ENVS:
        assert f"{env_name}: about " in run.stdout and "USD/month" in run.stdout, run.stdout


def test_each_glue_job_imports_and_parses_its_arguments_on_the_glue_5_runtime(
    planned: tuple[str, Path, subprocess.CompletedProcess[str]],
) -> None:
    plan = plan_of(planned)
    assert {job.script.name for job in plan_checks.glue_jobs(plan)} == {
        p.name for p in (REPO_ROOT / "etl" / "jobs").glob("*.py") if p.name != "__init__.py"
    }
    assert plan_checks.runtime_parity(plan) == []


def test_every_service_a_job_or_function_calls_is_reachable(
    planned: tuple[str, Path, subprocess.CompletedProcess[str]],
) -> None:
    assert plan_checks.unreachable_services(plan_of(planned)) == []


def test_no_kms_describe_under_an_encryption_context_condition(
    planned: tuple[str, Path, subprocess.CompletedProcess[str]],
) -> None:
    plan = plan_of(planned)
    assert plan_checks.of_type(plan, "aws_kms_key"), "the plan holds no KMS key to check"
    assert plan_checks.kms_describe_under_context(plan) == []


def test_one_daily_path_is_scheduled(planned: tuple[str, Path, subprocess.CompletedProcess[str]]) -> None:
    env_name = planned[0]
    schedules = plan_checks.enabled_schedules(plan_of(planned))
    # AWS: the Step Functions pipeline, and only it; local runs on demand
    assert schedules == ([f"EventBridge rule ecomdwh-{env_name}-daily"] if env_name in AWS_ENVS else [])


def test_every_billed_resource_is_priced(planned: tuple[str, Path, subprocess.CompletedProcess[str]]) -> None:
    plan = plan_of(planned)
    result = cost_estimate.estimate(plan)
    assert result.unpriced == []
    jobs = plan_checks.of_type(plan, "aws_glue_job")
    assert len([line for line in result.lines if line.what.startswith("Glue job ")]) == len(jobs)
    assert len([line for line in result.lines if line.what.startswith("Glue crawler ")]) == 2
    assert any(line.what.startswith("Secrets Manager") for line in result.lines)


# --- what Terraform refuses at plan time ----------------------------------------------------------------


def plan_prepared_root(
    emulator: launcher.Emulator, work_dir: Path, env_name: str, *args: str
) -> subprocess.CompletedProcess[str]:
    """terraform plan in the root module copy `make plan ENV=...` prepared, without its example values."""
    root = work_dir / "tree" / "infra" / "terraform" / "envs" / env_name
    env = without_credentials(
        emulator,
        TF_DATA_DIR=str(work_dir / ".terraform"),
        TF_CLI_CONFIG_FILE=str(REPO_ROOT / ".local" / "terraform" / "cli.tfrc"),
    )
    return subprocess.run(
        ["terraform", f"-chdir={root}", "plan", "-input=false", "-lock=false", "-no-color", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def prod_root(plan_env: PlanEnv) -> Path:
    """The work dir of prod's plan: its root module copy is initialised against the emulator."""
    return plan_env("prod")[0]


def one_line(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


def test_prod_tfvars_placeholders_are_refused_naming_the_variable(
    aws_endpoint: launcher.Emulator, prod_root: Path
) -> None:
    run = plan_prepared_root(aws_endpoint, prod_root, "prod")
    errors = one_line(run.stderr)
    assert run.returncode != 0
    assert (
        "hardening.replication_destination_bucket_arn must be the ARN of the bucket envs/bootstrap made"
        in errors
    )
    assert "hardening.replication_destination_kms_key_arn must be a KMS key ARN" in errors
    assert "<account-id>" in errors


def test_an_alias_arn_where_iam_needs_a_key_arn_is_refused(
    aws_endpoint: launcher.Emulator, prod_root: Path, tmp_path: Path
) -> None:
    hardening = {
        "replication": True,
        "replication_destination_bucket_arn": "arn:aws:s3:::ecomdwh-prod-dr-123456789012",
        "replication_destination_kms_key_arn": "arn:aws:kms:us-west-2:123456789012:alias/ecomdwh-prod-dr",
    }
    var_file = tmp_path / "alias.tfvars.json"
    var_file.write_text(json.dumps({"hardening": hardening}))
    run = plan_prepared_root(aws_endpoint, prod_root, "prod", f"-var-file={var_file}")
    errors = one_line(run.stderr)
    assert run.returncode != 0
    assert (
        "hardening.replication_destination_kms_key_arn must be a KMS key ARN" in errors
        and "not an alias ARN" in errors
    )
    assert "replication_destination_bucket_arn must" not in errors  # the bucket ARN is fine


SERVERLESS_ROOT = """
provider "aws" {{
  region                      = "us-east-1"
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 2
}}

module "redshift" {{
  source                    = "{module}"
  name                      = "azs"
  deployment                = "serverless"
  subnet_ids                = {subnets}
  subnet_availability_zones = {azs}
  security_group_id         = "sg-1"
  kms_key_arn               = "arn:aws:kms:us-east-1:123456789012:key/1"
  secrets_kms_key_arn       = "arn:aws:kms:us-east-1:123456789012:key/2"
  iam_role_arn              = "arn:aws:iam::123456789012:role/r"
  audit_log_bucket          = "logs"
}}
"""


@pytest.fixture(scope="module")
def terraform_cli_config(prod_root: Path) -> Path:
    """The provider mirror configuration scripts/terraform.sh wrote (offline init), for plain terraform runs."""
    return REPO_ROOT / ".local" / "terraform" / "cli.tfrc"


@pytest.mark.parametrize(
    ("azs", "refused"),
    [(["us-east-1a", "us-east-1b", "us-east-1a"], True), (["us-east-1a", "us-east-1b", "us-east-1c"], False)],
)
def test_a_serverless_workgroup_in_fewer_than_three_azs_is_refused_at_plan(
    aws_endpoint: launcher.Emulator, terraform_cli_config: Path, tmp_path: Path, azs: list[str], refused: bool
) -> None:
    module = REPO_ROOT / "infra" / "terraform" / "modules" / "redshift"
    subnets = [f"subnet-{i}" for i in range(len(azs))]
    (tmp_path / "main.tf").write_text(
        SERVERLESS_ROOT.format(module=module, subnets=json.dumps(subnets), azs=json.dumps(azs))
    )
    env = without_credentials(
        aws_endpoint,
        TF_DATA_DIR=str(tmp_path / ".terraform"),
        TF_CLI_CONFIG_FILE=str(terraform_cli_config),
    )
    init = subprocess.run(
        ["terraform", f"-chdir={tmp_path}", "init", "-input=false"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert init.returncode == 0, init.stderr
    run = subprocess.run(
        ["terraform", f"-chdir={tmp_path}", "plan", "-input=false", "-no-color"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = one_line(run.stderr)
    if refused:
        assert run.returncode != 0
        assert (
            "needs subnets in at least 3 availability zones; subnet_ids span 2 (us-east-1a, us-east-1b)"
            in errors
        )
    else:
        assert run.returncode == 0, errors


def test_the_serverless_namespace_role_trusts_redshift_serverless(plan_env: PlanEnv) -> None:
    plan = plan_checks.load_plan(plan_env("dev")[0] / "plan.json")
    assert plan_checks.of_type(plan, "aws_redshiftserverless_namespace"), "dev is meant to deploy Serverless"
    [role] = [
        r for r in plan_checks.of_type(plan, "aws_iam_role") if r.values["name"] == "ecomdwh-dev-redshift"
    ]
    trusted = {
        service
        for statement in json.loads(role.values["assume_role_policy"])["Statement"]
        for service in (lambda s: [s] if isinstance(s, str) else s)(statement["Principal"]["Service"])
    }
    assert trusted == {"redshift.amazonaws.com", "redshift-serverless.amazonaws.com"}
