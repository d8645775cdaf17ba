"""Same seed and scale: identical bytes; another seed: other data."""

import hashlib

import datagen


def _hashes(batch: datagen.Batch) -> dict[str, str]:
    return {file.key: hashlib.sha256(file.render()).hexdigest() for file in batch.raw_files()}


def test_two_runs_give_identical_bytes():
    first = _hashes(datagen.generate_day(scale=0.2, day=0, seed=11, dirty_rate=0.02))
    second = _hashes(datagen.generate_day(scale=0.2, day=0, seed=11, dirty_rate=0.02))
    assert len(first) >= 5
    assert first == second


def test_day_n_does_not_depend_on_what_ran_before():
    datagen.generate_day(scale=0.2, day=0, seed=11)
    after_day0 = _hashes(datagen.generate_day(scale=0.2, day=5, seed=11))
    assert after_day0 == _hashes(datagen.generate_day(scale=0.2, day=5, seed=11))


def test_another_seed_gives_other_data():
    first = _hashes(datagen.generate_day(scale=0.2, day=0, seed=11))
    other = _hashes(datagen.generate_day(scale=0.2, day=0, seed=12))
    assert first.keys() == other.keys()
    assert all(first[key] != other[key] for key in first)
