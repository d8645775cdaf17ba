locals {
  job_files = toset([for file in fileset(var.etl_jobs_dir, "*.py") : file if file != "__init__.py"])
  jobs      = { for file in local.job_files : replace(trimsuffix(file, ".py"), "_", "-") => file }
  libs_key  = "glue/libs/ecomdwh-python.zip"
  extra_py_files = var.python_libs_zip == null ? {} : {
    "--extra-py-files" = "s3://${var.bucket_names["scripts"]}/${local.libs_key}"
  }
  # Every job's arguments that are known when planning; the stack's job_arguments add ARNs known only
  # after apply. Kept apart so the glue_job_runtime output can show them in a plan.
  planned_arguments = merge(local.extra_py_files, {
    "--raw_bucket"                       = var.bucket_names["raw"]
    "--processed_bucket"                 = var.bucket_names["processed"]
    "--job-bookmark-option"              = "job-bookmark-enable"
    "--TempDir"                          = "s3://${var.bucket_names["scripts"]}/tmp/"
    "--enable-metrics"                   = "true"
    "--enable-continuous-cloudwatch-log" = "true"
    "--job-language"                     = "python"
  })
  crawl_targets = {
    # rejected/: objects the raw validation Lambda moved aside (modules/raw_validation).
    raw       = { path = "s3://${var.bucket_names["raw"]}/", exclusions = ["rejected/**"] }
    processed = { path = "s3://${var.bucket_names["processed"]}/", exclusions = ["quarantine/**"] }
  }
}

resource "aws_glue_catalog_database" "this" {
  for_each = var.database_names

  name        = each.value
  description = "ecomdwh ${each.key} layer"
}

resource "aws_glue_security_configuration" "this" {
  name = "${var.name_prefix}-glue"

  encryption_configuration {
    s3_encryption {
      s3_encryption_mode = "SSE-KMS"
      kms_key_arn        = var.kms_key_arns["s3"]
    }
    cloudwatch_encryption {
      cloudwatch_encryption_mode = "SSE-KMS"
      kms_key_arn                = var.kms_key_arns["logs"]
    }
    job_bookmarks_encryption {
      job_bookmarks_encryption_mode = "CSE-KMS"
      kms_key_arn                   = var.kms_key_arns["s3"]
    }
  }
}

resource "aws_glue_crawler" "this" {
  for_each = local.crawl_targets

  name                   = "${var.name_prefix}-${each.key}"
  role                   = var.crawler_role_arn
  database_name          = aws_glue_catalog_database.this[each.key].name
  security_configuration = aws_glue_security_configuration.this.name

  s3_target {
    path       = each.value.path
    exclusions = each.value.exclusions
  }

  schema_change_policy {
    update_behavior = "UPDATE_IN_DATABASE"
    delete_behavior = "LOG"
  }

  configuration = jsonencode({
    Version  = 1.0
    Grouping = { TableGroupingPolicy = "CombineCompatibleSchemas" }
  })
  tags = var.tags
}

# source_hash rather than etag: with SSE-KMS the ETag S3 returns is not the file's MD5.
resource "aws_s3_object" "job_script" {
  for_each = local.jobs

  bucket      = var.bucket_names["scripts"]
  key         = "glue/jobs/${each.value}"
  source      = abspath("${var.etl_jobs_dir}/${each.value}") # absolute, so plan readers find the file
  source_hash = filemd5("${var.etl_jobs_dir}/${each.value}")
  tags        = var.tags
}

resource "aws_s3_object" "python_libs" {
  count = var.python_libs_zip == null ? 0 : 1

  bucket      = var.bucket_names["scripts"]
  key         = local.libs_key
  source      = var.python_libs_zip
  source_hash = filemd5(var.python_libs_zip)
  tags        = var.tags
}

resource "aws_glue_job" "this" {
  for_each = local.jobs

  name                   = "${var.name_prefix}-${each.key}"
  description            = "ETL job etl/jobs/${each.value}"
  role_arn               = var.job_role_arn
  glue_version           = "5.0"
  worker_type            = var.worker_type
  number_of_workers      = var.number_of_workers
  timeout                = var.job_timeout_minutes
  max_retries            = 0
  execution_class        = "STANDARD"
  security_configuration = aws_glue_security_configuration.this.name
  # No connection: no job opens a socket into the VPC (Redshift is reached through the Redshift Data
  # API over HTTPS, like every other service), so the jobs run in Glue's own network, which reaches
  # AWS's public endpoints. infra/README.md "Network path of the jobs" has the reasoning.

  command {
    name            = "glueetl"
    script_location = "s3://${var.bucket_names["scripts"]}/${aws_s3_object.job_script[each.key].key}"
    python_version  = "3"
  }

  execution_property {
    max_concurrent_runs = 1
  }

  default_arguments = merge(var.job_arguments, local.planned_arguments)

  tags = var.tags

  depends_on = [aws_s3_object.python_libs]
}
