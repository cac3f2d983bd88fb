#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check that core/ (and the portable user code) is freestanding C: no host headers.

Every `#include <...>` in core/**/*.c and core/**/*.h must name an allowed header: the freestanding
C headers below, the tree's own <kaal/...>, <hal/...> and <hal_port/...>, and <libfdt.h> only in
core/kernel/dtb.c. Quoted includes are always fine. Prints file:line for each violation and exits 1.

usage: check_freestanding.py SOURCE_ROOT [DIR ...]   (DIR relative to SOURCE_ROOT; default: core)
"""
import pathlib
import re
import sys

FREESTANDING = {"stddef.h", "stdint.h", "stdbool.h", "stdarg.h", "limits.h"}
TREE_PREFIXES = ("kaal/", "hal/", "hal_port/")
# Extra headers allowed in one file only (path relative to the source root): libfdt for the
# device-tree readers (the kernel's and the driver kit's; on aarch64 the port brings its own build).
PER_FILE = {"core/kernel/dtb.c": {"libfdt.h"}, "user/dddk/dddk.c": {"libfdt.h"}}
# Host glue that starts portable code as a Linux process on hostsim (*hostsim_main.c) is exempt.
HOST_GLUE_SUFFIX = "hostsim_main.c"

INCLUDE = re.compile(r'^\s*#\s*include\s*<([^>]+)>')


def check_file(root, path):
    rel = path.relative_to(root).as_posix()
    allowed = FREESTANDING | PER_FILE.get(rel, set())
    problems = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            header = m.group(1).strip()
            if header in allowed or header.startswith(TREE_PREFIXES):
                continue
            problems.append(f"{rel}:{lineno}: host header <{header}> in freestanding code "
                            f"(allowed: {', '.join(sorted(allowed))}, <kaal/...>, <hal/...>, <hal_port/...>)")
    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = pathlib.Path(argv[1]).resolve()
    dirs = argv[2:] or ["core"]
    problems, count = [], 0
    for d in dirs:
        base = root / d
        if not base.is_dir():
            print(f"check_freestanding: {base} is not a directory", file=sys.stderr)
            return 2
        for path in sorted(p for p in base.rglob("*") if p.suffix in (".c", ".h") and p.is_file()
                           and not p.name.endswith(HOST_GLUE_SUFFIX)):
            count += 1
            problems += check_file(root, path)
    for p in problems:
        print(p)
    if problems:
        print(f"check_freestanding: {len(problems)} host include(s) in {', '.join(dirs)}", file=sys.stderr)
        return 1
    print(f"check_freestanding: {count} files in {', '.join(dirs)} are freestanding")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
