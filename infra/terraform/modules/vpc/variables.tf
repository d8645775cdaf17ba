variable "name" {
  description = "Name of the VPC and prefix of its subnets and security groups."
  type        = string
}

variable "cidr_block" {
  description = "IPv4 range of the VPC; private subnets are /20 slices of it."
  type        = string
  default     = "10.42.0.0/16"
}

variable "az_count" {
  description = "Number of availability zones to spread private subnets across. 3 by default because a Redshift Serverless workgroup needs subnets in at least three (the redshift module checks); subnets cost nothing."
  type        = number
  default     = 3
}

variable "flow_log_bucket_arn" {
  description = "S3 bucket receiving the VPC flow logs."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
