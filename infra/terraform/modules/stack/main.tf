data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  name_prefix        = "ecomdwh-${var.environment}"
  bucket_name_prefix = coalesce(var.bucket_name_prefix, "${local.name_prefix}-${data.aws_caller_identity.current.account_id}")
  metric_namespace   = "ecomdwh"
  names = {
    state_machine = "${local.name_prefix}-pipeline"
    alerts_topic  = "${local.name_prefix}-alerts"
    redshift      = "${local.name_prefix}-warehouse"
  }
  glue_database_names = {
    raw       = "ecomdwh_${var.environment}_raw"
    processed = "ecomdwh_${var.environment}_processed"
  }
  tags = merge(var.tags, { Project = "ecomdwh", Environment = var.environment, ManagedBy = "terraform" })
  # etl/jobs scripts that run after the processed crawl, in this order; every other script is an ETL job.
  warehouse_job_scripts = ["load_warehouse", "data_quality"]
}

module "kms" {
  source = "../kms"

  name_prefix             = local.name_prefix
  deletion_window_in_days = var.ephemeral ? 7 : 30
  tags                    = local.tags
}

module "s3" {
  source = "../s3"

  bucket_name_prefix      = local.bucket_name_prefix
  kms_key_arn             = module.kms.kms_key_arns["s3"]
  lifecycle_rules_enabled = var.lifecycle_rules_enabled
  force_destroy           = var.ephemeral
  tags                    = local.tags
}

module "vpc" {
  source = "../vpc"

  name                = local.name_prefix
  flow_log_bucket_arn = module.s3.s3_bucket_arns["logs"]
  tags                = local.tags
}

module "iam" {
  source = "../iam"

  name_prefix         = local.name_prefix
  bucket_arns         = module.s3.s3_bucket_arns
  kms_key_arns        = module.kms.kms_key_arns
  glue_database_names = local.glue_database_names
  state_machine_name  = local.names.state_machine
  alerts_topic_name   = local.names.alerts_topic
  metric_namespace    = local.metric_namespace
  tags                = local.tags
}

module "glue" {
  source = "../glue"

  name_prefix      = local.name_prefix
  database_names   = local.glue_database_names
  bucket_names     = module.s3.s3_bucket_names
  job_role_arn     = module.iam.iam_role_arns["glue-job"]
  crawler_role_arn = module.iam.iam_role_arns["glue-crawler"]
  kms_key_arns     = module.kms.kms_key_arns
  etl_jobs_dir     = var.etl_jobs_dir
  python_libs_zip  = var.python_libs_zip
  # The warehouse jobs' Redshift target (cluster or workgroup, whichever is deployed) and alerting.
  # Chosen by the deployment variable, not by filtering nulls: a filter over values known only after
  # apply would make the whole map unknown in the plan, hiding --extra-py-files from the plan checks.
  job_arguments = merge(
    var.redshift_deployment == "provisioned"
    ? { "--redshift_cluster_id" = module.redshift.redshift_cluster_identifier }
    : { "--redshift_workgroup" = module.redshift.redshift_workgroup_name },
    {
      "--redshift_database"   = module.redshift.redshift_database_name
      "--redshift_secret_arn" = module.redshift.redshift_admin_secret_arn
      "--copy_role_arn"       = module.iam.iam_role_arns["redshift"]
      # Built from the name: the topic's module depends on the state machine, which depends on these jobs.
      "--alerts_topic_arn" = "arn:${data.aws_partition.current.partition}:sns:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${local.names.alerts_topic}"
      "--metric_namespace" = local.metric_namespace
      # The Pipeline dimension of DataQualityFailures: the name the monitoring module's alarm watches.
      "--pipeline_name" = local.names.state_machine
    },
  )
  tags = local.tags
}

module "redshift" {
  source = "../redshift"

  name                      = local.names.redshift
  deployment                = var.redshift_deployment
  number_of_nodes           = var.redshift_number_of_nodes
  subnet_ids                = module.vpc.vpc_private_subnet_ids
  subnet_availability_zones = module.vpc.vpc_private_subnet_azs
  security_group_id         = module.vpc.vpc_redshift_security_group_id
  kms_key_arn               = module.kms.kms_key_arns["redshift"]
  secrets_kms_key_arn       = module.kms.kms_key_arns["secrets"]
  iam_role_arn              = module.iam.iam_role_arns["redshift"]
  audit_log_bucket          = module.s3.s3_bucket_names["logs"]
  skip_final_snapshot       = var.ephemeral
  tags                      = local.tags

  # Redshift checks it may write audit logs when logging is enabled.
  depends_on = [module.s3]
}

module "step_functions" {
  source = "../step_functions"

  name                   = local.names.state_machine
  role_arn               = module.iam.iam_role_arns["pipeline"]
  etl_job_names          = [for script, job in module.glue.glue_job_names : job if !contains(local.warehouse_job_scripts, script)]
  warehouse_job_names    = [for script in local.warehouse_job_scripts : module.glue.glue_job_names[script]]
  raw_crawler_name       = module.glue.glue_crawler_names["raw"]
  processed_crawler_name = module.glue.glue_crawler_names["processed"]
  redshift_target = {
    cluster_identifier = module.redshift.redshift_cluster_identifier
    workgroup_name     = module.redshift.redshift_workgroup_name
  }
  database         = module.redshift.redshift_database_name
  secret_arn       = module.redshift.redshift_admin_secret_arn
  metric_namespace = local.metric_namespace
  alerts_topic_arn = module.monitoring.monitoring_alerts_topic_arn
  poll_seconds     = var.poll_seconds
  log_group_arn    = module.monitoring.monitoring_pipeline_log_group_arn
  tags             = local.tags
}

module "monitoring" {
  source = "../monitoring"

  name_prefix        = local.name_prefix
  state_machine_arn  = module.step_functions.step_functions_state_machine_arn
  state_machine_name = local.names.state_machine
  scheduler_role_arn = module.iam.iam_role_arns["scheduler"]
  metric_namespace   = local.metric_namespace
  alert_email        = var.alert_email
  schedule_enabled   = var.schedule_enabled
  kms_key_arns       = module.kms.kms_key_arns
  tags               = local.tags
}

module "hardening" {
  source = "../hardening"

  name_prefix                         = local.name_prefix
  enable_cloudtrail                   = var.hardening.cloudtrail
  enable_config                       = var.hardening.config
  enable_guardduty                    = var.hardening.guardduty
  enable_security_hub                 = var.hardening.security_hub
  enable_backup                       = var.hardening.backup
  enable_replication                  = var.hardening.replication
  logs_bucket_name                    = module.s3.s3_bucket_names["logs"]
  kms_key_arns                        = module.kms.kms_key_arns
  backup_resource_arns                = [module.s3.s3_bucket_arns["raw"], module.s3.s3_bucket_arns["processed"]]
  replication_source_bucket           = module.s3.s3_bucket_names["processed"]
  replication_destination_bucket_arn  = var.hardening.replication_destination_bucket_arn
  replication_destination_kms_key_arn = var.hardening.replication_destination_kms_key_arn
  adopt_config_service_linked_role    = var.hardening.adopt_config_service_linked_role
  adopt_guardduty_detector            = var.hardening.adopt_guardduty_detector
  adopt_security_hub_account          = var.hardening.adopt_security_hub_account
  tags                                = local.tags
}

# S3 ObjectCreated on the raw bucket -> contract checks; failures move to rejected/ (modules/raw_validation).
module "raw_validation" {
  source = "../raw_validation"
  count  = var.raw_validation_package == null ? 0 : 1

  function_name      = "${local.name_prefix}-raw-validation"
  package_path       = var.raw_validation_package
  raw_bucket_name    = module.s3.s3_bucket_names["raw"]
  bucket_kms_key_arn = module.kms.kms_key_arns["s3"]
  logs_kms_key_arn   = module.kms.kms_key_arns["logs"]
  alarm_topic_arn    = module.monitoring.monitoring_alerts_topic_arn
  tags               = local.tags
}

# The Glue-native orchestration path: raw crawl -> raw_to_processed -> processed crawl (modules/glue_workflow).
# On demand by default; the Step Functions pipeline is the scheduled daily path (infra/README.md).
module "glue_workflow" {
  source = "../glue_workflow"

  name                   = "${local.name_prefix}-daily"
  raw_crawler_name       = module.glue.glue_crawler_names["raw"]
  etl_job_names          = [module.glue.glue_job_names["raw_to_processed"]]
  processed_crawler_name = module.glue.glue_crawler_names["processed"]
  schedule_enabled       = var.glue_workflow_schedule_enabled
  tags                   = local.tags
}
