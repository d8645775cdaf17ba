"""Object layout shared by the raw and processed buckets (ecomdwh.contracts):
<entity>/ingest_date=YYYY-MM-DD/ for data, quarantine/<entity>/ingest_date=YYYY-MM-DD/ for rejects."""

from __future__ import annotations

from etl.schemas import INGEST_DATE

INGEST_PARTITION = f"{INGEST_DATE}="
QUARANTINE = "quarantine"


def batch_prefix(entity: str, ingest_date: str) -> str:
    return f"{entity}/{INGEST_PARTITION}{ingest_date}/"


def quarantine_prefix(entity: str, ingest_date: str) -> str:
    return f"{QUARANTINE}/{batch_prefix(entity, ingest_date)}"
