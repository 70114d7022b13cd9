#!/usr/bin/env bash
# Builds the release artifacts of the provider in the Terraform Registry's layout:
#
#   dist/terraform-provider-kestra_<version>_<os>_<arch>.zip   one per target, holding
#                                                              terraform-provider-kestra_v<version>
#   dist/terraform-provider-kestra_<version>_SHA256SUMS
#   dist/terraform-provider-kestra_<version>_manifest.json     (terraform-registry-manifest.json)
#
# and, with --mirror DIR, a packed filesystem mirror for `terraform init`:
#
#   DIR/<address>/terraform-provider-kestra_<version>_<os>_<arch>.zip
#
# Usage: scripts/release.sh [--mirror DIR] [--address HOST/NAMESPACE/kestra]... [--dist DIR]
#                           [TARGET...]
#   TARGET   Terraform platforms, default linux_amd64 (the others need their Rust target
#            installed: linux_arm64, darwin_amd64, darwin_arm64, windows_amd64)
#   --address  mirror address(es), default registry.terraform.io/kestra-io/kestra; repeat it to
#            lay out the same zip under several, e.g. registry.terraform.io/acme/kestra to use
#            this provider beside the official one. The type must be `kestra`: Terraform runs
#            the executable named terraform-provider-<type> from the zip.
#   --dist   where the Registry layout goes, default dist/ (emptied of this version's files)
#
# The version is the package version in Cargo.toml. The same version and source give the same
# zip bytes on the same toolchain, wherever the checkout and the cargo home are (paths are
# remapped out of the binary, the zip has fixed timestamps and permissions), so the hashes in
# users' lock files stay valid across rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
name=terraform-provider-kestra

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() { echo "release.sh: $*" >&2; exit 2; }

mirror=""
dist="$root/dist"
addresses=()
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --mirror) [ $# -ge 2 ] || die "--mirror needs a directory"; mirror=$2; shift 2 ;;
    --address) [ $# -ge 2 ] || die "--address needs HOST/NAMESPACE/kestra"; addresses+=("$2"); shift 2 ;;
    --dist) [ $# -ge 2 ] || die "--dist needs a directory"; dist=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(linux_amd64)
[ ${#addresses[@]} -gt 0 ] || addresses=(registry.terraform.io/kestra-io/kestra)
for address in "${addresses[@]}"; do
  [[ "$address" =~ ^[^/]+/[^/]+/kestra$ ]] ||
    die "mirror address $address must be HOST/NAMESPACE/kestra: Terraform looks in the zip for terraform-provider-<type>"
done

python=python3
[ -x .venv/bin/python ] && python=.venv/bin/python
version=$(cargo metadata --no-deps --format-version 1 --manifest-path "$root/Cargo.toml" |
  "$python" -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "terraform-provider-kestra"))')

# Terraform platform -> Rust target triple.
rust_target() {
  case "$1" in
    linux_amd64) echo x86_64-unknown-linux-gnu ;;
    linux_arm64) echo aarch64-unknown-linux-gnu ;;
    darwin_amd64) echo x86_64-apple-darwin ;;
    darwin_arm64) echo aarch64-apple-darwin ;;
    windows_amd64) echo x86_64-pc-windows-gnu ;;
    *) die "unknown target $1 (one of linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64)" ;;
  esac
}

# Paths that would otherwise end up in the binary (panic locations): the dependencies' sources
# under the cargo home and the generated protocol code under the target directory become fixed
# names (the C parts of the TLS library likewise); our own sources are compiled with relative
# paths already. With --target these flags reach only the target's code, not build scripts.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
target_dir=$(cargo metadata --no-deps --format-version 1 --manifest-path "$root/Cargo.toml" |
  "$python" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }--remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$target_dir=/target"
export CFLAGS="${CFLAGS:+$CFLAGS }-ffile-prefix-map=$cargo_home=/cargo -ffile-prefix-map=$target_dir=/target"

triples=()
for platform in "${targets[@]}"; do
  triples+=("$(rust_target "$platform")")
done

mkdir -p "$dist"
rm -f "$dist/${name}_${version}_"*
for i in "${!targets[@]}"; do
  platform=${targets[$i]}
  triple=${triples[$i]}
  exe=""
  [[ "$platform" == windows_* ]] && exe=.exe
  echo "==> building $name $version for $platform ($triple)" >&2
  cargo build --quiet --release --locked --target "$triple" --bin "$name"
  "$python" scripts/release_zip.py "$target_dir/$triple/release/$name$exe" \
    "$dist/${name}_${version}_${platform}.zip" "${name}_v${version}${exe}"
done
cp terraform-registry-manifest.json "$dist/${name}_${version}_manifest.json"
(cd "$dist" && sha256sum "${name}_${version}_"*.zip "${name}_${version}_manifest.json" \
  >"${name}_${version}_SHA256SUMS")

if [ -n "$mirror" ]; then
  for address in "${addresses[@]}"; do
    mkdir -p "$mirror/$address"
    cp "$dist/${name}_${version}_"*.zip "$mirror/$address/"
  done
fi
echo "==> $name $version in $dist${mirror:+ and the mirror $mirror}" >&2
