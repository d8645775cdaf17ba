"""Each object-level rule of the raw validation Lambda, on tiny inline objects."""

from __future__ import annotations

import pytest

from ecomdwh.contracts import ENTITIES
from lambdas.raw_validation.rules import is_ignored, validate

MAX = 1024 * 1024
ORDERS_HEADER = ",".join(ENTITIES["orders"].column_names)
ORDER_ROW = (
    "1,7,2026-01-01T10:00:00,paid,web,card,1 Main St,Springfield,IL,62701,US,0.00,4.99,2026-01-01T10:00:00"
)
EVENT_LINE = (
    '{"event_id":"e1","session_id":"s1","customer_id":null,"anonymous_id":"a1","event_type":"page_view",'
    '"event_ts":"2026-01-01T10:00:00","product_id":null,"order_id":null,"page_url":"/","device":"mobile",'
    '"referrer":null}'
)
ORDERS_KEY = "orders/ingest_date=2026-01-01/orders-00000.csv"
EVENTS_KEY = "web_events/ingest_date=2026-01-01/web_events-00000.json"


def check(key: str, body: bytes, max_bytes: int = MAX):
    return validate(key, len(body), body, max_bytes=max_bytes)


def test_a_contract_csv_is_accepted():
    verdict = check(ORDERS_KEY, f"{ORDERS_HEADER}\n{ORDER_ROW}\n".encode())
    assert verdict.accepted and verdict.entity == "orders"


def test_a_contract_ndjson_is_accepted():
    assert check(EVENTS_KEY, f"{EVENT_LINE}\n{EVENT_LINE}\n".encode()).accepted


def test_extra_trailing_csv_columns_are_left_to_etl():
    assert check(ORDERS_KEY, f"{ORDERS_HEADER},promo_code\n{ORDER_ROW},X\n".encode()).accepted


def test_a_few_non_utf8_rows_are_left_to_etl():
    body = f"{ORDERS_HEADER}\n{ORDER_ROW}\n{ORDER_ROW}\n".encode() + "1,Zoë\n".encode("latin-1")
    assert check(ORDERS_KEY, body).accepted


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("orders/orders-00000.csv", "<entity>/ingest_date=YYYY-MM-DD/<file>"),
        ("invoices/ingest_date=2026-01-01/invoices-0.csv", "'invoices' is not a known entity"),
        ("orders/ingest_date=2026-13-01/orders-0.csv", "ingest_date='2026-13-01' is not a YYYY-MM-DD date"),
        # fromisoformat takes these; the ETL reads only YYYY-MM-DD partitions, so the Lambda refuses them too
        ("orders/ingest_date=20260101/orders-0.csv", "ingest_date='20260101' is not a YYYY-MM-DD date"),
        ("orders/ingest_date=2026-W01-4/orders-0.csv", "ingest_date='2026-W01-4' is not a YYYY-MM-DD date"),
    ],
)
def test_keys_outside_the_layout_are_rejected(key, words):
    verdict = check(key, f"{ORDERS_HEADER}\n".encode())
    assert verdict.rule == "key" and words in verdict.reason


def test_the_extension_must_match_the_entity_format():
    verdict = check("orders/ingest_date=2026-01-01/orders-00000.json", f"{ORDERS_HEADER}\n".encode())
    assert verdict.rule == "extension"
    assert "ending in '.csv'" in verdict.reason


@pytest.mark.parametrize(
    ("key", "body"),
    [
        (ORDERS_KEY, b""),
        (ORDERS_KEY, f"{ORDERS_HEADER}\n".encode()),
        (EVENTS_KEY, b""),
        (EVENTS_KEY, b"\n\n"),
    ],
)
def test_an_object_that_holds_no_rows_is_accepted_as_nothing_today(key, body):
    assert check(key, body).accepted


def test_an_object_above_the_limit_is_rejected():
    body = f"{ORDERS_HEADER}\n{ORDER_ROW}\n".encode()
    verdict = check(ORDERS_KEY, body, max_bytes=len(body) - 1)
    assert verdict.rule == "size" and f"above the limit of {len(body) - 1}" in verdict.reason


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_another_delimiter_is_named(delimiter, name):
    header = delimiter.join(ENTITIES["orders"].column_names)
    verdict = check(ORDERS_KEY, f"{header}\n{ORDER_ROW.replace(',', delimiter)}\n".encode())
    assert verdict.rule == "delimiter"
    assert f"{name}-separated ({delimiter!r})" in verdict.reason


def test_a_missing_column_is_named():
    header = ORDERS_HEADER.replace(",payment_method", "")
    verdict = check(ORDERS_KEY, f"{header}\n".encode())
    assert verdict.rule == "header" and "lacks the orders columns payment_method" in verdict.reason


def test_columns_in_another_order_are_accepted_as_the_etl_reads_them_by_name():
    columns = ENTITIES["orders"].column_names
    swapped = [columns[1], columns[0], *columns[2:]]
    assert check(ORDERS_KEY, (",".join(swapped) + "\n").encode()).accepted


def test_a_column_named_twice_is_rejected_naming_it():
    verdict = check(ORDERS_KEY, f"{ORDERS_HEADER},status\n{ORDER_ROW},paid\n".encode())
    assert verdict.rule == "header" and "names status more than once" in verdict.reason


def test_a_latin1_file_is_rejected_for_its_encoding():
    rows = "\n".join(f"{i},Zoë,Müller" for i in range(5))
    verdict = check(ORDERS_KEY, f"{ORDERS_HEADER}\n{rows}\n".encode("latin-1"))
    assert verdict.rule == "encoding" and "5 of 6 sampled lines are not UTF-8" in verdict.reason


def test_a_utf16_file_is_rejected_for_its_encoding():
    verdict = check(ORDERS_KEY, f"{ORDERS_HEADER}\n{ORDER_ROW}\n".encode("utf-16-le"))
    assert verdict.rule == "encoding" and "UTF-16" in verdict.reason


def test_a_byte_order_mark_before_the_header_is_not_part_of_it():
    assert check(ORDERS_KEY, f"\ufeff{ORDERS_HEADER}\n{ORDER_ROW}\n".encode()).accepted


def test_a_sample_cut_mid_line_is_judged_on_its_whole_lines():
    body = f"{ORDERS_HEADER}\n{ORDER_ROW}\n".encode() + "Zoë".encode()[:-1]
    assert validate(ORDERS_KEY, len(body) + 10_000, body, max_bytes=MAX).accepted


def test_json_lines_need_every_contract_key():
    line = EVENT_LINE.replace('"referrer":null', '"ref":null')
    verdict = check(EVENTS_KEY, f"{line}\n".encode())
    assert verdict.rule == "json" and "lacks the web_events contract keys referrer" in verdict.reason


def test_a_csv_in_place_of_json_lines_is_rejected():
    verdict = check(EVENTS_KEY, b"event_id,session_id\ne1,s1\n")
    assert verdict.rule == "json" and "not JSON" in verdict.reason


@pytest.mark.parametrize(
    ("key", "ignored"),
    [
        ("_manifests/ingest_date=2026-01-01/manifest.json", True),
        ("_groundtruth/ingest_date=2026-01-01/dirty.json", True),
        (f"rejected/{ORDERS_KEY}", True),
        (ORDERS_KEY, False),
    ],
)
def test_bookkeeping_and_rejected_keys_are_ignored(key, ignored):
    assert is_ignored(key) is ignored


def test_a_quoted_csv_header_is_read_as_csv():
    quoted = ",".join(f'"{name}"' for name in ENTITIES["orders"].column_names)
    assert check(ORDERS_KEY, f"{quoted}\n{ORDER_ROW}\n".encode()).accepted


def test_a_json_first_record_longer_than_the_sample_is_left_to_etl():
    """Neither layer can judge a first line it has not read whole; the ETL judges it as a record."""
    body = EVENT_LINE.replace('"page_url":"/"', '"page_url":"/' + "x" * 100_000 + '"').encode() + b"\n"
    assert validate(EVENTS_KEY, len(body), body[:65536], max_bytes=MAX).accepted
