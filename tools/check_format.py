#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The C sources are formatted as .clang-format says: runs `clang-format --dry-run -Werror` over
every *.c and *.h of the source tree (build directories and .git left out) and fails, naming each
file, when one would change. `./kaal format` formats the tree.

  check_format.py SRCROOT [--clang-format PROGRAM]"""
import argparse
import os
import shutil
import subprocess
import sys


def is_build_dir(path):
    return os.path.isdir(os.path.join(path, 'meson-private')) or os.path.isdir(os.path.join(path, 'meson-info'))


def sources(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith('.') and not is_build_dir(os.path.join(dirpath, d)))
        out += [os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(('.c', '.h'))]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('root')
    ap.add_argument('--clang-format', default='clang-format')
    args = ap.parse_args()
    prog = shutil.which(args.clang_format)
    if prog is None:
        sys.exit(f'check_format: {args.clang_format} not found (Debian package clang-format; ./kaal deps)')
    if not os.path.isfile(os.path.join(args.root, '.clang-format')):
        sys.exit(f'check_format: no .clang-format in {args.root}')
    files = sources(args.root)
    if not files:
        sys.exit(f'check_format: no C sources under {args.root}')
    bad = []
    for i in range(0, len(files), 64):
        chunk = files[i:i + 64]
        r = subprocess.run([prog, '--dry-run', '-Werror', '--style=file'] + chunk,
                           capture_output=True, text=True)
        if r.returncode != 0:
            for f in chunk:
                if f + ':' in r.stderr:
                    bad.append(os.path.relpath(f, args.root))
            if not any(f + ':' in r.stderr for f in chunk):
                sys.exit(f'check_format: {prog} failed: {r.stderr.strip()}')
    if bad:
        print(f'check_format: {len(bad)} of {len(files)} files are not formatted (./kaal format):')
        for f in bad:
            print(f'  {f}')
        return 1
    print(f'check_format: {len(files)} files formatted as .clang-format says')
    return 0


if __name__ == '__main__':
    sys.exit(main())
