"""NDJSON rendering: every contract type, nulls, and strings that need JSON escaping."""

import json
from datetime import date, datetime
from decimal import Decimal

import pyarrow as pa

from datagen.encode import ndjson_bytes

AWKWARD = ['say "hi"', "back\\slash", "\x00\x08\t\n\x0c\r\x1f", "Crème é 中 \u2028 😀", ""]


def test_ndjson_renders_every_type_like_the_csv():
    table = pa.table(
        {
            "id": pa.array([1, None]),
            "flag": pa.array([True, None]),
            "day": pa.array([date(2025, 1, 2), None]),
            "ts": pa.array([datetime(2025, 1, 2, 3, 4, 5), None], pa.timestamp("s")),
            "price": pa.array([Decimal("12.50"), None], pa.decimal128(12, 2)),
            "name": pa.array(["x", None]),
        }
    )
    assert ndjson_bytes(table) == (
        b'{"id":1,"flag":true,"day":"2025-01-02","ts":"2025-01-02 03:04:05","price":"12.50","name":"x"}\n'
        b'{"id":null,"flag":null,"day":null,"ts":null,"price":null,"name":null}\n'
    )


def test_ndjson_escapes_strings_as_json_dumps_does():
    lines = ndjson_bytes(pa.table({"text": AWKWARD})).split(b"\n")
    assert lines[-1] == b""
    assert lines[:-1] == [
        ('{"text":' + json.dumps(value, ensure_ascii=False) + "}").encode() for value in AWKWARD
    ]


def test_ndjson_of_a_slice_holds_only_its_rows():
    table = pa.table({"text": AWKWARD, "n": range(len(AWKWARD))})
    assert ndjson_bytes(table.slice(3, 2)) == ndjson_bytes(table).split(b"\n", 3)[3]
    assert ndjson_bytes(table.slice(0, 0)) == b""
