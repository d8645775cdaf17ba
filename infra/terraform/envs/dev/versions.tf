terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 6.0"
    }
  }

  # Remote state in the bucket and lock table of envs/bootstrap; values in backend.hcl per environment.
  backend "s3" {}
}
