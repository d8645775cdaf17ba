output "glue_workflow_name" {
  description = "Workflow name, for StartWorkflowRun / GetWorkflowRun."
  value       = aws_glue_workflow.this.name
}

output "glue_workflow_trigger_names" {
  description = "Trigger name per step: start, after_raw_crawl, after_etl."
  value = {
    start           = aws_glue_trigger.start.name
    after_raw_crawl = aws_glue_trigger.after_raw_crawl.name
    after_etl       = aws_glue_trigger.after_etl.name
  }
}
