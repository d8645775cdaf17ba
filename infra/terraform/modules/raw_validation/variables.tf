variable "function_name" {
  description = "Name of the validation Lambda function (also its log group /aws/lambda/<name> and IAM role)."
  type        = string
}

variable "package_path" {
  description = "Path of the function zip built by `make package-lambdas` (lambdas/raw_validation/package.py)."
  type        = string
}

variable "raw_bucket_name" {
  description = "Raw landing bucket: its ObjectCreated events invoke the function, which may move objects to rejected/."
  type        = string
}

variable "bucket_kms_key_arn" {
  description = "KMS key of the raw bucket's SSE-KMS encryption, which the function reads and writes with; null for SSE-S3."
  type        = string
  default     = null
}

variable "logs_kms_key_arn" {
  description = "KMS key encrypting the function's log group; null for CloudWatch's default encryption."
  type        = string
  default     = null
}

variable "alarm_topic_arn" {
  description = "SNS topic the errors alarm notifies (the stack's alerts topic)."
  type        = string
}

variable "max_object_bytes" {
  description = "Largest raw object accepted; larger ones are rejected (RAW_VALIDATION_MAX_BYTES)."
  type        = number
  default     = 5368709120
}

variable "timeout_seconds" {
  description = "Function timeout: one invocation samples 64 KiB of one object and may copy it to rejected/."
  type        = number
  default     = 60
}

variable "memory_mb" {
  description = "Function memory."
  type        = number
  default     = 256
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) the validation; -1 for none. None by default: a new account's concurrency quota is 10 and Lambda keeps 10 unreserved, so any reservation fails there. Set it once the account's quota is raised."
  type        = number
  default     = -1
}

variable "log_retention_days" {
  description = "Retention of the function's log group."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
