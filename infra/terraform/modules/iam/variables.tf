variable "name_prefix" {
  description = "Prefix of every role, and of the jobs, crawlers, cluster and state machine the roles may touch."
  type        = string
}

variable "bucket_arns" {
  description = "Bucket ARN per purpose: raw, processed, scripts, logs."
  type        = map(string)
}

variable "kms_key_arns" {
  description = "Key ARN per purpose: s3, redshift, logs, sns, secrets."
  type        = map(string)
}

variable "glue_database_names" {
  description = "Glue catalog database name per layer: raw, processed."
  type        = map(string)
}

variable "state_machine_name" {
  description = "Name of the pipeline state machine EventBridge may start."
  type        = string
}

variable "alerts_topic_name" {
  description = "Name of the SNS topic the pipeline publishes to."
  type        = string
}

variable "metric_namespace" {
  description = "CloudWatch namespace the pipeline and jobs publish their own metrics in."
  type        = string
}

variable "tags" {
  description = "Tags added to every role."
  type        = map(string)
  default     = {}
}
