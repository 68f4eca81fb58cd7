#!/usr/bin/env bash
# Executes every notebook headless with the GoNB kernel, checks the outputs
# (errors, Go panics, figure cells without figures), and checks in headless
# Chromium that an executed notebook exported to HTML and an exported figure
# page really draw their plots. Needs scripts/setup_notebooks.sh first.
# Usage: bash scripts/test_notebooks.sh [notebook.ipynb...]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
PY=/usr/bin/python3
# Executed copies go one level below the repository root, like notebooks/,
# so the relative plotly.js path the figures carry (../third_party/...) resolves.
out=executed
mkdir -p "$out"
notebooks=("$@")
if [ ${#notebooks[@]} -eq 0 ]; then notebooks=(notebooks/*.ipynb); fi

for nb in "${notebooks[@]}"; do
  echo "-- executing $nb"
  start=$(date +%s)
  jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=gonb \
    --ExecutePreprocessor.timeout=900 --output-dir "$out" "$nb" > "$out/$(basename "$nb" .ipynb).log" 2>&1 \
    || { echo "nbconvert failed on $nb:"; grep -v '^[IW][0-9]' "$out/$(basename "$nb" .ipynb).log" | tail -30; exit 1; }
  echo "   $(( $(date +%s) - start )) s"
done
executed=()
for nb in "${notebooks[@]}"; do executed+=("$out/$(basename "$nb")"); done
$PY scripts/check_notebooks.py "${executed[@]}"

echo "-- browser check"
# Trust the executed notebook so its HTML outputs (the plots) are kept, export
# it to HTML next to the notebooks folder's relative plotly path, and load it.
first="${executed[0]}"
$PY -m nbformat.sign "$first" >/dev/null
jupyter nbconvert --to html --output-dir "$out" "$first" >/dev/null 2>&1
pages=("$out/$(basename "$first" .ipynb).html")
fig=$(ls out/ozark/figures/fig1_*.html 2>/dev/null | head -1 || true)
if [ -n "$fig" ]; then pages+=("$fig"); fi
go run ./scripts/domcheck "${pages[@]}"
