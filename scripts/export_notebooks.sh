#!/usr/bin/env bash
# Executes the notebooks (every notebooks/*.ipynb, or the ones given) with the
# GoNB kernel, asking them for a PNG beside each interactive figure
# (INNLIB_NOTEBOOK_PNG=1), checks their outputs, and exports them to static
# pages under docs/notebooks/ (NAME.md and NAME/*.png, via scripts/nbexport),
# so that the results can be read on GitHub without running anything.
# Needs scripts/setup_notebooks.sh, and the main job's results in out/ozark
# (go run ./scripts/ozark -out out/ozark) for the notebooks that read them.
# Usage: bash scripts/export_notebooks.sh [notebooks/NAME.ipynb...]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
export INNLIB_NOTEBOOK_PNG=1
# nbconvert and the GoNB kernel live in the project's venv (scripts/setup_notebooks.sh);
# INNLIB_VENV names another environment whose bin/jupyter to use.
venv="${INNLIB_VENV:-.venv}"
jupyter="$venv/bin/jupyter"
[ -x "$jupyter" ] || { echo "export_notebooks.sh: no $jupyter (run scripts/setup_notebooks.sh, or set INNLIB_VENV)" >&2; exit 1; }
out=executed/export
mkdir -p "$out" docs/notebooks
notebooks=("$@")
if [ ${#notebooks[@]} -eq 0 ]; then notebooks=(notebooks/*.ipynb); fi

executed=()
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb" .ipynb)
  echo "-- executing $nb"
  start=$(date +%s)
  "$jupyter" nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=gonb \
    --ExecutePreprocessor.timeout=900 --output-dir "$out" "$nb" > "$out/$name.log" 2>&1 \
    || { echo "nbconvert failed on $nb:"; grep -v '^[IW][0-9]' "$out/$name.log" | tail -30; exit 1; }
  echo "   $(( $(date +%s) - start )) s"
  executed+=("$out/$name.ipynb")
done
python3 scripts/check_notebooks.py "${executed[@]}"
go run ./scripts/nbexport -out docs/notebooks "${executed[@]}"
echo "docs/notebooks: $(du -sh docs/notebooks | cut -f1)"
