# One-time, per AWS account: the remote state bucket of envs/dev|staging|prod (locked with S3 lock
# files, use_lockfile) and the disaster-recovery bucket that prod's processed bucket replicates into.
#   terraform -chdir=infra/terraform/envs/bootstrap init && terraform -chdir=... apply
provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias  = "dr"
  region = var.dr_region

  default_tags {
    tags = local.tags
  }
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  tags       = { Project = "ecomdwh", Environment = "bootstrap", ManagedBy = "terraform" }
}

resource "aws_kms_key" "state" {
  description         = "ecomdwh Terraform state"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.account_key.json
}

data "aws_iam_policy_document" "account_key" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" means this key and the principal is the account root, AWS's default that delegates key access to IAM.
  #checkov:skip=CKV_AWS_111:Key policy: "*" means this key and the principal is the account root, AWS's default that delegates key access to IAM.
  #checkov:skip=CKV_AWS_356:Key policy: "*" means this key and the principal is the account root, AWS's default that delegates key access to IAM.
  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"] # in a key policy "*" means this key
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_144:State is small and versioned; a lost region means re-running bootstrap and importing.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to state object events.
  #checkov:skip=CKV_AWS_18:No access log: bootstrap has no logs bucket of its own. Every state write is kept as an object version (versioning below); bucket-level API calls are in CloudTrail's management events; object reads are not logged.
  bucket = "ecomdwh-tfstate-${local.account_id}"

  # Every environment's state lives here; losing it orphans their resources.
  lifecycle {
    prevent_destroy = true
  }
}

data "aws_iam_policy_document" "state" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state.json

  depends_on = [aws_s3_bucket_public_access_block.state]
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    id     = "old-state-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 90
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_kms_key" "dr" {
  provider = aws.dr

  description         = "ecomdwh prod disaster-recovery replicas"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.account_key.json
}

resource "aws_kms_alias" "dr" {
  provider = aws.dr

  name          = "alias/ecomdwh-prod-dr"
  target_key_id = aws_kms_key.dr.key_id
}

resource "aws_s3_bucket" "dr" {
  #checkov:skip=CKV_AWS_144:This is the replication destination itself.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to replica object events.
  #checkov:skip=CKV_AWS_18:Replicas are only read in a disaster; the source bucket's access is logged.
  provider = aws.dr

  bucket = "ecomdwh-prod-dr-${local.account_id}"
}

resource "aws_s3_bucket_versioning" "dr" {
  provider = aws.dr

  bucket = aws_s3_bucket.dr.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "dr" {
  provider = aws.dr

  bucket = aws_s3_bucket.dr.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.dr.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "dr" {
  provider = aws.dr

  bucket                  = aws_s3_bucket.dr.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "dr" {
  provider = aws.dr

  bucket = aws_s3_bucket.dr.id
  rule {
    id     = "noncurrent-replicas"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}
