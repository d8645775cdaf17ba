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
  description = "Wait between status polls of crawlers and job runs."
  type        = number
  default     = 30

  validation {
    condition     = var.poll_seconds >= 1
    error_message = "poll_seconds must be at least 1 (a Wait state's Seconds)."
  }
}

variable "crawler_timeout_seconds" {
  description = "Longest wait for a crawl to end; then the execution fails (CrawlerTimedOut), counted and notified."
  type        = number
  default     = 3600
}

variable "job_run_timeout_seconds" {
  description = "Longest wait for a Glue job run to end; then the execution fails (GlueJobTimedOut), counted and notified. Longer than the Glue jobs' own Timeout (60 min), which stops the run itself."
  type        = number
  default     = 5400
}

variable "statement_timeout_seconds" {
  description = "Longest wait for the run-recording Redshift Data statement to end (polled every second)."
  type        = number
  default     = 300
}

variable "api_timeout_seconds" {
  description = "TimeoutSeconds of every service call (Task state); a call that takes longer is retried, then fails the execution."
  type        = number
  default     = 60
}

variable "execution_timeout_seconds" {
  description = "TimeoutSeconds of the whole execution: a backstop longer than every loop's own timeout, so those fail (and notify) first."
  type        = number
  default     = 86400
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
