"""Synthetic e-commerce source data: `generate_day` returns a day's batch, `write_batch` lands it;
`generate_and_write` does both, writing each entity while the next ones are built."""

from datagen.batch import Batch, GenerationError, generate_day
from datagen.layout import RawFile
from datagen.writer import generate_and_write, write_batch

__all__ = ["Batch", "GenerationError", "RawFile", "generate_and_write", "generate_day", "write_batch"]
