#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_symbols: no global symbol that core/ defines may also be a C library symbol.

On hostsim the kernel and the C library share one process, so a kernel function named like a libc
one (sched_yield, memset, ...) silently replaces it for everything, sanitizer runtimes included.

usage: check_symbols.py NM LIBCORE.a LIBC.so
"""
import subprocess
import sys


def defined_globals(nm, path, dynamic):
    args = [nm, '--defined-only', '-g'] + (['-D'] if dynamic else []) + [path]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[-2] not in ('U', 'w', 'v'):
            names.add(parts[-1].split('@')[0])
    return names


def main():
    if len(sys.argv) != 4:
        raise SystemExit("usage: check_symbols.py NM LIBCORE.a LIBC.so")
    nm, core, libc = sys.argv[1:]
    clashes = sorted(defined_globals(nm, core, False) & defined_globals(nm, libc, True))
    for name in clashes:
        print(f"core/ defines '{name}', which the C library also defines: rename it (module prefix)")
    if clashes:
        sys.exit(1)
    print("core/: no global symbol clashes with the C library")


if __name__ == '__main__':
    main()
