# Second orchestration path: crawl raw -> ETL jobs -> crawl processed, on Glue's own scheduler.
resource "aws_glue_workflow" "this" {
  name                   = var.name
  description            = "ecomdwh daily raw -> processed load (Glue-native alternative to the Step Functions pipeline)"
  default_run_properties = var.default_run_properties
  max_concurrent_runs    = 1
  tags                   = var.tags
}

resource "aws_glue_trigger" "start" {
  name          = "${var.name}-start"
  workflow_name = aws_glue_workflow.this.name
  type          = "SCHEDULED"
  schedule      = var.schedule
  enabled       = var.schedule_enabled

  actions {
    crawler_name = var.raw_crawler_name
  }

  tags = var.tags
}

resource "aws_glue_trigger" "after_raw_crawl" {
  name          = "${var.name}-after-raw-crawl"
  workflow_name = aws_glue_workflow.this.name
  type          = "CONDITIONAL"

  predicate {
    conditions {
      crawler_name = var.raw_crawler_name
      crawl_state  = "SUCCEEDED"
    }
  }

  dynamic "actions" {
    for_each = var.etl_job_names
    content {
      job_name = actions.value
    }
  }

  tags = var.tags
}

resource "aws_glue_trigger" "after_etl" {
  name          = "${var.name}-after-etl"
  workflow_name = aws_glue_workflow.this.name
  type          = "CONDITIONAL"

  predicate {
    logical = "AND"

    dynamic "conditions" {
      for_each = var.etl_job_names
      content {
        job_name = conditions.value
        state    = "SUCCEEDED"
      }
    }
  }

  actions {
    crawler_name = var.processed_crawler_name
  }

  tags = var.tags
}
