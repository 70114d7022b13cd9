#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need (scripts/setup.sh),
# then unit, protocol and end-to-end tests (real Terraform 1.15.5 against kestra-kv-devserver).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo test --no-fail-fast "$@"
