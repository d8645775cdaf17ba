# Created by envs/bootstrap (replace <account-id> with the AWS account's ID).
bucket         = "ecomdwh-tfstate-<account-id>"
key            = "ecomdwh/dev/terraform.tfstate"
region         = "us-east-1"
dynamodb_table = "ecomdwh-tfstate-lock"
encrypt        = true
