"""Raw object validation on S3 ObjectCreated: handler.handler is the Lambda entry point."""
