"""Run state in the processed bucket: per-batch audit records and the job's watermark.

The watermark is the set of ingest dates already processed per entity, in one small JSON object:
    s3://<processed>/_state/<job>/watermark.json
Glue job bookmarks only track DynamicFrame sources, and these jobs read with Spark's DataFrame reader,
so the same watermark serves locally and in AWS (run the Glue job with bookmarks disabled)."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field

from etl.storage import s3

AUDIT = "_audit"
STATE = "_state"


@dataclass(frozen=True)
class BatchAudit:
    """Counts of one entity's batch: received = accepted + quarantined + deduplicated."""

    entity: str
    ingest_date: str
    run_id: str
    received: int
    accepted: int
    quarantined: int
    deduplicated: int
    rejected_by_rule: dict[str, int] = field(default_factory=dict)
    source: str = ""
    status: str = "committed"  # or "failed: <why>"
    # False: nothing had landed for the day when it ran, and this empty batch stands in for it (so the
    # warehouse loads the day); files landing for the day later make it pending again.
    landed: bool = True

    @property
    def rejected(self) -> int:
        """Rows of the quarantine output: quarantined and deduplicated."""
        return self.quarantined + self.deduplicated

    @property
    def quarantine_ratio(self) -> float:
        return self.quarantined / self.received if self.received else 0.0

    def balanced(self) -> bool:
        return self.received == self.accepted + self.quarantined + self.deduplicated


def audit_key(entity: str, ingest_date: str) -> str:
    return f"{AUDIT}/{entity}/ingest_date={ingest_date}/audit.json"


def write_audit(bucket: str, audit: BatchAudit) -> None:
    s3.put_json(bucket, audit_key(audit.entity, audit.ingest_date), asdict(audit))


def read_audit(bucket: str, entity: str, ingest_date: str) -> BatchAudit | None:
    document = s3.get_json(bucket, audit_key(entity, ingest_date))
    return BatchAudit(**document) if document else None


class Watermark:
    """Ingest dates a job has committed, per entity. Entities of one run record concurrently."""

    def __init__(self, bucket: str, job_name: str) -> None:
        self.bucket = bucket
        self.key = f"{STATE}/{job_name}/watermark.json"
        self._recording = threading.Lock()

    def processed(self, entity: str) -> set[str]:
        document = s3.get_json(self.bucket, self.key) or {}
        return set(document.get("processed", {}).get(entity, []))

    def pending(self, entity: str, landed: list[str]) -> list[str]:
        """The landed ingest dates not processed yet, oldest first."""
        done = self.processed(entity)
        return sorted(d for d in landed if d not in done)

    def record(self, entity: str, ingest_date: str) -> None:
        with self._recording:
            self._record(entity, ingest_date)

    def _record(self, entity: str, ingest_date: str) -> None:
        document = s3.get_json(self.bucket, self.key) or {"processed": {}}
        dates = set(document["processed"].get(entity, [])) | {ingest_date}
        document["processed"][entity] = sorted(dates)
        s3.put_json(self.bucket, self.key, document)
