variable "name_prefix" {
  description = "Prefix of every alias, e.g. ecomdwh-dev (aliases become alias/<prefix>-<purpose>)."
  type        = string
}

variable "purposes" {
  description = "One customer-managed key per purpose."
  type        = set(string)
  default     = ["s3", "redshift", "logs", "sns", "secrets"]
}

variable "deletion_window_in_days" {
  description = "Waiting period before a destroyed key is deleted (7-30 days)."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every key."
  type        = map(string)
  default     = {}
}
