"""Vectorised column builders: numpy arrays in, typed pyarrow arrays out."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EPOCH = date(1970, 1, 1)
DECIMAL = pa.decimal128(12, 2)
TIMESTAMP = pa.timestamp("s")
_PAST_THE_END = 2**62  # a slice start beyond any value: replacing the empty slice there appends


def cents_to_decimal(cents: np.ndarray) -> pa.Array:
    """Exact decimal(12,2) from integer cents (no float rounding): builds the 128-bit values."""
    cents = np.ascontiguousarray(cents, dtype=np.int64)
    words = np.empty((len(cents), 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = cents >> 63  # sign extension into the high word
    return pa.Array.from_buffers(DECIMAL, len(cents), [None, pa.py_buffer(words)])


def epoch_day(d: date) -> int:
    return (d - EPOCH).days


def dates(epoch_days: np.ndarray) -> pa.Array:
    return pa.array(epoch_days.astype(np.int32), pa.date32())


def timestamps(epoch_seconds: np.ndarray) -> pa.Array:
    return pa.array(epoch_seconds.astype(np.int64), TIMESTAMP)


def with_nulls(values: pa.Array | np.ndarray, null_mask: np.ndarray) -> pa.Array:
    if isinstance(values, np.ndarray):  # numbers: the mask becomes the validity bitmap, no copy of values
        return pa.array(values, mask=null_mask)
    return pc.if_else(pa.array(null_mask), pa.nulls(len(values), values.type), values)


def text(values: np.ndarray) -> pa.Array:
    """Integers as decimal strings."""
    return pc.cast(pa.array(values), pa.string())


def concat(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation; plain str parts are literals."""
    arrays = [i for i, part in enumerate(parts) if not isinstance(part, str)]
    if len(arrays) != 1:
        return pc.binary_join_element_wise(*parts, "")
    (i,) = arrays  # literals around one array: inserting them is faster than a join
    return with_affixes(parts[i], prefix="".join(parts[:i]), suffix="".join(parts[i + 1 :]))


def with_affixes(values: pa.Array, prefix: str = "", suffix: str = "") -> pa.Array:
    """Each string value with `prefix` before it and `suffix` after it; nulls stay null."""
    if prefix:
        values = pc.binary_replace_slice(values, 0, 0, prefix)
    if suffix:
        values = pc.binary_replace_slice(values, _PAST_THE_END, _PAST_THE_END, suffix)
    return values


def group_starts(lengths: np.ndarray) -> np.ndarray:
    """Offset of each group's first element when groups of these lengths are laid end to end."""
    return (np.cumsum(lengths) - lengths).astype(np.int64)
