#!/usr/bin/env bash
# Runs the whole check on a fresh machine: installs what the tests need (scripts/setup.sh), checks
# formatting, lints and the API docs of every crate (warnings are errors) and the GitHub workflows
# (actionlint, and zizmor offline: no findings allowed), then every crate's tests: unit, protocol,
# client, devserver and end-to-end (real Terraform against kestra-kv-devserver: 1.15.5, and every
# tested minor from 1.6 for the version tests), including a release build for the installation
# tests (release.rs and registry.rs in crates/terraform-provider-kestra/tests/e2e/, which sign
# with gpg).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet
.venv/bin/actionlint .github/workflows/test.yml .github/workflows/release.yml
.venv/bin/zizmor --offline --persona pedantic .github/workflows/test.yml .github/workflows/release.yml
cargo test --workspace --no-fail-fast "$@"
