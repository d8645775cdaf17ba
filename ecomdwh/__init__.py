"""ecomdwh: a local-first e-commerce data warehouse for AWS."""
