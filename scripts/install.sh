#!/usr/bin/env bash
# Creates .venv with exactly the pinned packages of requirements.lock, then the project itself (editable).
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9

find_python() {
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

if ! PY=$(find_python); then
  cat >&2 <<'MSG'
error: Python 3.11 is required (AWS Glue 5.0 runs Python 3.11) and none was found.
fix:   install it, e.g. `pyenv install 3.11` or `apt-get install python3.11 python3.11-venv`,
       or point PYTHON at one: `make install PYTHON=/path/to/python3.11`.
MSG
  exit 1
fi
if ! command -v java >/dev/null 2>&1; then
  echo "warning: no java on PATH; PySpark needs a JDK 17 (e.g. apt-get install openjdk-17-jre-headless)" >&2
fi

echo "==> creating .venv with $("$PY" --version) from $PY"
"$PY" -m venv --clear .venv  # exactly the lock: nothing left from an earlier install
# uv installs the ~100 pinned wheels in seconds from its cache (pip takes about two minutes each time).
# This machine's pip config lists extra local indexes; their "is ignored" warnings are noise.
.venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" \
  2> >(grep -v "is ignored: it is neither" >&2)
# uv does not read pip.conf: behind a private index, set UV_INDEX_URL (and UV_EXTRA_INDEX_URL).
uv_install() {
  .venv/bin/uv pip install --quiet --python .venv/bin/python --no-deps "$@"
}
uv_install -r requirements.lock
uv_install --no-build-isolation -e .
touch .venv/.installed
echo "==> .venv ready ($(wc -l < requirements.lock) pinned packages)"
