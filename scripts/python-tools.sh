#!/usr/bin/env bash
# Installs the pinned Python tools (requirements-dev.txt) into the git-ignored .venv.
# A no-op when the venv exists and was built from the same requirements file.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv
stamp="$venv/.requirements.sha256"
want=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ -x "$venv/bin/cfn-lint" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "python-tools: installing pinned tools into $venv" >&2
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check -r requirements-dev.txt >&2
echo "$want" > "$stamp"
