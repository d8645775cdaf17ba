#!/usr/bin/env bash
# Terraform front end for the Makefile: finds terraform and the provider mirror, then runs
# init/plan/apply/destroy of infra/terraform/envs/<env>, or the static checks.
#
#   scripts/terraform.sh deploy|plan|destroy|output   TARGET=local (default) or TARGET=aws ENV=dev|staging|prod
#   scripts/terraform.sh plan|cost                    TARGET=local ENV=dev|staging|prod: that AWS env planned
#                                                     against the emulator, no credentials (example values)
#   scripts/terraform.sh cost                         the plan's monthly estimate (scripts/cost_estimate.py)
#   scripts/terraform.sh check                        fmt -check, validate every env, checkov
#   scripts/terraform.sh plan -detailed-exitcode      extra arguments go to terraform plan (exit 2: changes)
#   scripts/terraform.sh cli-config                   prints the CLI config file that installs providers from
#                                                     the mirror (empty: no mirror, the registry as usual)
#
# Environment: TF_PROVIDER_MIRROR (a filesystem mirror holding registry.terraform.io/...; found by search
# otherwise), TF_WORK_DIR (local state and plugin dir; default .local/terraform/<env>), AUTO_APPROVE=1
# (no confirmation prompt in AWS), AWS_ENDPOINT_URL (local: else read from .local/emulator/env).
# After plan, $TF_WORK_DIR/tfplan holds the plan and $TF_WORK_DIR/plan.json its `terraform show -json`.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
TF_ROOT=infra/terraform
LOCAL_DIR=$REPO/.local/terraform
TARGET=${TARGET:-local}
ENVIRONMENTS=(local dev staging prod bootstrap)

die() { echo "error: $*" >&2; exit 1; }

require_terraform() {
  command -v terraform >/dev/null 2>&1 && return 0
  cat >&2 <<'MSG'
error: terraform is not installed.
fix:   install Terraform >= 1.5 (tested with 1.11.4): https://developer.hashicorp.com/terraform/install
       e.g. the HashiCorp apt repository: apt-get install terraform
MSG
  exit 1
}

find_provider_mirror() {
  if [ -n "${TF_PROVIDER_MIRROR:-}" ]; then
    [ -d "$TF_PROVIDER_MIRROR/registry.terraform.io" ] \
      || die "TF_PROVIDER_MIRROR=$TF_PROVIDER_MIRROR has no registry.terraform.io folder; point it at the mirror root"
    echo "$TF_PROVIDER_MIRROR"; return 0
  fi
  local root found
  for root in "$HOME/.terraform.d" "$HOME/.local/share/terraform" /usr/local/share/terraform /usr/share/terraform /opt; do
    [ -d "$root" ] || continue
    found=$(find "$root" -maxdepth 7 -path '*/registry.terraform.io/hashicorp/aws/*' \
      -name 'terraform-provider-aws_*' -print -quit 2>/dev/null || true)
    if [ -n "$found" ]; then
      echo "${found%%/registry.terraform.io/*}"; return 0
    fi
  done
}

# With a local mirror, providers come from it (offline); without one, from the registry as usual.
configure_cli() {
  local mirror
  mirror=$(find_provider_mirror)
  if [ -z "$mirror" ]; then
    unset TF_CLI_CONFIG_FILE
    return 0
  fi
  mkdir -p "$LOCAL_DIR"
  cat > "$LOCAL_DIR/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
CFG
  export TF_CLI_CONFIG_FILE="$LOCAL_DIR/cli.tfrc"
}

PLAN_ARGS=()
tf() { terraform -chdir="${TF_CHDIR:-$TF_ROOT/envs/$ENV_NAME}" "$@"; }

emulator_endpoint() {
  if [ -z "${AWS_ENDPOINT_URL:-}" ] && [ -f .local/emulator/env ]; then
    AWS_ENDPOINT_URL=$(sed -n 's/^AWS_ENDPOINT_URL=//p' .local/emulator/env)
  fi
  [ -n "${AWS_ENDPOINT_URL:-}" ] || die "no running emulator (no AWS_ENDPOINT_URL, no .local/emulator/env); start it with \`make local-up\`"
  curl -s -o /dev/null --max-time 3 "$AWS_ENDPOINT_URL" \
    || die "the emulator at $AWS_ENDPOINT_URL does not answer; restart it with \`make local-down local-up\`"
  echo "$AWS_ENDPOINT_URL"
}

init_local() {
  ENV_NAME=local
  WORK_DIR=${TF_WORK_DIR:-$LOCAL_DIR/local}
  mkdir -p "$WORK_DIR"
  export TF_DATA_DIR="$WORK_DIR/.terraform"
  export TF_VAR_endpoint
  TF_VAR_endpoint=$(emulator_endpoint)
  build_packages
  # The emulator accepts any credentials; real ones in the environment must not leak to it.
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_SESSION_TOKEN=
  tf init -input=false -no-color -backend-config="path=$WORK_DIR/terraform.tfstate" >/dev/null
}

# The artefacts Terraform uploads: the Glue --extra-py-files zip and the raw validation Lambda zip.
build_packages() {
  export TF_VAR_python_libs_zip="$WORK_DIR/glue-python-libs.zip"
  .venv/bin/python scripts/build_glue_libs.py "$TF_VAR_python_libs_zip" >/dev/null
  export TF_VAR_raw_validation_package="$WORK_DIR/raw_validation.zip"
  .venv/bin/python -m lambdas.raw_validation.package "$TF_VAR_raw_validation_package" >/dev/null
}

# An AWS environment (dev|staging|prod) planned against the emulator, so every env plans in CI with no
# account. The env's root module is copied with two override files (local state instead of the S3
# backend; the provider pointed at the emulator); modules and etl/ are linked, so what is planned is
# the repository's code. terraform.tfvars is used as written, except that placeholders (<account-id>,
# <...-key-id>) become the emulator's account and an example key id: the example values.
init_emulated() {
  ENV_NAME=$ENV
  WORK_DIR=${TF_WORK_DIR:-$LOCAL_DIR/emulated-$ENV_NAME}
  local root="$WORK_DIR/tree/$TF_ROOT/envs/$ENV_NAME" endpoint account
  endpoint=$(emulator_endpoint)
  rm -rf "$WORK_DIR/tree" && mkdir -p "$root"
  ln -s "$REPO/$TF_ROOT/modules" "$WORK_DIR/tree/$TF_ROOT/modules"
  ln -s "$REPO/etl" "$WORK_DIR/tree/etl"
  cp -L "$TF_ROOT/envs/$ENV_NAME"/*.tf "$TF_ROOT/envs/$ENV_NAME/terraform.tfvars" "$root/"
  cat > "$root/emulator_override.tf" <<HCL
# Written by scripts/terraform.sh (plan of $ENV_NAME against the emulator); never committed.
terraform {
  backend "local" {}
}

provider "aws" {
  s3_use_path_style           = true
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  max_retries                 = 2
}
HCL
  export AWS_ENDPOINT_URL=$endpoint AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_SESSION_TOKEN=
  account=$(.venv/bin/python -c 'import boto3; print(boto3.client("sts", region_name="us-east-1").get_caller_identity()["Account"])')
  sed -e "s/<account-id>/$account/g" -e 's/<[a-z-]*key-id>/0b2c3d4e-1111-4222-8333-944455556666/g' \
    "$TF_ROOT/envs/$ENV_NAME/terraform.tfvars" > "$WORK_DIR/example.tfvars"
  export TF_DATA_DIR="$WORK_DIR/.terraform"
  build_packages
  TF_CHDIR=$root
  tf init -input=false -no-color -backend-config="path=$WORK_DIR/terraform.tfstate" >/dev/null
  PLAN_ARGS=(-var-file="$WORK_DIR/example.tfvars")
}

init_aws() {
  ENV_NAME=${ENV:-}
  case "$ENV_NAME" in
    dev|staging|prod) ;;
    *) die "TARGET=aws needs ENV=dev, ENV=staging or ENV=prod (got '${ENV_NAME}')" ;;
  esac
  [ -z "${AWS_ENDPOINT_URL:-}" ] || die "AWS_ENDPOINT_URL is set ($AWS_ENDPOINT_URL): unset it to deploy to AWS"
  WORK_DIR=${TF_WORK_DIR:-$LOCAL_DIR/$ENV_NAME}
  mkdir -p "$WORK_DIR"
  export TF_DATA_DIR="$WORK_DIR/.terraform"
  if grep -n '<[a-z-]*>' "$TF_ROOT/envs/$ENV_NAME/backend.hcl" >&2; then
    die "$TF_ROOT/envs/$ENV_NAME/backend.hcl still holds a placeholder (above): put in envs/bootstrap's state_bucket output"
  fi
  build_packages
  tf init -input=false -backend-config=backend.hcl
}

confirm() {
  [ "${AUTO_APPROVE:-0}" = 1 ] && return 0
  [ -t 0 ] || die "$1 needs confirmation and stdin is not a terminal; rerun with AUTO_APPROVE=1"
  local answer
  read -r -p "$1 Type the environment name ($ENV_NAME) to go on: " answer
  [ "$answer" = "$ENV_NAME" ] || die "not confirmed; nothing changed"
}

show_outputs() {
  echo "==> outputs ($ENV_NAME)"
  tf output
}

# TARGET=local: envs/local, or with ENV=dev|staging|prod that AWS env against the emulator (plan and cost only).
init_target() {
  case "$TARGET:${ENV:-}" in
    local:dev|local:staging|local:prod)
      [ "$1" = plan ] || die "ENV=$ENV against the emulator is plan-only (make plan|cost ENV=$ENV); deploy the emulator stack with ENV=local"
      init_emulated ;;
    local:*) init_local ;;
    aws:*) init_aws ;;
  esac
}

cmd_plan() {
  init_target plan
  tf plan -input=false -out="$WORK_DIR/tfplan" "${PLAN_ARGS[@]}" "$@"
  tf show -json "$WORK_DIR/tfplan" > "$WORK_DIR/plan.json"
}

print_cost() {
  echo "==> estimated monthly cost of $ENV_NAME, from the plan's billed resources (scripts/cost_estimate.py)"
  .venv/bin/python -m scripts.cost_estimate "$WORK_DIR/plan.json"
}

cmd_cost() {
  cmd_plan "$@" >/dev/null
  print_cost
}

cmd_deploy() {
  cmd_plan
  if [ "$TARGET" = aws ]; then
    print_cost || echo "warning: the estimate above misses resource types it cannot price" >&2
    confirm "Apply this plan to AWS environment $ENV_NAME?"
  fi
  local started=$SECONDS
  tf apply -input=false "$WORK_DIR/tfplan"
  echo "==> applied in $((SECONDS - started)) s"
  show_outputs
}

cmd_destroy() {
  init_target destroy
  if [ "$TARGET" = aws ]; then confirm "Destroy AWS environment $ENV_NAME?"; fi
  tf destroy -input=false -auto-approve
}

cmd_output() {
  init_target output
  show_outputs
}

cmd_check() {
  local status=0 env
  echo "==> terraform fmt -check"
  terraform fmt -check -recursive "$TF_ROOT" || { echo "fix: terraform fmt -recursive $TF_ROOT" >&2; status=1; }
  for env in "${ENVIRONMENTS[@]}"; do
    echo "==> terraform validate envs/$env"
    export TF_DATA_DIR="$LOCAL_DIR/validate/$env"
    terraform -chdir="$TF_ROOT/envs/$env" init -input=false -backend=false -no-color >/dev/null \
      && terraform -chdir="$TF_ROOT/envs/$env" validate -no-color || status=1
  done
  echo "==> checkov (skips carry their reason next to the resource)"
  [ -x .venv-checkov/bin/checkov ] || die "checkov is not installed; run \`make install-checkov\`"
  .venv-checkov/bin/checkov --directory "$TF_ROOT" --framework terraform --quiet --compact \
    --skip-download --download-external-modules false || status=1
  return $status
}

cmd_cli-config() {
  echo "${TF_CLI_CONFIG_FILE:-}"
}

# Parsed whole before it runs (a function), so editing this file mid-run cannot derail a running apply.
main() {
  case "${1:-}" in
    plan|cost|deploy|destroy|output|check|cli-config) ;;
    *) die "usage: scripts/terraform.sh plan|cost|deploy|destroy|output|check|cli-config (TARGET=local|aws, ENV=local|dev|staging|prod)" ;;
  esac
  case "$TARGET" in
    local|aws) ;;
    *) die "TARGET=$TARGET: use TARGET=local or TARGET=aws" ;;
  esac
  require_terraform
  configure_cli
  local subcommand=$1
  shift
  "cmd_$subcommand" "$@"
}

main "$@"
exit $?
