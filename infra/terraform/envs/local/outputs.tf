output "bucket_names" {
  description = "Bucket name per purpose (what ecomdwh.config.bucket() expects locally)."
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

output "glue_crawler_names" {
  description = "Crawler name per layer."
  value       = module.ecomdwh.glue_crawler_names
}

output "redshift_cluster_identifier" {
  description = "Redshift cluster identifier."
  value       = module.ecomdwh.redshift_cluster_identifier
}

output "alerts_topic_arn" {
  description = "SNS topic of pipeline alerts."
  value       = module.ecomdwh.alerts_topic_arn
}
