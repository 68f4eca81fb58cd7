#!/usr/bin/env bash
# Checks that the exported notebook pages in docs/notebooks are fresh
# (scripts/nbexport): every notebook in notebooks/ has a page made from its
# current cells, and no page is left for a removed notebook. With --executed
# it also compares the output structure (text, tables and their columns,
# figures) of the executed copies that scripts/test_notebooks.sh leaves in
# executed/ with the pages. Numbers and pictures are not compared byte for
# byte: tables hold wall times. Fix a failure with scripts/export_notebooks.sh.
# Usage: bash scripts/check_notebook_docs.sh [--executed]
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./scripts/nbexport -sources -out docs/notebooks notebooks/*.ipynb
if [ "${1:-}" = "--executed" ]; then
  executed=()
  for nb in notebooks/*.ipynb; do executed+=("executed/$(basename "$nb")"); done
  go run ./scripts/nbexport -check -out docs/notebooks "${executed[@]}"
fi
