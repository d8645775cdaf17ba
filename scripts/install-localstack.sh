#!/usr/bin/env bash
# Creates .venv-localstack: LocalStack host mode (localstack-core[runtime]) on Python 3.13, pinned.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(.venv/bin/python -c 'from emulation.localstack import find_python313; print(find_python313() or "")')
if [ -z "$PY" ]; then
  echo "error: LocalStack host mode needs Python 3.13 and none was found; fix: pyenv install 3.13" >&2
  exit 1
fi
echo "==> creating .venv-localstack with $("$PY" --version)"
"$PY" -m venv .venv-localstack
.venv-localstack/bin/python -m pip install --quiet --disable-pip-version-check \
  -c emulation/localstack-constraints.txt "localstack-core[runtime]==2026.3.0" 2>&1 | grep -v "is ignored: it is neither" || true
.venv-localstack/bin/python -c 'import localstack.runtime.main' 
touch .venv-localstack/.installed
echo "==> .venv-localstack ready"
