"""Secret scan of a git repository's tracked files (default: this one) with detect-secrets.

Exits 1, listing each finding (file, line, kind), when a tracked file holds a secret that is not in this
repository's .secrets.baseline. The baseline holds only reviewed findings that are not secrets: the
emulator's dummy credentials ("test"), example passwords of test clusters, names and ARNs of secrets
(never their values); each is audited `is_secret: false`. Matching is by file, kind and hashed value, so
moving a line does not fail the scan. To record a new deliberate dummy value, after checking it is one:
    .venv/bin/detect-secrets scan --baseline .secrets.baseline && .venv/bin/detect-secrets audit .secrets.baseline
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from detect_secrets import pre_commit_hook

REPO_ROOT = Path(__file__).resolve().parent.parent
BASELINE = REPO_ROOT / ".secrets.baseline"
BASELINE_LINES_UPDATED = 3  # the hook's exit code when it only refreshed line numbers in the baseline


def scan(repository: Path) -> int:
    listing = subprocess.run(
        ["git", "-C", str(repository), "ls-files", "-z"], check=True, capture_output=True, text=True
    )
    # The baseline itself holds hashes of the reviewed values, which read as secrets: it is not scanned.
    files = [
        name
        for name in listing.stdout.split("\0")
        if name and name != BASELINE.name and (repository / name).is_file()
    ]
    with tempfile.TemporaryDirectory() as scratch:
        # The hook rewrites line numbers in the baseline it is given: give it a copy, keep ours as reviewed.
        baseline = Path(scratch) / ".secrets.baseline"
        shutil.copy(BASELINE, baseline)
        report = io.StringIO()
        with contextlib.chdir(repository), contextlib.redirect_stdout(report):
            status = pre_commit_hook.main(["--baseline", str(baseline), *files])
    if status == BASELINE_LINES_UPDATED:  # its "please git add" message is about the scratch copy
        status = 0
    if status:
        print(report.getvalue())
        print(
            f"secret-scan: tracked files of {repository} hold secrets (above). Remove them from the file "
            "(and rotate them: they are in git history); if one is a deliberate dummy value, record it as "
            "scripts/secret_scan.py says.",
            file=sys.stderr,
        )
    else:
        print(f"secret-scan: {len(files)} tracked files of {repository}, no secrets")
    return status


if __name__ == "__main__":
    sys.exit(scan(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO_ROOT))
