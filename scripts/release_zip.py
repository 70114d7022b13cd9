"""Writes a release zip holding one executable, byte for byte the same for the same input:
fixed timestamp (1980-01-01, the earliest a zip can hold), fixed Unix permissions (rwxr-xr-x),
no extra fields, maximum deflate. Terraform's lock file pins the zip's SHA-256 (`zh:`), so a
rebuild of the same version must not change a single byte.

Usage: release_zip.py EXECUTABLE ZIP NAME_IN_ZIP
"""

import sys
import zipfile


def main(executable: str, archive: str, name: str) -> None:
    with open(executable, "rb") as source:
        payload = source.read()
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    entry.create_system = 3  # Unix, so the permissions below are read
    entry.external_attr = (0o100755 & 0xFFFF) << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr(entry, payload, compresslevel=9)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
