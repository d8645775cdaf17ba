data "aws_partition" "current" {}
data "aws_caller_identity" "current" {}

locals {
  bucket_arn = "arn:${data.aws_partition.current.partition}:s3:::${var.raw_bucket_name}"
  # Fixed by the code: lambdas/raw_validation/handler.py (METRIC_NAMESPACE, REJECTED_PREFIX) and
  # lambdas/raw_validation/package.py (HANDLER); tests/unit/lambdas checks they agree with this module.
  handler          = "lambdas.raw_validation.handler.handler"
  metric_namespace = "ecomdwh/RawValidation"
  rejected_prefix  = "rejected/"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${var.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.logs_kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.function_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ReadAndRemoveRawObjects"
    actions   = ["s3:GetObject", "s3:GetObjectTagging", "s3:DeleteObject"]
    resources = ["${local.bucket_arn}/*"]
  }

  # Without ListBucket a missing key reads as 403, not 404 (an object moved before its event arrived).
  statement {
    sid       = "SeeMissingKeys"
    actions   = ["s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "WriteRejectedObjects"
    actions   = ["s3:PutObject", "s3:PutObjectTagging"]
    resources = ["${local.bucket_arn}/${local.rejected_prefix}*"]
  }

  dynamic "statement" {
    for_each = var.bucket_kms_key_arn == null ? [] : [var.bucket_kms_key_arn]
    content {
      sid       = "UseBucketKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }

  statement {
    sid       = "EmitValidationMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [local.metric_namespace]
    }
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid       = "WriteTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "raw-validation"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_117:It calls only S3, CloudWatch and X-Ray public endpoints; a VPC would add NAT cost and nothing else.
  #checkov:skip=CKV_AWS_116:S3 invokes it asynchronously; after Lambda's two retries a failed validation leaves the object in place and the error in its log group, and the errors alarm below alerts the topic.
  #checkov:skip=CKV_AWS_173:Its one environment variable is a byte limit, not a secret.
  #checkov:skip=CKV_AWS_272:The zip is built from this repository by make package-lambdas in CI; code signing needs a Signer profile per account.
  function_name                  = var.function_name
  description                    = "Validates new raw objects against ecomdwh/contracts.py; moves failures to ${local.rejected_prefix}"
  role                           = aws_iam_role.this.arn
  runtime                        = "python3.11"
  handler                        = local.handler
  filename                       = var.package_path
  source_code_hash               = filebase64sha256(var.package_path)
  timeout                        = var.timeout_seconds
  memory_size                    = var.memory_mb
  reserved_concurrent_executions = var.reserved_concurrency

  environment {
    variables = {
      RAW_VALIDATION_MAX_BYTES = tostring(var.max_object_bytes)
    }
  }

  tracing_config {
    mode = "Active"
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]
}

resource "aws_lambda_permission" "this" {
  statement_id   = "InvokeFromRawBucket"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.this.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = local.bucket_arn
  source_account = data.aws_caller_identity.current.account_id
}

# The bucket's only notification configuration: no other module may declare one for the raw bucket.
resource "aws_s3_bucket_notification" "this" {
  bucket = var.raw_bucket_name

  lambda_function {
    id                  = "raw-validation"
    lambda_function_arn = aws_lambda_function.this.arn
    events              = ["s3:ObjectCreated:*"]
  }

  depends_on = [aws_lambda_permission.this]
}

# A validation that keeps failing leaves objects unvalidated in raw/: say so on the alerts topic.
resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.function_name}-errors"
  alarm_description   = "The raw validation Lambda failed; objects stay in raw/ unvalidated (see its log group)"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [var.alarm_topic_arn]
  tags                = var.tags
}
