variable "bucket_name_prefix" {
  description = "Bucket names are <prefix>-<purpose>, e.g. ecomdwh-local-raw or ecomdwh-dev-123456789012-raw."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer-managed key for SSE-KMS on the raw, processed and scripts buckets."
  type        = string
}

variable "raw_transition_to_ia_days" {
  description = "Days after which raw objects move to STANDARD_IA."
  type        = number
  default     = 30
}

variable "raw_expiration_days" {
  description = "Days after which raw objects expire (processed data stays the source of truth)."
  type        = number
  default     = 365
}

variable "log_expiration_days" {
  description = "Days after which access and audit logs expire."
  type        = number
  default     = 400
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which overwritten or deleted object versions are removed."
  type        = number
  default     = 30
}

variable "lifecycle_rules_enabled" {
  description = "Lifecycle rules (expire noncurrent versions and incomplete uploads; raw to IA, then expire). Off only on an emulator, where nothing ever expires."
  type        = bool
  default     = true
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete non-empty buckets (local and dev only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every bucket."
  type        = map(string)
  default     = {}
}
