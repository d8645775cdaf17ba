# Created by envs/bootstrap (replace <account-id> with the AWS account's ID).
bucket         = "ecomdwh-tfstate-<account-id>"
key            = "ecomdwh/staging/terraform.tfstate"
region         = "us-east-1"
use_lockfile   = true # S3-native lock (Terraform >= 1.10); dynamodb_table is deprecated since 1.11
encrypt        = true
