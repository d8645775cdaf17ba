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

# A Glue job's default_arguments are wholly unknown in a plan once one value is (the provider cannot plan a
# partly known map), so this shows a plan what each job gets: scripts/plan_checks.py reads it.
output "glue_job_runtime" {
  description = "Per job script: job name, script location, the arguments known at plan time (incl. --extra-py-files) and the names of those known only after apply."
  value = { for key, file in local.jobs : trimsuffix(file, ".py") => {
    job_name                 = aws_glue_job.this[key].name
    script_location          = aws_glue_job.this[key].command[0].script_location
    arguments                = local.planned_arguments
    arguments_known_at_apply = sort(keys(var.job_arguments))
  } }
}
