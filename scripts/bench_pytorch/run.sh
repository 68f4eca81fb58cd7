#!/usr/bin/env bash
# Times innlib and FrEIA + PyTorch side by side (see bench.py); needs a Python
# with torch and FrEIA: PYTHON=/path/to/venv/bin/python (default python3).
# Extra arguments go to bench.py, e.g. --kernels avx2 avx512 --rounds 5.
set -euo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import torch, FrEIA' 2>/dev/null; then
	echo "bench_pytorch: $PYTHON lacks torch or FrEIA; install them, e.g." >&2
	echo "  python3 -m venv /tmp/venv-torch && /tmp/venv-torch/bin/pip install torch==1.13.1 FrEIA==0.2 'numpy<2' scipy" >&2
	exit 1
fi
bin=$(mktemp -d)/inn.test
go test -c -o "$bin" ./innlib/inn/
exec "$PYTHON" scripts/bench_pytorch/bench.py --inn-test "$bin" --python "$PYTHON" "$@"
