from pathlib import Path

import pytest

from ecomdwh import config


def test_bucket_defaults_to_local_names_and_honours_overrides(monkeypatch):
    monkeypatch.delenv("ECOMDWH_RAW_BUCKET", raising=False)
    assert config.bucket("raw") == "ecomdwh-local-raw"
    monkeypatch.setenv("ECOMDWH_RAW_BUCKET", "ecomdwh-dev-raw-123456789012")
    assert config.bucket("raw") == "ecomdwh-dev-raw-123456789012"


def test_unknown_bucket_purpose_names_the_valid_ones():
    with pytest.raises(config.ConfigError, match="raw, processed, scripts, logs"):
        config.bucket("archive")


def test_unknown_target_is_refused(monkeypatch):
    monkeypatch.setenv("ECOMDWH_TARGET", "azure")
    with pytest.raises(config.ConfigError, match="local, aws"):
        config.target()


def test_local_target_without_emulator_says_how_to_start_it(monkeypatch, tmp_path):
    monkeypatch.setenv("ECOMDWH_TARGET", "local")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setattr(config, "EMULATOR_STATE_DIR", tmp_path)
    with pytest.raises(config.ConfigError, match="make local-up"):
        config.activate_target()


def test_local_target_loads_the_env_file(monkeypatch, tmp_path):
    monkeypatch.setenv("ECOMDWH_TARGET", "local")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setattr(config, "EMULATOR_STATE_DIR", tmp_path)
    Path(tmp_path, "env").write_text("AWS_ENDPOINT_URL=http://127.0.0.1:4566\nAWS_REGION=us-east-1\n")
    assert config.activate_target() == "local"
    import os

    assert os.environ["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4566"
