variable "name_prefix" {
  description = "Prefix of the topic, alarms, dashboard, log groups and schedule."
  type        = string
}

variable "state_machine_arn" {
  description = "Pipeline state machine: scheduled, watched and charted."
  type        = string
}

variable "state_machine_name" {
  description = "Pipeline state machine name (the Pipeline dimension of the run metrics)."
  type        = string
}

variable "scheduler_role_arn" {
  description = "Role EventBridge starts the state machine with."
  type        = string
}

variable "metric_namespace" {
  description = "Namespace of the pipeline's own metrics (PipelineRunsFailed, EtlJobFailures, DataQualityFailures)."
  type        = string
}

variable "alert_email" {
  description = "Email address subscribed to the alerts topic; null for none."
  type        = string
  default     = null
}

variable "schedule_expression" {
  description = "When the pipeline runs (EventBridge, UTC): 03:00."
  type        = string
  default     = "cron(0 3 * * ? *)"
}

variable "schedule_enabled" {
  description = "Whether the schedule starts the pipeline."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of the log groups."
  type        = number
  default     = 365
}

variable "kms_key_arns" {
  description = "Key ARN per purpose; uses logs and sns."
  type        = map(string)
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
