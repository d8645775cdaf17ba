"""A requested batch never skips an earlier landed batch of its entity that is still unprocessed."""

import pytest

from etl.pipeline import OutOfOrderBatch, refuse_skipping_earlier_batches


def test_a_batch_after_an_unprocessed_earlier_one_is_refused_naming_it_and_the_fix():
    with pytest.raises(OutOfOrderBatch, match=r"2026-01-02 are not processed yet; process 2026-01-02 first"):
        refuse_skipping_earlier_batches("orders", "2026-01-03", ["2026-01-02", "2026-01-03"])


def test_the_oldest_pending_batch_and_reruns_of_processed_batches_go_ahead():
    refuse_skipping_earlier_batches("orders", "2026-01-02", ["2026-01-02", "2026-01-03"])
    refuse_skipping_earlier_batches("orders", "2026-01-01", [])
