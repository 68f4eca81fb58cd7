#!/usr/bin/env bash
# Runs every notebook in JupyterLab with the GoNB kernel in headless Chromium
# (scripts/browsertest/notebooks.js): fails on error outputs, Go panics or
# build errors, cells that did not run, and Plotly figures that did not draw
# their traces; saves a screenshot per notebook under out/browser/.
# Needs scripts/setup_notebooks.sh first; the notebooks reuse the main job's
# models in out/ozark when they are there (scripts/test.sh runs it first).
# Usage: bash scripts/test_notebooks.sh [notebook.ipynb...]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
exec node scripts/browsertest/notebooks.js --strict-width --out out/browser --timeout "${INNLIB_NOTEBOOK_TIMEOUT_MIN:-20}" "$@"
