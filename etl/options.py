"""Job arguments in Glue's shape (`--name value`), parsed by awsglue's getResolvedOptions when it is
present and by an equivalent here when it is not. Glue's own arguments (--TempDir, --JOB_ID, ...)
are ignored."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from ecomdwh import contracts
from ecomdwh.config import bucket

ENTITY_ORDER = ("customers", "products", "orders", "order_items", "web_events")  # referenced first


class JobArgumentError(ValueError):
    """A job argument that is missing or malformed, worded with the fix."""


@dataclass(frozen=True)
class JobOptions:
    job_name: str
    raw_bucket: str
    processed_bucket: str
    ingest_date: str | None  # None: every landed batch the watermark has not seen
    entities: tuple[str, ...]
    max_quarantine_ratio: float


def resolved_options(argv: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    try:
        from awsglue.utils import getResolvedOptions
    except ImportError:
        return _parse_options(argv, names)
    return getResolvedOptions(list(argv), list(names))


def _parse_options(argv: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    tokens = list(argv)
    for index, token in enumerate(tokens):
        name, equals, value = token.removeprefix("--").partition("=")
        if not token.startswith("--") or name not in names:
            continue
        if not equals:
            if index + 1 >= len(tokens):
                raise JobArgumentError(f"--{name} needs a value, e.g. --{name} <value>")
            value = tokens[index + 1]
        found[name] = value
    return found


def parse_job_options(argv: Sequence[str]) -> JobOptions:
    optional = ("raw_bucket", "processed_bucket", "ingest_date", "entities", "max_quarantine_ratio")
    present = [name for name in optional if any(a.split("=")[0] == f"--{name}" for a in argv)]
    if not any(a.split("=")[0] == "--JOB_NAME" for a in argv):
        raise JobArgumentError("--JOB_NAME is required (Glue passes it; locally pass e.g. --JOB_NAME etl)")
    args = resolved_options(argv, ["JOB_NAME", *present])
    entities = tuple(e.strip() for e in args.get("entities", ",".join(ENTITY_ORDER)).split(",") if e.strip())
    unknown = sorted(set(entities) - set(ENTITY_ORDER))
    if unknown:
        raise JobArgumentError(
            f"--entities names {', '.join(unknown)}; use some of {', '.join(ENTITY_ORDER)}"
        )
    ingest_date = args.get("ingest_date")
    if ingest_date is not None:
        ingest_date_argument(ingest_date)
    return JobOptions(
        job_name=args["JOB_NAME"],
        raw_bucket=args.get("raw_bucket", bucket("raw")),
        processed_bucket=args.get("processed_bucket", bucket("processed")),
        ingest_date=ingest_date,
        entities=tuple(e for e in ENTITY_ORDER if e in entities),
        max_quarantine_ratio=ratio_argument("max_quarantine_ratio", args.get("max_quarantine_ratio", "0.2")),
    )


def ingest_date_argument(text: str) -> dt.date:
    """--ingest_date's value: YYYY-MM-DD only."""
    try:
        return contracts.ingest_date(text)
    except ValueError:
        raise JobArgumentError(
            f"--ingest_date {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-01-02"
        ) from None


def ratio_argument(name: str, text: str) -> float:
    """A share: a finite number from 0 to 1 (float() also takes nan, inf and 1e3; a nan threshold
    would turn every comparison with it false)."""
    try:
        ratio = float(text)
    except ValueError:
        ratio = math.nan
    if not (math.isfinite(ratio) and 0 <= ratio <= 1):
        raise JobArgumentError(f"--{name} {text!r} is not a number from 0 to 1; use e.g. 0.2")
    return ratio
