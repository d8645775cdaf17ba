output "bucket_names" {
  description = "Bucket name per purpose; export as ECOMDWH_<PURPOSE>_BUCKET for TARGET=aws."
  value       = module.ecomdwh.bucket_names
}

output "state_machine_arn" {
  description = "ARN of the pipeline state machine."
  value       = module.ecomdwh.state_machine_arn
}

output "glue_job_names" {
  description = "ETL job names."
  value       = module.ecomdwh.glue_job_names
}

output "glue_job_runtime" {
  description = "Per job script: what Terraform gives the Glue runtime (read by scripts/plan_checks.py)."
  value       = module.ecomdwh.glue_job_runtime
}

output "redshift_cluster_identifier" {
  description = "Cluster identifier (provisioned)."
  value       = module.ecomdwh.redshift_cluster_identifier
}

output "redshift_workgroup_name" {
  description = "Workgroup name (serverless)."
  value       = module.ecomdwh.redshift_workgroup_name
}

output "alerts_topic_arn" {
  description = "SNS topic of pipeline alerts."
  value       = module.ecomdwh.alerts_topic_arn
}
