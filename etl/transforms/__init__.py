"""Pure DataFrame -> DataFrame transforms: normalise text, cast to contract types, validate, dedupe."""
