"""Raw -> processed for the batches a run covers: per entity (referenced entities first; entities that
do not reference each other concurrently, as Spark jobs of one session), per batch: read, check, write
quarantine, enforce the quarantine threshold, commit processed, audit, watermark."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import uuid
from concurrent.futures import ThreadPoolExecutor

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession

from ecomdwh.contracts import ENTITIES
from ecomdwh.manifests import ROWS_PER_PART
from etl.clean import accepted_rows, batch_rules, check_batch, rejected_rows, with_outcome
from etl.options import JobOptions
from etl.rules import ENTITY_RULES, dependency_levels
from etl.storage import s3
from etl.storage.commit import write_batch
from etl.storage.files import data_files
from etl.storage.layout import batch_prefix, quarantine_prefix
from etl.storage.processed import committed_keys
from etl.storage.raw import landed_ingest_dates, read_raw, refusing_unreadable_files
from etl.storage.state import BatchAudit, Watermark, read_audit, write_audit
from etl.transforms.dedupe import DUPLICATE
from etl.transforms.validate import RULE

log = logging.getLogger("etl")


class QuarantineThresholdExceeded(RuntimeError):
    """A batch rejected more rows than --max_quarantine_ratio allows."""


class OutOfOrderBatch(RuntimeError):
    """A batch asked for while an earlier landed batch of the entity is still unprocessed."""


def run(spark: SparkSession, options: JobOptions) -> list[BatchAudit]:
    """Processes the requested batch (--ingest_date) or every landed batch the watermark lacks.
    The entities of a level run side by side, so one's S3 calls and driver work overlap another's
    tasks; a failing entity fails the run once the entities running beside it have finished."""
    watermark = Watermark(options.processed_bucket, options.job_name)
    audits = []
    for level in dependency_levels(options.entities):
        with ThreadPoolExecutor(max_workers=len(level), thread_name_prefix="etl") as pool:
            per_entity = list(pool.map(lambda entity: _run_entity(spark, options, watermark, entity), level))
        audits += [audit for entity_audits in per_entity for audit in entity_audits]
    return audits


def _run_entity(
    spark: SparkSession, options: JobOptions, watermark: Watermark, entity: str
) -> list[BatchAudit]:
    landed = landed_ingest_dates(options.raw_bucket, entity)
    pending = watermark.pending(entity, landed)
    if options.ingest_date:
        # The watermark is this job's; a batch another job name processed has its committed audit.
        earlier = [d for d in pending if d < options.ingest_date]
        uncommitted = [d for d in earlier if not _committed(options.processed_bucket, entity, d)]
        refuse_skipping_earlier_batches(entity, options.ingest_date, uncommitted)
    dates = [options.ingest_date] if options.ingest_date else pending
    audits = []
    for ingest_date in dates:
        audits.append(process_batch(spark, options, entity, ingest_date))
        if ingest_date in landed:
            watermark.record(entity, ingest_date)
    return audits


def _committed(bucket: str, entity: str, ingest_date: str) -> bool:
    """Whether the batch's landed files were processed (an empty stand-in for a day on which nothing had
    landed yet does not count once files have landed)."""
    audit = read_audit(bucket, entity, ingest_date)
    return audit is not None and audit.status == "committed" and audit.landed


def refuse_skipping_earlier_batches(entity: str, ingest_date: str, unprocessed: list[str]) -> None:
    """A batch goes after every earlier landed one: deduplication keeps the latest row, and referential
    rules only know the keys of batches already processed. Re-running a processed batch is fine."""
    earlier = [date for date in unprocessed if date < ingest_date]
    if earlier:
        raise OutOfOrderBatch(
            f"{entity} batch {ingest_date}: the earlier landed batch(es) {', '.join(earlier)} are not processed "
            f"yet; process {earlier[0]} first, or run without --ingest_date to process every pending batch "
            "oldest first"
        )


def process_batch(spark: SparkSession, options: JobOptions, entity: str, ingest_date: str) -> BatchAudit:
    """Commits the entity's batch of the day: processed rows, quarantine and their manifests, and the
    audit. A day on which nothing landed for the entity is an empty batch (the warehouse loads every
    entity of a day), audited as not landed."""
    contract = ENTITIES[entity]
    as_of = dt.date.fromisoformat(ingest_date)
    source = s3.uri(options.raw_bucket, batch_prefix(entity, ingest_date))
    landed = bool(data_files(spark, source))
    if not landed:
        log.warning(
            "%s %s: nothing landed under %s; committing an empty batch for the day",
            entity,
            ingest_date,
            source,
        )
    known_keys = {
        ref.entity: committed_keys(
            spark, options.processed_bucket, ref.entity, ENTITIES[ref.entity].business_key[0], up_to=as_of
        )
        for ref in ENTITY_RULES[entity].references
    }
    rules = batch_rules(contract, as_of=as_of)
    checked = _kept(check_batch(read_raw(spark, contract, source), contract, rules, known_keys=known_keys))
    try:
        # Deduplication runs the first job over the rows: it reads the raw files and fills the cache.
        with refusing_unreadable_files(spark, contract, source):
            outcome = with_outcome(checked, contract, rules)
        audit = _audit(outcome, entity, ingest_date, source, landed=landed)
        log.info("%s %s: %s", entity, ingest_date, audit)
        bucket, run_id = options.processed_bucket, audit.run_id
        quarantine, processed = quarantine_prefix(entity, ingest_date), batch_prefix(entity, ingest_date)
        rejected = _in_files_of(
            ROWS_PER_PART, rejected_rows(outcome, contract, rules, as_of=as_of), audit.rejected
        )
        accepted = _in_files_of(ROWS_PER_PART, accepted_rows(outcome, contract, as_of=as_of), audit.accepted)
        if audit.quarantine_ratio > options.max_quarantine_ratio:
            write_batch(rejected, bucket, quarantine, run_id=run_id)
            limit = options.max_quarantine_ratio
            message = (
                f"{entity} batch {ingest_date}: {audit.quarantined} of {audit.received} rows quarantined "
                f"({audit.quarantine_ratio:.1%}), above --max_quarantine_ratio={limit}; "
                f"see {s3.uri(bucket, quarantine)} for each row's rule and reason, "
                "fix the source batch and re-run"
            )
            write_audit(bucket, dataclasses.replace(audit, status=f"failed: {message}"))
            raise QuarantineThresholdExceeded(message)
        # Both outputs read the kept rows; written side by side, their S3 round trips overlap.
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"etl-{entity}") as pool:
            writes = [
                pool.submit(write_batch, rows, bucket, prefix, run_id=run_id)
                for rows, prefix in ((rejected, quarantine), (accepted, processed))
            ]
        for write in writes:
            write.result()
        write_audit(bucket, audit)
    finally:
        _release(checked)
    return audit


def _kept(rows: DataFrame) -> DataFrame:
    """`rows`, kept (memory, spilling to local disk) once the first job computes them, for the jobs after:
    deduplication, the audit and both writes. Spark's columnar cache is used, not a local checkpoint of
    whole rows: three of those four jobs read a few narrow columns, which the cache reads alone. At 1M
    orders, web_events' batch took 95 s with it (cache uncompressed, etl.spark) and 118 s with the
    checkpoint."""
    return rows.persist(StorageLevel.MEMORY_AND_DISK)


def _release(kept: DataFrame) -> None:
    """Drops the rows `_kept` kept, now rather than when the JVM garbage-collects them."""
    kept.unpersist()


def _in_files_of(rows_per_file: int, rows: DataFrame, count: int) -> DataFrame:
    """`rows` in as few partitions (so Parquet files) as `rows_per_file` allows, never more than now: a
    small batch is one file, and one write task, instead of one per shuffle partition."""
    return rows.coalesce(max(1, math.ceil(count / rows_per_file)))


def _audit(outcome: DataFrame, entity: str, ingest_date: str, source: str, *, landed: bool) -> BatchAudit:
    by_rule = {row[RULE]: row["count"] for row in outcome.groupBy(RULE).count().collect()}
    accepted = by_rule.pop(None, 0)
    deduplicated = by_rule.get(DUPLICATE, 0)
    return BatchAudit(
        entity=entity,
        ingest_date=ingest_date,
        run_id=f"{ingest_date}-{uuid.uuid4().hex[:12]}",
        received=accepted + sum(by_rule.values()),
        accepted=accepted,
        quarantined=sum(by_rule.values()) - deduplicated,
        deduplicated=deduplicated,
        rejected_by_rule=dict(sorted(by_rule.items())),
        source=source,
        landed=landed,
    )
