#!/usr/bin/env bash
# Builds the release artifacts of the provider in the Terraform Registry's layout (what the
# Terraform Registry and the OpenTofu registry read from a GitHub release):
#
#   dist/terraform-provider-kestra_<version>_<os>_<arch>.zip   one per target, holding
#                                                              terraform-provider-kestra_v<version>
#   dist/terraform-provider-kestra_<version>_SHA256SUMS        every zip and the manifest
#   dist/terraform-provider-kestra_<version>_SHA256SUMS.sig    with --sign: detached binary signature
#   dist/terraform-provider-kestra_<version>_manifest.json     (terraform-registry-manifest.json)
#
# and, with --mirror DIR, a packed filesystem mirror for `terraform init`:
#
#   DIR/<address>/terraform-provider-kestra_<version>_<os>_<arch>.zip
#
# and, with --network-mirror DIR, the provider network mirror protocol, for any static HTTPS server:
#
#   DIR/<address>/index.json   DIR/<address>/<version>.json   DIR/<address>/<the zips>
#
# Usage: scripts/release.sh [--sign] [--mirror DIR] [--network-mirror DIR]
#                           [--address HOST/NAMESPACE/kestra]... [--dist DIR]
#                           [--from DIR | TARGET...]
#   TARGET   Terraform platforms, default linux_amd64 (the others need their Rust target
#            installed: linux_arm64, darwin_amd64, darwin_arm64, windows_amd64)
#   --sign   signs SHA256SUMS with the gpg key whose fingerprint is in GPG_FINGERPRINT (from the
#            keyring in GNUPGHOME, else ~/.gnupg; GPG_PASSPHRASE if the key has one). The
#            registries take RSA (or DSA) keys only, not ECC. Without --sign the release is
#            unsigned, fit for mirrors but not for a registry, and the last line says so.
#   --address  mirror address(es), default registry.terraform.io/kestra-io/kestra; repeat it to
#            lay out the same zip under several, e.g. registry.terraform.io/acme/kestra to use
#            this provider beside the official one. The type must be `kestra`: Terraform runs
#            the executable named terraform-provider-<type> from the zip.
#   --dist   where the Registry layout goes, default dist/ (emptied of this version's files)
#   --from   builds nothing: packages the zips of this version found in DIR, which build jobs on
#            other machines made with this script (.github/workflows/release.yml: macOS builds
#            the darwin zips, Linux the others, and one job signs them all)
#
# Everything is built in a temporary directory and moved into dist/ only once complete (and
# signed, with --sign): a failure leaves dist/ as it was.
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

sign=""
from=""
mirror=""
network_mirror=""
dist="$root/dist"
addresses=()
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sign) sign=1; shift ;;
    --mirror) [ $# -ge 2 ] || die "--mirror needs a directory"; mirror=$2; shift 2 ;;
    --network-mirror)
      [ $# -ge 2 ] || die "--network-mirror needs a directory"; network_mirror=$2; shift 2 ;;
    --address) [ $# -ge 2 ] || die "--address needs HOST/NAMESPACE/kestra"; addresses+=("$2"); shift 2 ;;
    --dist) [ $# -ge 2 ] || die "--dist needs a directory"; dist=$2; shift 2 ;;
    --from) [ $# -ge 2 ] || die "--from needs a directory"; from=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ -z "$from" ] || [ ${#targets[@]} -eq 0 ] || die "--from packages zips built elsewhere: give no TARGET"
[ -n "$from" ] || [ ${#targets[@]} -gt 0 ] || targets=(linux_amd64)
[ ${#addresses[@]} -gt 0 ] || addresses=(registry.terraform.io/kestra-io/kestra)
for address in "${addresses[@]}"; do
  [[ "$address" =~ ^[^/]+/[^/]+/kestra$ ]] ||
    die "mirror address $address must be HOST/NAMESPACE/kestra: Terraform looks in the zip for terraform-provider-<type>"
done

# Signing is checked before anything is built: a missing gpg or key fails in a second.
if [ -n "$sign" ]; then
  command -v gpg >/dev/null ||
    die "--sign needs gpg (GnuPG) on the PATH; install it, or build without --sign (unsigned, not for a registry)"
  [ -n "${GPG_FINGERPRINT:-}" ] ||
    die "--sign needs GPG_FINGERPRINT, the fingerprint of the signing key (gpg --list-secret-keys shows it)"
  gpg --batch --list-secret-keys "$GPG_FINGERPRINT" >/dev/null 2>&1 ||
    die "no secret key $GPG_FINGERPRINT in the keyring ${GNUPGHOME:-~/.gnupg}: import it (gpg --import) or set GNUPGHOME"
fi

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
for platform in ${targets[@]+"${targets[@]}"}; do
  triples+=("$(rust_target "$platform")")
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
prefix=${name}_${version}
for i in ${targets[@]+"${!targets[@]}"}; do
  platform=${targets[$i]}
  triple=${triples[$i]}
  exe=""
  [[ "$platform" == windows_* ]] && exe=.exe
  echo "==> building $name $version for $platform ($triple)" >&2
  cargo build --quiet --release --locked --target "$triple" -p "$name" --bin "$name"
  "$python" scripts/release_zip.py "$target_dir/$triple/release/$name$exe" \
    "$stage/${prefix}_${platform}.zip" "${name}_v${version}${exe}"
done
if [ -n "$from" ]; then
  compgen -G "$from/${prefix}_*.zip" >/dev/null ||
    die "no zip of $name $version in $from (a tag must match the version in Cargo.toml)"
  cp "$from/${prefix}_"*.zip "$stage/"
fi
cp terraform-registry-manifest.json "$stage/${prefix}_manifest.json"
# sha256sum's output format; macOS has shasum instead.
sha256() { if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }
(cd "$stage" && sha256 "${prefix}_"*.zip "${prefix}_manifest.json" >"${prefix}_SHA256SUMS")

if [ -n "$sign" ]; then
  # A binary (not armored) detached signature, as the registries require: --no-armor overrides
  # an `armor` line in the user's gpg.conf.
  sign_args=(--batch --yes --no-armor --local-user "$GPG_FINGERPRINT" --detach-sign
    --output "$stage/${prefix}_SHA256SUMS.sig" "$stage/${prefix}_SHA256SUMS")
  if [ -n "${GPG_PASSPHRASE:-}" ]; then
    printf '%s' "$GPG_PASSPHRASE" | gpg --pinentry-mode loopback --passphrase-fd 0 "${sign_args[@]}" ||
      die "gpg could not sign with $GPG_FINGERPRINT (see above)"
  else
    gpg "${sign_args[@]}" || die "gpg could not sign with $GPG_FINGERPRINT (see above)"
  fi
  # The key that made it must be RSA (1) or DSA (17): the registries reject ECC signatures.
  algorithm=$(gpg --batch --list-packets "$stage/${prefix}_SHA256SUMS.sig" 2>/dev/null |
    sed -n 's/^:signature packet: algo \([0-9]*\),.*/\1/p')
  [ "$algorithm" = 1 ] || [ "$algorithm" = 17 ] ||
    die "the key $GPG_FINGERPRINT signs with OpenPGP algorithm ${algorithm:-unknown}; the Terraform Registry takes RSA or DSA keys only (gpg --quick-gen-key NAME rsa4096 sign)"
fi

# Complete: replace this version's files in dist/ and lay out the mirrors.
mkdir -p "$dist"
rm -f "$dist/${prefix}_"*
mv "$stage/${prefix}_"* "$dist/"

for address in "${addresses[@]}"; do
  if [ -n "$mirror" ]; then
    mkdir -p "$mirror/$address"
    cp "$dist/${prefix}_"*.zip "$mirror/$address/"
  fi
  if [ -n "$network_mirror" ]; then
    mkdir -p "$network_mirror/$address"
    cp "$dist/${prefix}_"*.zip "$network_mirror/$address/"
    "$python" scripts/network_mirror.py "$network_mirror/$address" "$version" \
      "$dist/${prefix}_"*.zip
  fi
done

echo "==> $name $version in $dist${mirror:+, the mirror $mirror}${network_mirror:+, the network mirror $network_mirror}" >&2
if [ -n "$sign" ]; then
  echo "==> signed by $GPG_FINGERPRINT: ready for a registry (upload every file of this version in $dist)" >&2
else
  echo "==> UNSIGNED release: fine for mirrors, not for a registry (publish with --sign and GPG_FINGERPRINT)" >&2
fi
