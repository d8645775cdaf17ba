terraform {
  required_version = ">= 1.10.0" # backend.hcl locks with use_lockfile

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.80, < 6.0"
    }
  }

  # Remote state in the bucket of envs/bootstrap, locked by a lock file beside it; values in backend.hcl per environment.
  backend "s3" {}
}
