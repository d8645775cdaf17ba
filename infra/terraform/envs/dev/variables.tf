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
    adopt_config_service_linked_role    = optional(bool, false)
    adopt_guardduty_detector            = optional(bool, false)
    adopt_security_hub_account          = optional(bool, false)
  })
  default = {}

  # What AWS would refuse only deep in plan or apply, refused here with the variable's name.
  validation {
    condition = !var.hardening.replication || can(regex(
      "^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.hardening.replication_destination_bucket_arn
    ))
    error_message = "hardening.replication_destination_bucket_arn must be the ARN of the bucket envs/bootstrap made (its dr_bucket_arn output), arn:aws:s3:::ecomdwh-prod-dr-<12-digit account id>; got ${jsonencode(var.hardening.replication_destination_bucket_arn)}. Replace the <account-id> placeholder in terraform.tfvars."
  }
  validation {
    # IAM authorises kms:Encrypt and kms:GenerateDataKey against key ARNs; an alias ARN in the
    # replication role's policy matches nothing, and replication fails object by object.
    condition = !var.hardening.replication || can(regex(
      "^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.hardening.replication_destination_kms_key_arn
    ))
    error_message = "hardening.replication_destination_kms_key_arn must be a KMS key ARN, arn:aws:kms:<region>:<12-digit account id>:key/<key id> (envs/bootstrap's dr_kms_key_arn output), not an alias ARN and not the <account-id> placeholder; got ${jsonencode(var.hardening.replication_destination_kms_key_arn)}."
  }
}

variable "ephemeral" {
  description = "Allow destroy to drop data (dev only)."
  type        = bool
  default     = false
}
