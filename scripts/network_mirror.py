"""Lays out one provider version in the provider network mirror protocol, for any static HTTPS
server (https://developer.hashicorp.com/terraform/internals/provider-network-mirror-protocol):

  DIR/index.json       {"versions": {"<version>": {}, ...}}   (earlier versions kept)
  DIR/<version>.json   {"archives": {"<os>_<arch>": {"url": "<zip>", "hashes": ["h1:…", "zh:…"]}}}

DIR is <mirror>/<hostname>/<namespace>/<type> and already holds the zips: the archive URLs are
relative to <version>.json, so the mirror can move to any host. `zh:` is the SHA-256 of the zip
(what a registry's SHA256SUMS lists); `h1:` is Terraform's hash of the package contents, so a
lock file written from a registry or from this mirror is accepted by the other.

Usage: network_mirror.py DIR VERSION ZIP...
"""

import base64
import hashlib
import json
import os
import sys
import zipfile


def h1(archive: str) -> str:
    """Terraform's `h1:` hash (dirhash Hash1 of the unpacked package): SHA-256 over the sorted
    lines "<sha256 hex of the file>  <path in the package>\\n", base64 encoded."""
    with zipfile.ZipFile(archive) as package:
        lines = sorted(
            f"{hashlib.sha256(package.read(entry)).hexdigest()}  {entry.filename}\n"
            for entry in package.infolist()
            if not entry.is_dir()
        )
    summary = hashlib.sha256("".join(lines).encode()).digest()
    return "h1:" + base64.b64encode(summary).decode()


def zh(archive: str) -> str:
    """The SHA-256 of the zip itself, as a registry's SHA256SUMS lists it."""
    with open(archive, "rb") as data:
        return "zh:" + hashlib.sha256(data.read()).hexdigest()


def platform_of(archive: str, version: str) -> str:
    """linux_amd64 from terraform-provider-kestra_<version>_linux_amd64.zip."""
    name = os.path.basename(archive)
    marker = f"_{version}_"
    if marker not in name or not name.endswith(".zip"):
        sys.exit(f"network_mirror.py: {name} is not a release zip of version {version}")
    return name[name.index(marker) + len(marker) : -len(".zip")]


def write_json(path: str, value: dict) -> None:
    with open(path, "w") as out:
        json.dump(value, out, indent=2, sort_keys=True)
        out.write("\n")


def main(directory: str, version: str, archives: list) -> None:
    write_json(
        os.path.join(directory, f"{version}.json"),
        {
            "archives": {
                platform_of(archive, version): {
                    "url": os.path.basename(archive),
                    "hashes": [h1(archive), zh(archive)],
                }
                for archive in archives
            }
        },
    )
    index_path = os.path.join(directory, "index.json")
    versions = {}
    if os.path.exists(index_path):
        with open(index_path) as existing:
            versions = json.load(existing).get("versions", {})
    versions[version] = {}
    write_json(index_path, {"versions": versions})


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
