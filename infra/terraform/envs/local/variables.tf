variable "endpoint" {
  description = "URL of the embedded AWS emulator (scripts/terraform.sh reads it from .local/emulator/env)."
  type        = string
}

variable "region" {
  description = "Region the emulator answers for."
  type        = string
  default     = "us-east-1"
}

variable "python_libs_zip" {
  description = "Zip of the project's Python packages for the Glue jobs' --extra-py-files."
  type        = string
  default     = null
}

variable "raw_validation_package" {
  description = "Zip of the raw validation Lambda (built by scripts/terraform.sh); null to deploy without it."
  type        = string
  default     = null
}

variable "lifecycle_rules_enabled" {
  description = "S3 lifecycle rules on the emulator's buckets. Off by default: nothing expires on an emulator, and the AWS provider waits about 50 s per deploy for lifecycle rules to settle. The Terraform integration test turns them on."
  type        = bool
  default     = false
}
