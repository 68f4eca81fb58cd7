#!/usr/bin/env bash
# Runs every test of the project: go vet (also for arm64) and the Go tests
# (unit, statistical, end-to-end; the kernels' packages again with -tags
# purego, which forces the pure-Go fallbacks of the assembly; a bounded fuzz
# run of the checkpoint readers), then the main
# job and the notebooks with their browser checks.
# The notebook part needs JupyterLab (.venv), GoNB, Chromium and playwright-core
# (scripts/setup_notebooks.sh);
# without them it is skipped with a message, unless INNLIB_REQUIRE_NOTEBOOKS=1
# (CI) makes that an error.
# Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"
# Use the offline data mirror beside the checkout when there is one; otherwise
# the data are downloaded (and the tests that need them skip without a network).
if [ -z "${INNLIB_DATA_MIRROR:-}" ] && [ -d ../shared/datasets ]; then
  export INNLIB_DATA_MIRROR="$(cd ../shared/datasets && pwd)"
fi

echo "-- go vet"
go vet ./...
echo "-- go vet for arm64 (no assembly there: the pure-Go kernels must build)"
GOARCH=arm64 go vet ./...
echo "-- go test"
go test -timeout 80m ./...
echo "-- go test -tags purego: the pure-Go kernels and their callers, as on CPUs without AVX2"
go test -tags purego -short -timeout 10m ./innlib/internal/... ./innlib/dense/ ./innlib/mmd/ ./innlib/flow/ ./innlib/inn/

# --- Fuzzing the checkpoint readers, bounded (issue 14, safe checkpoints) ---
# A crafted or damaged checkpoint (valid checksum included) must give an error,
# never a panic or a huge allocation. -fuzzminimizetime 1x: minimising every
# new input would otherwise take most of the time.
# Budgets are execution counts, not durations: with a duration, Go 1.26's fuzz
# coordinator can report its own deadline as a failure with no crashing input
# (golang/go#75804, fixed in Go 1.27); a count has no deadline to race. The
# counts take about 35 s, 25 s and 15 s on the 2-core development machine.
echo "-- go test -fuzz: checkpoint readers (inn and emulator 100k inputs, file framing 500k)"
go test -run '^$' -fuzz '^FuzzLoad$' -fuzztime 100000x -fuzzminimizetime 1x -timeout 10m ./innlib/inn/
go test -run '^$' -fuzz '^FuzzLoad$' -fuzztime 100000x -fuzzminimizetime 1x -timeout 10m ./innlib/emulator/
go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 500000x -fuzzminimizetime 1x -timeout 10m ./innlib/internal/ckpt/
# --- end of fuzzing ---
echo "-- docs/notebooks matches the notebooks (scripts/export_notebooks.sh regenerates it)"
bash scripts/check_notebook_docs.sh

missing=()
for tool in gonb node; do command -v "$tool" >/dev/null || missing+=("$tool"); done
command -v chromium >/dev/null || [ -n "${INNLIB_CHROMIUM:-}" ] || missing+=("chromium")
[ -x "${INNLIB_VENV:-.venv}/bin/jupyter-lab" ] || missing+=("JupyterLab (.venv)")
[ -f third_party/plotly/plotly.min.js ] || missing+=("plotly.js")
[ -d third_party/playwright/node_modules/playwright-core ] || missing+=("playwright-core")
if [ ${#missing[@]} -gt 0 ]; then
  msg="notebook checks skipped: missing ${missing[*]} (run scripts/setup_notebooks.sh)"
  if [ "${INNLIB_REQUIRE_NOTEBOOKS:-}" = 1 ]; then echo "error: $msg" >&2; exit 1; fi
  echo "-- $msg"
  exit 0
fi
echo "-- main job (go run ./scripts/ozark), whose models the notebooks reuse"
mkdir -p out
go run ./scripts/ozark -out out/ozark -quiet > out/ozark-main-job.log 2>&1 || { tail -30 out/ozark-main-job.log; exit 1; }
tail -3 out/ozark-main-job.log
echo "-- notebooks in JupyterLab, in headless Chromium (screenshots in out/browser)"
bash scripts/test_notebooks.sh
