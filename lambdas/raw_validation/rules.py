"""Object-level checks of a new raw object against its entity's landing contract (ecomdwh/contracts.py).

These rules decide whether a whole object can be read by ETL at all: where it lies, its format, its
encoding, its header and delimiter, its size. The rules the ETL applies to the same objects (empty
objects, the byte order mark, the CSV header, the NDJSON first record) come from ecomdwh/raw_format.py, so the two never disagree. Problems of
single rows (a bad value, a truncated or non-UTF-8 line among good ones) are ETL's: it quarantines those
rows with a reason, so they pass here. JSON lines may carry extra keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecomdwh.contracts import ENTITIES, EntityContract, ingest_date
from ecomdwh.raw_format import RawFormatError, check_json_first_record, csv_header, without_byte_order_mark

IGNORED_PREFIXES = ("_manifests/", "_groundtruth/", "rejected/")
EXTENSIONS = {"csv": ".csv", "json": ".json"}
KEY_PATTERN = re.compile(r"^(?P<entity>[^/]+)/ingest_date=(?P<day>[^/]+)/(?P<file>[^/]+)$")
# More undecodable sampled lines than this is an object in another encoding, not a few dirty rows.
MAX_NON_UTF8_LINE_RATIO = 0.5


@dataclass(frozen=True)
class Verdict:
    entity: str | None  # None when the key names no known entity
    rule: str | None = None  # the failed rule; None when the object is accepted
    reason: str = ""

    @property
    def accepted(self) -> bool:
        return self.rule is None


def is_ignored(key: str) -> bool:
    return key.startswith(IGNORED_PREFIXES)


def entity_of(key: str) -> EntityContract:
    match = KEY_PATTERN.match(key)
    if not match:
        raise RawFormatError(
            "key",
            f"key {key!r} is not <entity>/ingest_date=YYYY-MM-DD/<file>; "
            f"land raw files under one of: {', '.join(sorted(ENTITIES))}",
        )
    if match["entity"] not in ENTITIES:
        raise RawFormatError(
            "key",
            f"{match['entity']!r} is not a known entity; use one of: {', '.join(sorted(ENTITIES))}",
        )
    try:
        ingest_date(match["day"])  # YYYY-MM-DD only, as the ETL reads partitions
    except ValueError:
        raise RawFormatError(
            "key", f"ingest_date={match['day']!r} is not a YYYY-MM-DD date; fix the partition folder"
        ) from None
    return ENTITIES[match["entity"]]


def check_extension(contract: EntityContract, key: str) -> None:
    expected = EXTENSIONS[contract.format]
    if not key.endswith(expected):
        raise RawFormatError(
            "extension",
            f"{contract.name} lands as {contract.format} files ending in {expected!r}, "
            f"not {key.rsplit('/', 1)[-1]!r}",
        )


def check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise RawFormatError(
            "size",
            f"the object has {size} bytes, above the limit of {max_bytes}; split it into smaller parts",
        )


def sampled_lines(sample: bytes, complete: bool) -> list[bytes]:
    """The sample's whole lines: a sample cut from a larger object loses its last, partial line."""
    lines = sample.splitlines()
    if not complete and not sample.endswith(b"\n"):
        lines = lines[:-1]
    return lines


def decoded_first_line(contract: EntityContract, lines: list[bytes]) -> str:
    if not lines:
        raise RawFormatError(
            "header", f"no complete first line in the sampled bytes of this {contract.format} file"
        )
    if b"\x00" in lines[0]:
        raise RawFormatError(
            "encoding",
            "the first line contains NUL bytes (UTF-16 or binary data); save the file as UTF-8",
        )
    try:
        return without_byte_order_mark(lines[0].decode("utf-8").rstrip("\r"))
    except UnicodeDecodeError as exc:
        raise RawFormatError(
            "encoding", f"the first line is not UTF-8 ({exc.reason}); save the file as UTF-8"
        ) from None


def check_encoding(lines: list[bytes]) -> None:
    bad = 0
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
    if lines and bad / len(lines) > MAX_NON_UTF8_LINE_RATIO:
        raise RawFormatError(
            "encoding",
            f"{bad} of {len(lines)} sampled lines are not UTF-8: the file is in another encoding; "
            "save it as UTF-8",
        )


def validate(key: str, size: int, sample: bytes, *, max_bytes: int) -> Verdict:
    """The verdict on one object from its key, its size and its first bytes (`sample`)."""
    try:
        contract = entity_of(key)
    except RawFormatError as rejected:
        return Verdict(None, rejected.rule, rejected.reason)
    try:
        check_extension(contract, key)
        check_size(size, max_bytes)
        complete = len(sample) >= size
        if size == 0 or (contract.format == "json" and complete and not sample.strip()):
            return Verdict(contract.name)  # holds no rows: "nothing today" (ecomdwh/raw_format.py)
        lines = sampled_lines(sample, complete=complete)
        if contract.format == "json" and not lines:
            return Verdict(contract.name)  # a first record longer than the sample: the ETL judges it
        first_line = decoded_first_line(contract, lines)
        check_encoding(lines)
        if contract.format == "csv":
            csv_header(contract, first_line)
        else:
            check_json_first_record(contract, first_line)
    except RawFormatError as rejected:
        return Verdict(contract.name, rejected.rule, rejected.reason)
    return Verdict(contract.name)
