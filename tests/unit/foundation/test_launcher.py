import json

import pytest

from emulation import launcher


def test_status_of_a_dead_process_is_cleared(tmp_path):
    record = {
        "backend": "moto",
        "host": "127.0.0.1",
        "port": 4566,
        "state_dir": str(tmp_path),
        "pid": 2**22 + 7,
    }
    (tmp_path / launcher.STATUS_FILE).write_text(json.dumps(record))
    assert launcher.read_status(tmp_path) is None
    assert not (tmp_path / launcher.STATUS_FILE).exists()


def test_env_file_points_sdk_at_the_emulator(tmp_path):
    emulator = launcher.Emulator("moto", "127.0.0.1", 4570, tmp_path, pid=1)
    lines = launcher.write_env_file(emulator).read_text().splitlines()
    assert "AWS_ENDPOINT_URL=http://127.0.0.1:4570" in lines
    assert "ECOMDWH_TARGET=local" in lines


def test_unknown_backend_is_refused(tmp_path):
    with pytest.raises(launcher.EmulatorError, match="moto, localstack"):
        launcher.start(backend="minio", state_dir=tmp_path)
