#!/usr/bin/env bash
# Opt-in check of GoMLX's XLA backend on CPU (off by default; .ci/run runs it
# when INNLIB_XLA_CPU=1). It installs the PJRT CPU plugin that PyPI's
# xla-cpu-pjrt wheel ships (metadata: "The OpenXLA Authors"; environment.md)
# into the git-ignored third_party/xla-cpu-pjrt, then builds the tests with
# -tags xla (cgo: needs gcc) and runs:
#   - innlib/backend's tests with XLA compiled in (the default is still SimpleGo);
#   - TestGraphEngineOnXLA: both recipes trained with the graph engine on
#     SimpleGo and on XLA from the same seed, compared epoch by epoch and by
#     their posteriors;
#   - with --bench, the graph engine's training-step benchmarks on both
#     backends (docs/benchmarks.md).
# Nothing else ever uses XLA: the default stays SimpleGo.
# Usage: bash scripts/test_xla.sh [--bench]
set -euo pipefail
cd "$(dirname "$0")/.."
XLA_CPU_PJRT_VERSION=0.0.1
# The wheel checked on 2026-12-01 (manylinux_2_27_x86_64); pip refuses any other file.
XLA_CPU_PJRT_SHA256=55837b6b7b47daa717f2d9a5a03563ea0ceaa338d06a81a1e2d3f060d960decc
dir="third_party/xla-cpu-pjrt"
plugin="$(pwd)/$dir/xla_plugins/xla_cpu_pjrt/xla_cpu_pjrt.so"
if ! grep -qs "^Version: $XLA_CPU_PJRT_VERSION\$" "$dir"/xla_cpu_pjrt-*.dist-info/METADATA; then
  pip=(python3 -m pip)
  [ -x .venv/bin/pip ] && pip=(.venv/bin/pip)
  mkdir -p out
  echo "-- pip install --target $dir xla-cpu-pjrt==$XLA_CPU_PJRT_VERSION (log: out/xla-cpu-pjrt.log)"
  rm -rf "$dir"
  req="$(mktemp)"
  echo "xla-cpu-pjrt==$XLA_CPU_PJRT_VERSION --hash=sha256:$XLA_CPU_PJRT_SHA256" > "$req"
  "${pip[@]}" install --disable-pip-version-check --no-deps --require-hashes --only-binary=:all: \
    --target "$dir" -r "$req" > out/xla-cpu-pjrt.log 2>&1 || { rm -f "$req"; tail -20 out/xla-cpu-pjrt.log; exit 1; }
  rm -f "$req"
fi
mkdir -p out
[ -f "$plugin" ] || { echo "error: $plugin missing after install" >&2; exit 1; }
export INNLIB_XLA_PLUGIN="$plugin"
# An absolute plugin path: GoMLX loads it directly and never tries its
# auto-install (a download from GitHub).
xla="xla:$plugin"
echo "-- XLA on CPU: $xla"
# With XLA compiled in, the default must still be SimpleGo.
go test -tags xla -count=1 ./innlib/backend/
go test -tags xla -count=1 -timeout 30m -run 'TestGraphEngineOnXLA' -v ./innlib/inn/ > out/xla-test.log 2>&1 \
  || { tail -40 out/xla-test.log; exit 1; }
grep -E '^(--- |ok|    xla_test)' out/xla-test.log
if [ "${1:-}" = --bench ]; then
  echo "-- graph-engine training steps, SimpleGo (go:ops_sequential)"
  go test -tags xla -run XXX -bench 'TrainStepGraph' -benchtime 3s ./innlib/inn/ | grep -E '^Benchmark'
  echo "-- graph-engine training steps, XLA CPU"
  GOMLX_BACKEND="$xla" go test -tags xla -run XXX -bench 'TrainStepGraph' -benchtime 3s ./innlib/inn/ | grep -E '^Benchmark'
fi
