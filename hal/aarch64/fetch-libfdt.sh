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

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "fetch-libfdt: adding the arm64 architecture to dpkg (needs root)" >&2
    dpkg --add-architecture arm64
    apt-get update -qq
fi

mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# apt-get download writes into the current directory; a list that is too old (or lacks arm64)
# makes it fail, so refresh once and retry.
if ! (cd "$work" && apt-get download -qq libfdt-dev:arm64 libfdt1:arm64) 2>/dev/null; then
    apt-get update -qq
    (cd "$work" && apt-get download -qq libfdt-dev:arm64 libfdt1:arm64)
fi
for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$dest"
done
test -f "$lib" && test -f "$hdr"
echo "fetch-libfdt: unpacked $(basename "$work"/libfdt-dev_*.deb) into $dest" >&2
