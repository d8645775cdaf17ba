data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  arn_base   = "arn:${data.aws_partition.current.partition}"
  region_acc = "${data.aws_region.current.name}:${local.account_id}"

  glue_catalog   = "${local.arn_base}:glue:${local.region_acc}:catalog"
  glue_databases = [for name in values(var.glue_database_names) : "${local.arn_base}:glue:${local.region_acc}:database/${name}"]
  glue_tables    = [for name in values(var.glue_database_names) : "${local.arn_base}:glue:${local.region_acc}:table/${name}/*"]
  glue_jobs      = "${local.arn_base}:glue:${local.region_acc}:job/${var.name_prefix}-*"
  glue_crawlers  = "${local.arn_base}:glue:${local.region_acc}:crawler/${var.name_prefix}-*"
  glue_log_group = "${local.arn_base}:logs:${local.region_acc}:log-group:/aws-glue/*"
  state_machine  = "${local.arn_base}:states:${local.region_acc}:stateMachine:${var.state_machine_name}"
  alerts_topic   = "${local.arn_base}:sns:${local.region_acc}:${var.alerts_topic_name}"
  redshift_targets = [
    "${local.arn_base}:redshift:${local.region_acc}:cluster:${var.name_prefix}-*",
    "${local.arn_base}:redshift-serverless:${local.region_acc}:workgroup/*",
  ]
  # Redshift-managed admin secrets are named redshift!<cluster or namespace>-<user>.
  redshift_secrets = "${local.arn_base}:secretsmanager:${local.region_acc}:secret:redshift!${var.name_prefix}-*"

  # The redshift role serves a provisioned cluster and a Serverless namespace alike; Serverless
  # assumes it as redshift-serverless.amazonaws.com.
  roles = {
    glue-job     = { services = ["glue.amazonaws.com"], policy = data.aws_iam_policy_document.glue_job.json }
    glue-crawler = { services = ["glue.amazonaws.com"], policy = data.aws_iam_policy_document.glue_crawler.json }
    redshift     = { services = ["redshift.amazonaws.com", "redshift-serverless.amazonaws.com"], policy = data.aws_iam_policy_document.redshift.json }
    pipeline     = { services = ["states.amazonaws.com"], policy = data.aws_iam_policy_document.pipeline.json }
    scheduler    = { services = ["events.amazonaws.com"], policy = data.aws_iam_policy_document.scheduler.json }
  }
}

data "aws_iam_policy_document" "trust" {
  for_each = local.roles

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = each.value.services
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.roles

  name               = "${var.name_prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
  tags               = var.tags
}

resource "aws_iam_role_policy" "this" {
  for_each = local.roles

  name   = "${var.name_prefix}-${each.key}"
  role   = aws_iam_role.this[each.key].id
  policy = each.value.policy
}

# Warehouse SQL through the Redshift Data API, and alerts: the pipeline's RecordRun step and the
# warehouse-load and data-quality Glue jobs both need exactly this.
data "aws_iam_policy_document" "warehouse_sql" {
  statement {
    sid       = "RunWarehouseSql"
    actions   = ["redshift-data:BatchExecuteStatement", "redshift-data:ExecuteStatement"]
    resources = local.redshift_targets
  }
  statement {
    sid       = "PollWarehouseSql"
    actions   = ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult"]
    resources = ["*"] # statement IDs have no ARN; Redshift Data only lets the caller read its own statements
  }
  statement {
    sid       = "WarehouseCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [local.redshift_secrets]
  }
  statement {
    sid       = "SecretKey"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arns["secrets"]]
  }
  statement {
    sid       = "Notify"
    actions   = ["sns:Publish"]
    resources = [local.alerts_topic]
  }
  statement {
    sid       = "NotifyKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.kms_key_arns["sns"]]
  }
}

data "aws_iam_policy_document" "glue_job" {
  source_policy_documents = [data.aws_iam_policy_document.warehouse_sql.json]

  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.bucket_arns["raw"], var.bucket_arns["processed"], var.bucket_arns["scripts"]]
  }
  statement {
    sid       = "ReadRawAndScripts"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arns["raw"]}/*", "${var.bucket_arns["scripts"]}/*"]
  }
  statement {
    sid       = "WriteProcessedAndTemp"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.bucket_arns["processed"]}/*", "${var.bucket_arns["scripts"]}/tmp/*"]
  }
  statement {
    sid       = "DataKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arns["s3"], var.kms_key_arns["logs"]]
  }
  # No Glue catalog access: the jobs read and write s3:// paths, call no Glue API and do not set
  # --enable-glue-datacatalog; the crawlers keep the catalog (IAM enforced locally showed no use).
  statement {
    sid       = "JobLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
    resources = [local.glue_log_group, "${local.glue_log_group}:*"]
  }
  statement {
    sid       = "JobMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"] # PutMetricData has no resource type; the namespace condition scopes it
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["Glue", var.metric_namespace]
    }
  }
}

data "aws_iam_policy_document" "glue_crawler" {
  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.bucket_arns["raw"], var.bucket_arns["processed"]]
  }
  statement {
    sid       = "ReadData"
    actions   = ["s3:GetObject"]
    resources = ["${var.bucket_arns["raw"]}/*", "${var.bucket_arns["processed"]}/*"]
  }
  statement {
    sid       = "DataKey"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arns["s3"]]
  }
  statement {
    sid       = "LogKey"
    actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arns["logs"]]
  }
  statement {
    sid = "Catalog"
    actions = [
      "glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:UpdateTable",
      "glue:GetPartition", "glue:GetPartitions", "glue:BatchCreatePartition", "glue:BatchGetPartition",
      "glue:BatchUpdatePartition", "glue:UpdatePartition", "glue:CreatePartition",
    ]
    resources = concat([local.glue_catalog], local.glue_databases, local.glue_tables)
  }
  statement {
    sid       = "CrawlerLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"]
    resources = [local.glue_log_group, "${local.glue_log_group}:*"]
  }
}

data "aws_iam_policy_document" "redshift" {
  statement {
    sid       = "CopyFromProcessed"
    actions   = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"]
    resources = [var.bucket_arns["processed"], "${var.bucket_arns["processed"]}/*"]
  }
  statement {
    sid       = "DecryptProcessed"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arns["s3"]]
  }
}

data "aws_iam_policy_document" "pipeline" {
  source_policy_documents = [data.aws_iam_policy_document.warehouse_sql.json]

  statement {
    sid = "RunGlue"
    # Request-response integrations polled by the state machine; GetJobRuns and BatchStopJobRun are
    # only what the .sync integration needs, which the pipeline does not use.
    actions   = ["glue:StartJobRun", "glue:GetJobRun", "glue:StartCrawler", "glue:GetCrawler"]
    resources = [local.glue_jobs, local.glue_crawlers]
  }
  statement {
    sid       = "RunMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"] # PutMetricData has no resource type; the namespace condition scopes it
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.metric_namespace]
    }
  }
  statement {
    sid = "ExecutionLogDelivery"
    actions = [
      "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
    ]
    resources = ["*"] # log delivery APIs have no resource type (Step Functions logging docs)
  }
  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
    resources = ["*"] # X-Ray write APIs have no resource type
  }
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "StartPipeline"
    actions   = ["states:StartExecution"]
    resources = [local.state_machine]
  }
}
