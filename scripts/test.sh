#!/usr/bin/env bash
# Runs the whole check on a fresh machine: installs what the tests need (scripts/setup.sh), checks
# formatting and lints (warnings are errors), then unit, protocol and end-to-end tests (real
# Terraform 1.15.5 against kestra-kv-devserver).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
cargo test --no-fail-fast "$@"
