variable "name_prefix" {
  description = "Prefix of every resource name."
  type        = string
}

variable "enable_cloudtrail" {
  description = "Multi-region CloudTrail trail with log file validation into the logs bucket."
  type        = bool
  default     = false
}

variable "enable_config" {
  description = "AWS Config recorder for all supported resources, delivering to the logs bucket."
  type        = bool
  default     = false
}

variable "enable_guardduty" {
  description = "GuardDuty detector."
  type        = bool
  default     = false
}

variable "enable_security_hub" {
  description = "Security Hub with the AWS Foundational Security Best Practices standard."
  type        = bool
  default     = false
}

variable "enable_backup" {
  description = "AWS Backup vault and daily plan for the data buckets and the Redshift cluster."
  type        = bool
  default     = false
}

variable "enable_replication" {
  description = "Cross-region replication of the processed bucket to replication_destination_bucket_arn."
  type        = bool
  default     = false
}

variable "adopt_config_service_linked_role" {
  description = "Use the account's existing AWSServiceRoleForConfig instead of creating it (it exists once per account)."
  type        = bool
  default     = false
}

variable "adopt_guardduty_detector" {
  description = "Use the region's existing GuardDuty detector (e.g. enabled by the organisation) instead of creating one."
  type        = bool
  default     = false
}

variable "adopt_security_hub_account" {
  description = "Security Hub is already enabled in this account and region (e.g. by the organisation): only subscribe the FSBP standard."
  type        = bool
  default     = false
}

variable "logs_bucket_name" {
  description = "Bucket receiving CloudTrail and Config deliveries."
  type        = string
}

variable "kms_key_arns" {
  description = "Key ARN per purpose; uses logs (trail, vault) and s3 (replication)."
  type        = map(string)
}

variable "backup_resource_arns" {
  description = "Resources the daily backup plan protects."
  type        = list(string)
  default     = []
}

variable "backup_retention_days" {
  description = "Days a backup recovery point is kept."
  type        = number
  default     = 35
}

variable "replication_source_bucket" {
  description = "Name of the bucket replicated to the other region (versioned)."
  type        = string
  default     = null
}

variable "replication_destination_bucket_arn" {
  description = "Versioned bucket in another region (created by envs/bootstrap) receiving the replicas."
  type        = string
  default     = null
}

variable "replication_destination_kms_key_arn" {
  description = "Key in the destination region that encrypts replicas."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
