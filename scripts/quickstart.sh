#!/usr/bin/env bash
# Quick start: install everything, then build the briefing for the sample inbox.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "==> building the briefing for the sample inbox"
.venv/bin/briefing run --from 2022-03-28 --to 2022-03-30
