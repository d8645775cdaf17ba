terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 6.0"
    }
  }
  # Local state: this creates the remote state backend the other AWS environments use. Keep its
  # terraform.tfstate safe (or migrate it into the bucket it made with `terraform init -migrate-state`).
}
