data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  data_purposes = toset(["raw", "processed", "scripts"])
  purposes      = setunion(local.data_purposes, ["logs"])
  # Services delivering logs into the logs bucket: Redshift audit logs, VPC flow logs (the log delivery
  # service), CloudTrail and Config when hardening is on. Granting them here keeps the bucket policy
  # whole: otherwise AWS appends its own statements when flow logs start, and the next apply removes them.
  log_writers = ["redshift.amazonaws.com", "delivery.logs.amazonaws.com", "cloudtrail.amazonaws.com", "config.amazonaws.com"]
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Cross-region replication is the hardening module's replication flag, on in prod only.
  #checkov:skip=CKV2_AWS_62:The raw bucket's notification is modules/raw_validation's aws_s3_bucket_notification (checkov cannot see across modules); nothing reacts to object events of the other buckets.
  #checkov:skip=CKV_AWS_18:The logs bucket is the access-log target; logging it into itself would loop.
  #checkov:skip=CKV_AWS_145:The logs bucket must use SSE-S3: S3 access logging and Redshift audit logging cannot write to SSE-KMS buckets.
  for_each = local.purposes

  bucket        = "${var.bucket_name_prefix}-${each.key}"
  force_destroy = var.force_destroy
  tags          = merge(var.tags, { Purpose = each.key })
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.purposes

  bucket = aws_s3_bucket.this[each.key].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.purposes

  bucket = aws_s3_bucket.this[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = each.key == "logs" ? "AES256" : "aws:kms"
      kms_master_key_id = each.key == "logs" ? null : var.kms_key_arn
    }
    bucket_key_enabled = each.key != "logs"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.purposes

  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.purposes

  bucket = aws_s3_bucket.this[each.key].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

data "aws_iam_policy_document" "bucket" {
  for_each = local.purposes

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this[each.key].arn,
      "${aws_s3_bucket.this[each.key].arn}/*",
    ]
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

  dynamic "statement" {
    for_each = each.key == "logs" ? concat(["logging.s3.amazonaws.com"], local.log_writers) : []
    content {
      sid       = "LogDelivery${split(".", statement.value)[0]}"
      actions   = ["s3:PutObject"]
      resources = ["${aws_s3_bucket.this[each.key].arn}/*"]
      principals {
        type        = "Service"
        identifiers = [statement.value]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      }
    }
  }

  dynamic "statement" {
    # These services check the bucket ACL before they start delivering.
    for_each = each.key == "logs" ? local.log_writers : []
    content {
      sid       = "${split(".", statement.value)[0]}ReadsBucketAcl"
      actions   = ["s3:GetBucketAcl"]
      resources = [aws_s3_bucket.this[each.key].arn]
      principals {
        type        = "Service"
        identifiers = [statement.value]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  for_each = local.purposes

  bucket = aws_s3_bucket.this[each.key].id
  policy = data.aws_iam_policy_document.bucket[each.key].json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_logging" "this" {
  for_each = local.data_purposes

  bucket        = aws_s3_bucket.this[each.key].id
  target_bucket = aws_s3_bucket.this["logs"].id
  target_prefix = "s3-access/${each.key}/"

  # S3 checks that the logs bucket's policy lets the logging service write before accepting this.
  depends_on = [aws_s3_bucket_policy.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = var.lifecycle_rules_enabled ? local.purposes : toset([])

  bucket = aws_s3_bucket.this[each.key].id

  rule {
    id     = "noncurrent-versions-and-incomplete-uploads"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  dynamic "rule" {
    for_each = each.key == "raw" ? [each.key] : []
    content {
      id     = "raw-to-infrequent-access-then-expire"
      status = "Enabled"
      filter {}
      transition {
        days          = var.raw_transition_to_ia_days
        storage_class = "STANDARD_IA"
      }
      expiration {
        days = var.raw_expiration_days
      }
    }
  }

  dynamic "rule" {
    for_each = each.key == "logs" ? [each.key] : []
    content {
      id     = "expire-logs"
      status = "Enabled"
      filter {}
      expiration {
        days = var.log_expiration_days
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}
