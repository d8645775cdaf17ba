variable "environment" {
  description = "Environment name: dev, staging or prod."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be dev, staging or prod."
  }
}

variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "us-east-1"
}

variable "python_libs_zip" {
  description = "Zip of the project's Python packages for --extra-py-files (built by scripts/terraform.sh)."
  type        = string
  default     = null
}

variable "raw_validation_package" {
  description = "Zip of the raw validation Lambda (built by scripts/terraform.sh); null to deploy without it."
  type        = string
  default     = null
}

variable "redshift_deployment" {
  description = "provisioned (ra3.xlplus) or serverless."
  type        = string
  default     = "provisioned"
}

variable "redshift_number_of_nodes" {
  description = "Nodes of the provisioned cluster."
  type        = number
  default     = 1
}

variable "alert_email" {
  description = "Email subscribed to the alerts topic; null for none."
  type        = string
  default     = null
}

variable "hardening" {
  description = "Account-level protections; see modules/hardening."
  type = object({
    cloudtrail                          = optional(bool, false)
    config                              = optional(bool, false)
    guardduty                           = optional(bool, false)
    security_hub                        = optional(bool, false)
    backup                              = optional(bool, false)
    replication                         = optional(bool, false)
    replication_destination_bucket_arn  = optional(string)
    replication_destination_kms_key_arn = optional(string)
  })
  default = {}
}

variable "ephemeral" {
  description = "Allow destroy to drop data (dev only)."
  type        = bool
  default     = false
}
