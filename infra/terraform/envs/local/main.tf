provider "aws" {
  region                      = var.region
  access_key                  = "test"
  secret_key                  = "test"
  s3_use_path_style           = true
  skip_credentials_validation = true
  # The account ID is still looked up (the emulator answers STS): resource IDs and ARNs the provider
  # builds from it (Glue catalog, tags, security group references) would differ on every plan without it.
  skip_metadata_api_check = true
  skip_region_validation  = true
  # The default (25 retries with backoff) turns one emulator 500 into a hang of many minutes.
  max_retries = 2

  endpoints {
    cloudwatch         = var.endpoint
    cloudwatchlogs     = var.endpoint
    ec2                = var.endpoint
    events             = var.endpoint
    glue               = var.endpoint
    iam                = var.endpoint
    kms                = var.endpoint
    lambda             = var.endpoint
    redshift           = var.endpoint
    redshiftdata       = var.endpoint
    redshiftserverless = var.endpoint
    s3                 = var.endpoint
    secretsmanager     = var.endpoint
    sfn                = var.endpoint
    sns                = var.endpoint
    sts                = var.endpoint
  }
}

module "ecomdwh" {
  source = "../../modules/stack"

  environment            = "local"
  bucket_name_prefix     = "ecomdwh-local"
  etl_jobs_dir           = "${path.root}/../../../../etl/jobs"
  python_libs_zip        = var.python_libs_zip
  raw_validation_package = var.raw_validation_package
  # The emulator runs the pipeline on demand (make demo); a daily schedule means nothing on a laptop.
  schedule_enabled        = false
  poll_seconds            = 1
  ephemeral               = true
  lifecycle_rules_enabled = var.lifecycle_rules_enabled
}
