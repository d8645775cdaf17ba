variable "environment" {
  description = "Environment name: local, dev, staging or prod."
  type        = string
}

variable "bucket_name_prefix" {
  description = "Bucket name prefix; null derives ecomdwh-<env>-<account id> (globally unique). Local uses ecomdwh-local."
  type        = string
  default     = null
}

variable "etl_jobs_dir" {
  description = "Folder of the Glue job entrypoints (the repository's etl/jobs)."
  type        = string
}

variable "python_libs_zip" {
  description = "Zip of the project's Python packages for --extra-py-files (built by scripts/terraform.sh); null to omit."
  type        = string
  default     = null
}

variable "redshift_deployment" {
  description = "provisioned or serverless."
  type        = string
  default     = "provisioned"
}

variable "redshift_number_of_nodes" {
  description = "Nodes of the provisioned ra3.xlplus cluster."
  type        = number
  default     = 1
}

variable "lifecycle_rules_enabled" {
  description = "S3 lifecycle rules on the buckets (see the s3 module); off only on an emulator."
  type        = bool
  default     = true
}

variable "poll_seconds" {
  description = "Wait between status polls in the pipeline."
  type        = number
  default     = 30
}

variable "alert_email" {
  description = "Email subscribed to the alerts topic; null for none."
  type        = string
  default     = null
}

variable "schedule_enabled" {
  description = "Whether EventBridge starts the Step Functions pipeline (the full daily path: ETL, warehouse, data quality) daily at 03:00 UTC."
  type        = bool
  default     = true
}

variable "glue_workflow_schedule_enabled" {
  description = "Whether the Glue workflow (raw crawl, ETL, processed crawl only) also runs on its own 02:00 UTC schedule. Off: it repeats the pipeline's crawls and ETL, and an overrunning run makes the pipeline's StartJobRun fail (max_concurrent_runs = 1). Opt in only with schedule_enabled = false."
  type        = bool
  default     = false
}

variable "ephemeral" {
  description = "Let destroy remove non-empty buckets, skip the final Redshift snapshot and use short KMS deletion windows."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}

variable "hardening" {
  description = "Account-level protections (modules/hardening): off in local and dev, on in prod."
  type = object({
    cloudtrail                          = optional(bool, false)
    config                              = optional(bool, false)
    guardduty                           = optional(bool, false)
    security_hub                        = optional(bool, false)
    backup                              = optional(bool, false)
    replication                         = optional(bool, false)
    replication_destination_bucket_arn  = optional(string)
    replication_destination_kms_key_arn = optional(string)
    adopt_config_service_linked_role    = optional(bool, false)
    adopt_guardduty_detector            = optional(bool, false)
    adopt_security_hub_account          = optional(bool, false)
  })
  default = {}
}

variable "raw_validation_package" {
  description = "Zip of the raw validation Lambda (lambdas/raw_validation, built by scripts/terraform.sh); null to deploy without it."
  type        = string
  default     = null
}
