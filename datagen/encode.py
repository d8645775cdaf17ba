"""Tables to raw file bytes: CSV with a header (pyarrow's writer) or newline-delimited JSON
(built column-wise with pyarrow string kernels, never row by row). Plus the row-at-a-time
encoders used only for the few injected dirty rows."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def csv_bytes(table: pa.Table, header: bool = True) -> bytes:
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=header, quoting_style="needed"))
    return sink.getvalue()


def _json_value(column: pa.ChunkedArray) -> pa.Array:
    """JSON text of each value; generated strings never hold quotes or backslashes, so no escaping."""
    kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        rendered = pc.cast(column, pa.string())
    else:
        rendered = pc.binary_join_element_wise('"', pc.cast(column, pa.string()), '"', "")
    return pc.fill_null(rendered, "null")


def ndjson_bytes(table: pa.Table) -> bytes:
    if table.num_rows == 0:
        return b""
    pieces: list[pa.Array | str] = []
    for i, name in enumerate(table.column_names):
        pieces.append(("{" if i == 0 else ",") + json.dumps(name) + ":")
        pieces.append(_json_value(table.column(name)))
    pieces.append("}\n")
    lines = pc.binary_join_element_wise(*pieces, "").combine_chunks()
    # The lines already end in newlines, so the file is the array's character buffer, as is.
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
    return lines.buffers()[2][int(offsets[0]) : int(offsets[-1])].to_pybytes()


def _csv_field(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime(TIMESTAMP_FORMAT)
    if isinstance(value, int | Decimal | date):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def csv_line(values: list[object]) -> bytes:
    return (",".join(_csv_field(v) for v in values) + "\n").encode()


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return value.strftime(TIMESTAMP_FORMAT)
    return str(value)


def json_line(record: dict[str, object]) -> bytes:
    return (
        json.dumps(record, separators=(",", ":"), ensure_ascii=False, default=_json_default) + "\n"
    ).encode()
