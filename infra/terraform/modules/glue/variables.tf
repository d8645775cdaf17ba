variable "name_prefix" {
  description = "Prefix of every job, crawler, connection and security configuration name."
  type        = string
}

variable "database_names" {
  description = "Catalog database name per layer: raw, processed."
  type        = map(string)
}

variable "bucket_names" {
  description = "Bucket name per purpose: raw, processed, scripts."
  type        = map(string)
}

variable "job_role_arn" {
  description = "Role the ETL jobs run as."
  type        = string
}

variable "crawler_role_arn" {
  description = "Role the crawlers run as."
  type        = string
}

variable "kms_key_arns" {
  description = "Key ARN per purpose; uses s3 (job output, bookmarks) and logs (job logs)."
  type        = map(string)
}

variable "etl_jobs_dir" {
  description = "Folder of the job entrypoints (etl/jobs); one Glue job per *.py file except __init__.py."
  type        = string
}

variable "python_libs_zip" {
  description = "Zip of the project's Python packages, uploaded and passed as --extra-py-files; null to omit."
  type        = string
  default     = null
}

variable "worker_type" {
  description = "Glue worker type."
  type        = string
  default     = "G.1X"
}

variable "number_of_workers" {
  description = "Workers per job run."
  type        = number
  default     = 2
}

variable "job_timeout_minutes" {
  description = "A job run longer than this is stopped and fails."
  type        = number
  default     = 60
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "job_arguments" {
  description = "Extra default arguments of every job (`--name` => value), e.g. the warehouse jobs' Redshift target."
  type        = map(string)
  default     = {}
}
