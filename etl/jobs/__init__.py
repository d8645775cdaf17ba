"""Glue job entrypoints: one file per Glue job, wiring only; each runs as a script."""
