data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id   = data.aws_caller_identity.current.account_id
  account_root = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"
  # Services that encrypt with a key themselves (not through one of our roles) need a grant in its policy,
  # scoped to this account the way each service documents it.
  service_grants = [
    {
      purpose    = "logs"
      sid        = "CloudWatchLogsEncrypt"
      principals = ["logs.${data.aws_region.current.name}.amazonaws.com"]
      test       = "ArnLike"
      variable   = "kms:EncryptionContext:aws:logs:arn"
      values     = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${local.account_id}:*"]
    },
    {
      purpose    = "logs"
      sid        = "CloudTrailEncrypt"
      principals = ["cloudtrail.amazonaws.com"]
      test       = "StringLike"
      variable   = "kms:EncryptionContext:aws:cloudtrail:arn"
      values     = ["arn:${data.aws_partition.current.partition}:cloudtrail:*:${local.account_id}:trail/*"]
    },
    {
      purpose    = "sns"
      sid        = "AlarmsAndEventsPublish"
      principals = ["cloudwatch.amazonaws.com", "events.amazonaws.com"]
      test       = "StringEquals"
      variable   = "aws:SourceAccount"
      values     = [local.account_id]
    },
  ]
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" means this key and the principal is the account root, AWS's default that delegates key access to IAM.
  #checkov:skip=CKV_AWS_111:Key policy: "*" means this key and the principal is the account root, AWS's default that delegates key access to IAM.
  #checkov:skip=CKV_AWS_356:Key policy: "*" means this key and the principal is the account root, AWS's default that delegates key access to IAM.
  for_each = var.purposes

  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"] # in a key policy "*" means this key
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
  }

  dynamic "statement" {
    for_each = [for grant in local.service_grants : grant if grant.purpose == each.key]
    content {
      sid       = statement.value.sid
      actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*"]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = statement.value.principals
      }
      condition {
        test     = statement.value.test
        variable = statement.value.variable
        values   = statement.value.values
      }
    }
  }

  # DescribeKey carries no encryption context, so it cannot sit under the grants' context conditions
  # (CloudTrail's DescribeKey would be refused: InsufficientEncryptionPolicyException). It reveals key
  # metadata only; the account condition keeps it to this account's trails, log groups and alarms.
  dynamic "statement" {
    for_each = [for grant in local.service_grants : grant if grant.purpose == each.key]
    content {
      sid       = "${statement.value.sid}DescribeKey"
      actions   = ["kms:DescribeKey"]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = statement.value.principals
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }
}

resource "aws_kms_key" "this" {
  for_each = var.purposes

  description             = "${var.name_prefix} ${each.key} encryption"
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key[each.key].json
  tags                    = merge(var.tags, { Purpose = each.key })
}

resource "aws_kms_alias" "this" {
  for_each = var.purposes

  name          = "alias/${var.name_prefix}-${each.key}"
  target_key_id = aws_kms_key.this[each.key].key_id
}
