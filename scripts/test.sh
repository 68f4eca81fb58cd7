#!/usr/bin/env bash
# Runs every test of the project: vet, unit and statistical tests, and the
# end-to-end checks. Usage: bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# Use the offline data mirror beside the checkout when there is one; otherwise
# the tests that need the Ozark data download it (or skip without a network).
if [ -z "${INNLIB_DATA_MIRROR:-}" ] && [ -d ../shared/datasets ]; then
  export INNLIB_DATA_MIRROR="$(cd ../shared/datasets && pwd)"
fi

echo "-- go vet"
go vet ./...
echo "-- go test"
go test -timeout 80m ./...
