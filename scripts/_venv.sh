#!/usr/bin/env bash
# Create .venv and install requirements into it when they changed since the last install.
# Usage: scripts/_venv.sh [dev]   ("dev" adds the test and benchmark requirements)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
requirements=requirements.txt
[ "${1:-}" = "dev" ] && requirements=requirements-dev.txt
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $($python --version)"
  "$python" -m venv .venv
fi
stamp=.venv/.installed-$(basename "$requirements" .txt)
digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
# requirements-dev.txt includes requirements.txt, so a current dev install covers the site's too.
dev_stamp=.venv/.installed-requirements-dev
if [ -f "$dev_stamp" ] && [ "$(cat "$dev_stamp")" = "$digest" ]; then
  exit 0
fi
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  echo "Installing $requirements into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$digest" > "$stamp"
fi
