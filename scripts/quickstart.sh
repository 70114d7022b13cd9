#!/usr/bin/env bash
# The main job: build the provider, start kestra-kv-devserver, `terraform apply` the quickstart
# example (typed keys), show the outputs and what the server holds, then clean up.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
./scripts/setup.sh >/dev/null
cargo build --quiet --bins

work=$(mktemp -d)
log="$work/devserver.log"
cleanup() {
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

target/debug/kestra-kv-devserver --listen 127.0.0.1:0 >"$log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q '^listening on ' "$log" && break; sleep 0.1; done
url=$(awk '/^listening on /{print $3; exit}' "$log")
[ -n "$url" ] || { echo "devserver did not start:"; cat "$log"; exit 1; }
echo "==> kestra-kv-devserver listening on $url"

cp examples/quickstart/main.tf "$work/"
cat >"$work/terraform.rc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/kestra-io/kestra" = "$root/target/debug"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraform.rc" KESTRA_URL="$url" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
tf() { (cd "$work" && "$root/.venv/bin/terraform" "$@"); }
# Terraform warns that dev_overrides are in effect: that is how this runs the local build.
hide_override_warning() {
  awk '/Warning: Provider development overrides/ { skip = 1 } !skip { print } skip && /releases\./ { skip = 0 }'
}

echo "==> terraform apply"
tf apply -auto-approve -no-color 2>&1 | hide_override_warning
echo "==> what Kestra holds in company.team"
.venv/bin/python scripts/show_kv.py "$url" company.team
echo "==> terraform plan (should show no changes)"
if tf plan -detailed-exitcode -no-color >/dev/null; then echo "No changes."; else echo "Changes planned!"; exit 1; fi
echo "==> terraform destroy"
tf destroy -auto-approve -no-color | tail -1
