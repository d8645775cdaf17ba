variable "region" {
  description = "Region of the state bucket (the environments' region)."
  type        = string
  default     = "us-east-1"
}

variable "dr_region" {
  description = "Disaster-recovery region receiving prod's replicated processed data."
  type        = string
  default     = "us-west-2"
}
