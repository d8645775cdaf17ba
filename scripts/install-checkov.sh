#!/usr/bin/env bash
# Creates .venv-checkov with exactly the pinned packages of infra/requirements-checkov.lock.
# checkov gets its own venv because its dependency pins conflict with the project's.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "error: $PY not found; checkov's venv needs Python 3.11 (or set PYTHON=/path/to/python3)" >&2
  exit 1
fi
echo "==> creating .venv-checkov with $("$PY" --version)"
rm -rf .venv-checkov
"$PY" -m venv .venv-checkov
# This machine's pip config lists extra local indexes; their "is ignored" warnings are noise.
.venv-checkov/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
  -r infra/requirements-checkov.lock 2> >(grep -v "is ignored: it is neither" >&2)
.venv-checkov/bin/checkov --version >/dev/null
touch .venv-checkov/.installed
echo "==> .venv-checkov ready (checkov $(.venv-checkov/bin/checkov --version))"
