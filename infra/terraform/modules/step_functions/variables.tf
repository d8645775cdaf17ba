variable "name" {
  description = "State machine name (also the Pipeline dimension of its metrics)."
  type        = string
}

variable "role_arn" {
  description = "Role the state machine runs as."
  type        = string
}

variable "etl_job_names" {
  description = "Glue jobs run in parallel between the two crawls (raw to processed)."
  type        = list(string)
}

variable "warehouse_job_names" {
  description = "Glue jobs run one after another after the processed crawl (warehouse load, then data quality)."
  type        = list(string)
}

variable "raw_crawler_name" {
  description = "Crawler of the raw layer, run first."
  type        = string
}

variable "processed_crawler_name" {
  description = "Crawler of the processed layer, run after the jobs."
  type        = string
}

variable "redshift_target" {
  description = "Redshift Data target: a cluster identifier (provisioned) or a workgroup name (serverless)."
  type = object({
    cluster_identifier = optional(string)
    workgroup_name     = optional(string)
  })

  validation {
    condition     = (var.redshift_target.cluster_identifier == null) != (var.redshift_target.workgroup_name == null)
    error_message = "Set exactly one of cluster_identifier and workgroup_name."
  }
}

variable "database" {
  description = "Redshift database the warehouse SQL runs in."
  type        = string
}

variable "secret_arn" {
  description = "Secrets Manager secret Redshift Data authenticates with."
  type        = string
}

variable "metric_namespace" {
  description = "CloudWatch namespace of the run metrics."
  type        = string
}

variable "alerts_topic_arn" {
  description = "SNS topic notified on success and failure."
  type        = string
}

variable "poll_seconds" {
  description = "Wait between status polls of crawlers, job runs and SQL batches."
  type        = number
  default     = 30
}

variable "log_group_arn" {
  description = "CloudWatch log group receiving the execution history."
  type        = string
}

variable "tags" {
  description = "Tags added to the state machine."
  type        = map(string)
  default     = {}
}
