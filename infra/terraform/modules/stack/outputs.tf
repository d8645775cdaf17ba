output "bucket_names" {
  description = "Bucket name per purpose; export as ECOMDWH_<PURPOSE>_BUCKET for the AWS target."
  value       = module.s3.s3_bucket_names
}

output "state_machine_arn" {
  description = "ARN of the pipeline state machine."
  value       = module.step_functions.step_functions_state_machine_arn
}

output "glue_job_names" {
  description = "ETL job names, one per etl/jobs/*.py file."
  value       = module.glue.glue_job_names
}

output "glue_job_runtime" {
  description = "Per job script: what Terraform gives the Glue runtime (read by scripts/plan_checks.py)."
  value       = module.glue.glue_job_runtime
}

output "glue_crawler_names" {
  description = "Crawler name per layer."
  value       = module.glue.glue_crawler_names
}

output "glue_database_names" {
  description = "Catalog database name per layer."
  value       = module.glue.glue_database_names
}

output "redshift_cluster_identifier" {
  description = "Cluster identifier (provisioned) for Redshift Data calls."
  value       = module.redshift.redshift_cluster_identifier
}

output "redshift_workgroup_name" {
  description = "Workgroup name (serverless) for Redshift Data calls."
  value       = module.redshift.redshift_workgroup_name
}

output "redshift_database_name" {
  description = "Warehouse database."
  value       = module.redshift.redshift_database_name
}

output "redshift_admin_secret_arn" {
  description = "Redshift-managed admin secret."
  value       = module.redshift.redshift_admin_secret_arn
}

output "alerts_topic_arn" {
  description = "SNS topic of pipeline alerts."
  value       = module.monitoring.monitoring_alerts_topic_arn
}

output "glue_workflow_name" {
  description = "Glue workflow of the Glue-native orchestration path (StartWorkflowRun)."
  value       = module.glue_workflow.glue_workflow_name
}

output "raw_validation_function_name" {
  description = "Lambda validating new raw objects; null when deployed without it."
  value       = one(module.raw_validation[*].raw_validation_function_name)
}
