# Shared by envs/dev, envs/staging and envs/prod (the latter two link here); what differs between
# them is terraform.tfvars and backend.hcl.
provider "aws" {
  region = var.region

  default_tags {
    tags = { Project = "ecomdwh", Environment = var.environment }
  }
}

module "ecomdwh" {
  source = "../../modules/stack"

  environment              = var.environment
  etl_jobs_dir             = "${path.root}/../../../../etl/jobs"
  python_libs_zip          = var.python_libs_zip
  raw_validation_package   = var.raw_validation_package
  redshift_deployment      = var.redshift_deployment
  redshift_number_of_nodes = var.redshift_number_of_nodes
  alert_email              = var.alert_email
  hardening                = var.hardening
  ephemeral                = var.ephemeral
}
