variable "name" {
  description = "Workflow name; its triggers are named <name>-<step>."
  type        = string
}

variable "raw_crawler_name" {
  description = "Crawler of the raw bucket: the workflow's first action."
  type        = string
}

variable "etl_job_names" {
  description = "ETL jobs started, in parallel, once the raw crawl succeeds."
  type        = list(string)

  validation {
    condition     = length(var.etl_job_names) > 0
    error_message = "etl_job_names is empty: pass the Glue job names (module glue's glue_job_names output)."
  }
}

variable "processed_crawler_name" {
  description = "Crawler of the processed bucket, started once every ETL job succeeded."
  type        = string
}

variable "schedule" {
  description = "Cron of the start trigger, in UTC (02:00), used when schedule_enabled is true."
  type        = string
  default     = "cron(0 2 * * ? *)"
}

variable "schedule_enabled" {
  description = "Whether the schedule fires. Off by default: the Step Functions pipeline is the scheduled daily path, and both scheduled would crawl and transform the same day twice. Off keeps the workflow runnable on demand (StartWorkflowRun)."
  type        = bool
  default     = false
}

variable "default_run_properties" {
  description = "Run properties every workflow run starts with (readable by jobs via GetWorkflowRunProperties)."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
