"""`make secret-scan` (scripts/secret_scan.py) fails on a secret in a tracked file, and passes without one."""

import random
import string
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SCAN = REPO_ROOT / "scripts" / "secret_scan.py"


def _repository(path: Path, files: dict[str, str]) -> Path:
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    for name, text in files.items():
        (path / name).write_text(text)
    subprocess.run(["git", "-C", str(path), "add", "."], check=True)
    return path


def _scan(repository: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCAN), str(repository)], capture_output=True, text=True)


def test_a_planted_aws_key_pair_fails_the_scan_naming_the_file(tmp_path):
    # Built at run time, so this file holds no key-shaped value for the repository's own scan to find.
    draw = random.Random(9).choices
    key_id = "AKIA" + "".join(draw(string.ascii_uppercase + "234567", k=16))
    secret = "".join(draw(string.ascii_letters + string.digits + "/+", k=40))
    settings = f'aws_access_key_id = "{key_id}"\naws_secret_access_key = "{secret}"\n'
    repository = _repository(
        tmp_path / "repo", {"settings.py": "REGION = 'us-east-1'\n", "creds.cfg": settings}
    )

    scan = _scan(repository)

    assert scan.returncode == 1, scan.stdout + scan.stderr
    assert "AWS Access Key" in scan.stdout
    assert "Location:    creds.cfg:1" in scan.stdout
    assert "settings.py" not in scan.stdout


def test_tracked_files_without_secrets_pass(tmp_path):
    repository = _repository(tmp_path / "repo", {"settings.py": "REGION = 'us-east-1'\n"})
    scan = _scan(repository)
    assert scan.returncode == 0, scan.stdout + scan.stderr
    assert "1 tracked files" in scan.stdout
