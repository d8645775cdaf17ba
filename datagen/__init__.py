"""Synthetic e-commerce source data: `generate_day` returns a day's batch, `write_batch` lands it."""

from datagen.batch import Batch, GenerationError, generate_day
from datagen.layout import RawFile
from datagen.writer import write_batch

__all__ = ["Batch", "GenerationError", "RawFile", "generate_day", "write_batch"]
