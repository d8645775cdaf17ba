# Account-level protections, each behind its flag: off in local and dev (the emulator lacks most of
# these services and dev does not need their cost), on in prod.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  partition = data.aws_partition.current.partition
}

resource "aws_cloudtrail" "this" {
  #checkov:skip=CKV_AWS_252:Trail events are not fanned out to SNS; the alerts topic is for pipeline outcomes.
  #checkov:skip=CKV2_AWS_10:The trail is queried from S3 (Athena); no CloudWatch Logs copy is kept.
  count = var.enable_cloudtrail ? 1 : 0

  name                          = var.name_prefix
  s3_bucket_name                = var.logs_bucket_name
  s3_key_prefix                 = "cloudtrail"
  kms_key_id                    = var.kms_key_arns["logs"]
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  tags                          = var.tags
}

# Account singletons (Config's service-linked role, the GuardDuty detector, Security Hub) exist once per
# account and region; in an organisation they are often there already, and creating them again fails.
# adopt_* uses the existing one instead of creating it.
resource "aws_iam_service_linked_role" "config" {
  count = var.enable_config && !var.adopt_config_service_linked_role ? 1 : 0

  aws_service_name = "config.amazonaws.com"
}

data "aws_iam_role" "config" {
  count = var.enable_config && var.adopt_config_service_linked_role ? 1 : 0

  name = "AWSServiceRoleForConfig"
}

resource "aws_config_configuration_recorder" "this" {
  count = var.enable_config ? 1 : 0

  name     = var.name_prefix
  role_arn = one(concat(aws_iam_service_linked_role.config[*].arn, data.aws_iam_role.config[*].arn))
  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

resource "aws_config_delivery_channel" "this" {
  count = var.enable_config ? 1 : 0

  name           = var.name_prefix
  s3_bucket_name = var.logs_bucket_name
  s3_key_prefix  = "config"

  depends_on = [aws_config_configuration_recorder.this]
}

resource "aws_config_configuration_recorder_status" "this" {
  count = var.enable_config ? 1 : 0

  name       = aws_config_configuration_recorder.this[0].name
  is_enabled = true

  depends_on = [aws_config_delivery_channel.this]
}

resource "aws_guardduty_detector" "this" {
  #checkov:skip=CKV2_AWS_3:One account, one region; organisation-wide GuardDuty belongs to the org's delegated administrator, not this project.
  count = var.enable_guardduty && !var.adopt_guardduty_detector ? 1 : 0

  enable = true
  tags   = var.tags
}

data "aws_guardduty_detector" "this" {
  count = var.enable_guardduty && var.adopt_guardduty_detector ? 1 : 0
}

# Default standards off: they would subscribe FSBP (and CIS) a second time beside the subscription below.
resource "aws_securityhub_account" "this" {
  count = var.enable_security_hub && !var.adopt_security_hub_account ? 1 : 0

  enable_default_standards = false
}

resource "aws_securityhub_standards_subscription" "foundational" {
  count = var.enable_security_hub ? 1 : 0

  standards_arn = "arn:${local.partition}:securityhub:${data.aws_region.current.name}::standards/aws-foundational-security-best-practices/v/1.0.0"

  depends_on = [aws_securityhub_account.this]
}

resource "aws_backup_vault" "this" {
  count = var.enable_backup ? 1 : 0

  name        = var.name_prefix
  kms_key_arn = var.kms_key_arns["logs"]
  tags        = var.tags
}

resource "aws_backup_plan" "this" {
  count = var.enable_backup ? 1 : 0

  name = var.name_prefix
  rule {
    rule_name         = "daily"
    target_vault_name = aws_backup_vault.this[0].name
    schedule          = "cron(0 4 * * ? *)" # after the 02:00 and 03:00 pipeline runs
    lifecycle {
      delete_after = var.backup_retention_days
    }
  }
  tags = var.tags
}

data "aws_iam_policy_document" "backup_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "backup" {
  count = var.enable_backup ? 1 : 0

  name               = "${var.name_prefix}-backup"
  assume_role_policy = data.aws_iam_policy_document.backup_trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "backup" {
  for_each = var.enable_backup ? toset([
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "AWSBackupServiceRolePolicyForS3Backup",
  ]) : toset([])

  role       = aws_iam_role.backup[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/${each.value}"
}

resource "aws_backup_selection" "this" {
  count = var.enable_backup ? 1 : 0

  name         = var.name_prefix
  plan_id      = aws_backup_plan.this[0].id
  iam_role_arn = aws_iam_role.backup[0].arn
  resources    = var.backup_resource_arns
}

data "aws_iam_policy_document" "replication_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "replication" {
  count = var.enable_replication ? 1 : 0

  statement {
    actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${var.replication_source_bucket}"]
  }
  statement {
    actions   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
    resources = ["arn:${local.partition}:s3:::${var.replication_source_bucket}/*"]
  }
  statement {
    actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    resources = ["${var.replication_destination_bucket_arn}/*"]
  }
  statement {
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arns["s3"]]
  }
  statement {
    actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
    resources = [var.replication_destination_kms_key_arn]
  }
}

resource "aws_iam_role" "replication" {
  count = var.enable_replication ? 1 : 0

  name               = "${var.name_prefix}-replication"
  assume_role_policy = data.aws_iam_policy_document.replication_trust.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "replication" {
  count = var.enable_replication ? 1 : 0

  name   = "${var.name_prefix}-replication"
  role   = aws_iam_role.replication[0].id
  policy = data.aws_iam_policy_document.replication[0].json
}

resource "aws_s3_bucket_replication_configuration" "this" {
  count = var.enable_replication ? 1 : 0

  bucket = var.replication_source_bucket
  role   = aws_iam_role.replication[0].arn

  rule {
    id     = "processed-to-dr-region"
    status = "Enabled"
    filter {}
    delete_marker_replication {
      status = "Enabled"
    }
    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }
    destination {
      bucket        = var.replication_destination_bucket_arn
      storage_class = "STANDARD_IA"
      encryption_configuration {
        replica_kms_key_id = var.replication_destination_kms_key_arn
      }
    }
  }
}
