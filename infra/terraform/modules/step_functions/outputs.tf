output "step_functions_state_machine_arn" {
  description = "ARN of the pipeline state machine."
  value       = aws_sfn_state_machine.this.arn
}

output "step_functions_state_machine_name" {
  description = "Name of the pipeline state machine."
  value       = aws_sfn_state_machine.this.name
}
