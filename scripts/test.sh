#!/usr/bin/env bash
# Runs the whole check on a fresh machine: installs what the tests need (scripts/setup.sh), checks
# formatting and lints (warnings are errors), then unit, protocol and end-to-end tests (real
# Terraform against kestra-kv-devserver: 1.15.5, and every tested minor from 1.6 for the version
# tests), including a release build for the installation tests (tests/e2e/release.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo fmt --all --check
cargo clippy --all-targets -- -D warnings
cargo test --no-fail-fast "$@"
