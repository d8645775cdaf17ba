#!/usr/bin/env bash
# Installs Chromium from Debian's packages when /usr/bin/chromium is missing: the report's browser
# test (tests/integration/test_report_*.py) and `ecomdwh report check` open the report in it.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: /usr/bin/chromium is missing and this machine has no apt-get; install Chromium with your" \
       "package manager so that /usr/bin/chromium exists" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "error: installing Chromium needs root: run \`sudo apt-get install -y chromium\`" >&2
    exit 1
  fi
  SUDO="sudo"
fi
echo "==> installing Chromium from Debian's packages (apt-get install chromium fonts-liberation)"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
/usr/bin/chromium --version
