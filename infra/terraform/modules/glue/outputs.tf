output "glue_job_names" {
  description = "ETL job names, one per etl/jobs/*.py file."
  value       = [for job in aws_glue_job.this : job.name]
}

output "glue_crawler_names" {
  description = "Crawler name per layer: raw, processed."
  value       = { for layer, crawler in aws_glue_crawler.this : layer => crawler.name }
}

output "glue_database_names" {
  description = "Catalog database name per layer: raw, processed."
  value       = { for layer, database in aws_glue_catalog_database.this : layer => database.name }
}
