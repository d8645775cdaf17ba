output "glue_job_names" {
  description = "Job names by script: etl/jobs/<script>.py => job name."
  value       = { for key, file in local.jobs : trimsuffix(file, ".py") => aws_glue_job.this[key].name }
}

output "glue_crawler_names" {
  description = "Crawler name per layer: raw, processed."
  value       = { for layer, crawler in aws_glue_crawler.this : layer => crawler.name }
}

output "glue_database_names" {
  description = "Catalog database name per layer: raw, processed."
  value       = { for layer, database in aws_glue_catalog_database.this : layer => database.name }
}
