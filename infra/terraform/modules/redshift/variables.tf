variable "name" {
  description = "Cluster identifier, or namespace and workgroup name for Serverless."
  type        = string
}

variable "deployment" {
  description = "provisioned (ra3 cluster) or serverless. The emulators lack Serverless, so local uses provisioned."
  type        = string
  default     = "provisioned"

  validation {
    condition     = contains(["provisioned", "serverless"], var.deployment)
    error_message = "deployment must be provisioned or serverless."
  }
}

variable "database_name" {
  description = "Database holding the warehouse schemas."
  type        = string
  default     = "ecomdwh"
}

variable "admin_username" {
  description = "Admin user; its password is generated and kept in Secrets Manager by Redshift."
  type        = string
  default     = "ecomdwh_admin"
}

variable "node_type" {
  description = "Node type of the provisioned cluster."
  type        = string
  default     = "ra3.xlplus"
}

variable "number_of_nodes" {
  description = "Nodes of the provisioned cluster (1 = single-node)."
  type        = number
  default     = 1
}

variable "serverless_base_capacity" {
  description = "Base RPUs of the Serverless workgroup."
  type        = number
  default     = 8
}

variable "subnet_ids" {
  description = "Private subnets: 2+ availability zones for a cluster, 3+ for a Serverless workgroup."
  type        = list(string)
}

variable "subnet_availability_zones" {
  description = "Availability zone of each of subnet_ids, in the same order (checked against the Serverless minimum)."
  type        = list(string)
}

variable "security_group_id" {
  description = "Security group of the cluster or workgroup."
  type        = string
}

variable "kms_key_arn" {
  description = "Key encrypting the cluster or namespace."
  type        = string
}

variable "secrets_kms_key_arn" {
  description = "Key encrypting the Redshift-managed admin secret."
  type        = string
}

variable "iam_role_arn" {
  description = "Role Redshift assumes for COPY from the processed bucket (also the default role)."
  type        = string
}

variable "audit_log_bucket" {
  description = "Bucket receiving audit logs (SSE-S3, as Redshift requires)."
  type        = string
}

variable "snapshot_retention_days" {
  description = "Retention in days of automated and manual snapshots."
  type        = number
  default     = 7
}

variable "maintenance_window" {
  description = "Weekly maintenance window (UTC, lowercase ddd:hh:mm-ddd:hh:mm), clear of the 02:00 and 03:00 pipeline runs."
  type        = string
  default     = "sun:05:00-sun:05:30"
}

variable "skip_final_snapshot" {
  description = "Destroy without a final snapshot (local and dev only)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
