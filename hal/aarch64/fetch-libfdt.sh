#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Fetch Debian's arm64 build of libfdt (headers + libfdt.a) for the freestanding aarch64 kernel,
# and unpack it into DEST without installing it (installing libfdt-dev:arm64 would replace the
# host's libfdt-dev, which the hostsim build needs). Idempotent: does nothing when DEST already
# holds the library. Usage: fetch-libfdt.sh DEST
# Result: DEST/usr/include/libfdt.h and DEST/usr/lib/aarch64-linux-gnu/libfdt.a
set -eu

dest=${1:?usage: fetch-libfdt.sh DEST}
lib="$dest/usr/lib/aarch64-linux-gnu/libfdt.a"
hdr="$dest/usr/include/libfdt.h"
if [ -f "$lib" ] && [ -f "$hdr" ]; then
    exit 0
fi

for tool in apt-get dpkg dpkg-deb; do
    command -v "$tool" >/dev/null || {
        echo "fetch-libfdt: $tool is missing (not Debian?): unpack an arm64 libfdt.h and libfdt.a into $dest/usr/..." >&2
        exit 1
    }
done
root_or_die() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "fetch-libfdt: $1 needs root: run ./kaal deps (it adds dpkg's arm64 architecture and" >&2
        echo "  refreshes the package lists), or as root: dpkg --add-architecture arm64 && apt-get update" >&2
        exit 1
    fi
}
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    root_or_die "adding the arm64 architecture to dpkg"
    echo "fetch-libfdt: adding the arm64 architecture to dpkg" >&2
    dpkg --add-architecture arm64
    apt-get update -qq
fi

mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download writes into the current directory; a list that is too old (or lacks arm64)
# makes it fail, so refresh once and retry.
if ! (cd "$work" && apt-get download -qq libfdt-dev:arm64 libfdt1:arm64) 2>/dev/null; then
    root_or_die "apt-get update (the package lists lack libfdt-dev:arm64 or are out of date)"
    apt-get update -qq
    (cd "$work" && apt-get download -qq libfdt-dev:arm64 libfdt1:arm64)
fi
for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$dest"
done
test -f "$lib" && test -f "$hdr"
echo "fetch-libfdt: unpacked $(basename "$work"/libfdt-dev_*.deb) into $dest" >&2
