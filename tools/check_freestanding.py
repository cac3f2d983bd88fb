#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check that KaaL's freestanding code is freestanding: no C library's headers.

Two checks, one per mode.

Source mode: every `#include <...>` in core/**/*.c and core/**/*.h (or the DIRs named) must name an
allowed header: the freestanding C headers below, the tree's own <kaal/...>, <hal/...> and
<hal_port/...> (and, outside core/, <hal_common/...>), and <libfdt.h> only in core/kernel/dtb.c and
user/dddk/dddk.c. Quoted includes are
always fine. Prints file:line for each violation and exits 1.

  check_freestanding.py SOURCE_ROOT [DIR ...]   (DIR relative to SOURCE_ROOT; default: core)

Deps mode (the aarch64 build, where everything is freestanding): what the compiler actually read.
For every object of the build (compile_commands.json), the compiler's dependency list must name only
headers in the compiler's own include directories (--compiler-include), the source tree, the build
tree (generated headers) and, of the unpacked libfdt (--libfdt-include), only libfdt.h and fdt.h;
and every compile command must carry -nostdinc. The dependency lists come from ninja's log
(`ninja -t deps`: ninja reads each -MD file the compiler writes and deletes it) or, with --depfiles,
from the OBJECT.d files next to the objects. Prints the object and the header for each violation,
and fails when the build has no objects or an object has no dependency list.

  check_freestanding.py --deps BUILD_ROOT SOURCE_ROOT --compiler-include DIR [...]
                        --libfdt-include DIR (--ninja NINJA | --depfiles)
"""
import argparse
import json
import os
import subprocess
import pathlib
import re
import sys

FREESTANDING = {"stddef.h", "stdint.h", "stdbool.h", "stdarg.h", "limits.h"}
TREE_PREFIXES = ("kaal/", "hal/", "hal_port/")
# What the ports share (<hal_common/...>: the descriptor bits, the ELF reader) is for the ports and
# the user runtime; core reaches a port only through <hal/...> and <hal_port/...>.
NOT_IN_CORE_PREFIXES = ("hal_common/",)
# Extra headers allowed in one file only (path relative to the source root): libfdt for the
# device-tree readers (the kernel's and the driver kit's; on aarch64 the port brings its own build).
PER_FILE = {"core/kernel/dtb.c": {"libfdt.h"}, "user/dddk/dddk.c": {"libfdt.h"}}
# Host glue that starts portable code as a Linux process on hostsim (*hostsim_main.c) is exempt.
HOST_GLUE_SUFFIX = "hostsim_main.c"

INCLUDE = re.compile(r'^\s*#\s*include\s*<([^>]+)>')


def check_file(root, path):
    rel = path.relative_to(root).as_posix()
    allowed = FREESTANDING | PER_FILE.get(rel, set())
    prefixes = TREE_PREFIXES + (() if rel.startswith("core/") else NOT_IN_CORE_PREFIXES)
    problems = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            header = m.group(1).strip()
            if header in allowed or header.startswith(prefixes):
                continue
            problems.append(f"{rel}:{lineno}: host header <{header}> in freestanding code "
                            f"(allowed: {', '.join(sorted(allowed))}, "
                            f"{', '.join('<' + p + '...>' for p in prefixes)})")
    return problems


def check_sources(root, dirs):
    root = pathlib.Path(root).resolve()
    dirs = dirs or ["core"]
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


# --- deps mode ---------------------------------------------------------------------------------

# The headers of the unpacked libfdt package the build may read; its libfdt_env.h includes the C
# library's <stdlib.h> and <string.h> (the project's hal/aarch64/libfdt/include/libfdt_env.h
# replaces it).
LIBFDT_HEADERS = {"libfdt.h", "fdt.h"}


def parse_depfile(text):
    """The prerequisites of a Make-syntax dependency file (gcc -MD): every word after a 'target:',
    with backslash-newline continuations joined and '\\ ' standing for a space in a name."""
    text = text.replace("\\\n", " ").replace("\\\r\n", " ")
    deps, word, words = [], [], []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in " #":
            word.append(text[i + 1])
            i += 2
            continue
        if c.isspace():
            if word:
                words.append("".join(word))
                word = []
        else:
            word.append(c)
        i += 1
    if word:
        words.append("".join(word))
    for w in words:
        if w.endswith(":"):
            continue  # a target (gcc writes one rule; -MP adds header-only rules)
        deps.append(w)
    return deps


def parse_ninja_deps(text):
    """{object: [dependency, ...]} from `ninja -t deps` output."""
    records, current = {}, None
    for line in text.splitlines():
        if not line.strip():
            current = None
        elif not line[0].isspace():
            target = line.split(": #deps", 1)[0]
            current = records.setdefault(target, [])
        elif current is not None:
            current.append(line.strip())
    return records


def classify(path, source_root, build_root, compiler_dirs, libfdt_dir):
    """None if the header is allowed, else the reason it is not."""
    def under(p, d):
        return p == d or p.startswith(d + os.sep)
    for d in compiler_dirs:
        if under(path, d):
            return None
    if under(path, libfdt_dir):
        if os.path.dirname(path) == libfdt_dir and os.path.basename(path) in LIBFDT_HEADERS:
            return None
        return "a header of the unpacked libfdt other than " + " and ".join(sorted(LIBFDT_HEADERS))
    if under(path, build_root) or under(path, source_root):
        return None
    return "outside the compiler's freestanding headers, the source tree, the build tree and libfdt"


def check_deps(args):
    build_root = os.path.realpath(args.build_root)
    source_root = os.path.realpath(args.source_root)
    compiler_dirs = [os.path.realpath(d) for d in args.compiler_include]
    libfdt_dir = os.path.realpath(args.libfdt_include)
    try:
        with open(os.path.join(build_root, "compile_commands.json"), encoding="utf-8") as f:
            commands = json.load(f)
    except (OSError, ValueError) as e:
        print(f"check_freestanding: cannot read the build's compile_commands.json: {e}", file=sys.stderr)
        return 2
    if not commands:
        print(f"check_freestanding: no objects in {build_root}/compile_commands.json", file=sys.stderr)
        return 1
    if args.ninja:
        run = subprocess.run([args.ninja, "-C", build_root, "-t", "deps"], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"check_freestanding: ninja -t deps failed: {run.stderr.strip()}", file=sys.stderr)
            return 2
        records = parse_ninja_deps(run.stdout)
    else:
        records = {}
        for entry in commands:
            depfile = os.path.join(build_root, entry["output"] + ".d")
            if os.path.isfile(depfile):
                with open(depfile, encoding="utf-8", errors="replace") as f:
                    records[entry["output"]] = parse_depfile(f.read())

    problems, headers = [], 0
    for entry in commands:
        obj = entry["output"]
        command = entry.get("command") or " ".join(entry.get("arguments", []))
        if "-nostdinc" not in command.split():
            problems.append(f"{obj}: compiled without -nostdinc (the C library's directories are searched)")
        deps = records.get(obj)
        if not deps:
            problems.append(f"{obj}: no dependency list (not built yet? run meson compile first)")
            continue
        for dep in deps:
            path = os.path.normpath(os.path.join(entry.get("directory", build_root), dep))
            path = os.path.realpath(path)
            headers += 1
            why = classify(path, source_root, build_root, compiler_dirs, libfdt_dir)
            if why:
                problems.append(f"{obj}: reads {path}: {why}")
    for p in problems:
        print(p)
    if problems:
        print(f"check_freestanding: {len(problems)} problem(s) in {len(commands)} objects", file=sys.stderr)
        return 1
    print(f"check_freestanding: {len(commands)} objects, {headers} dependencies, all freestanding "
          f"(compiler headers: {', '.join(compiler_dirs)})")
    return 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "--deps":
        parser = argparse.ArgumentParser(prog="check_freestanding.py --deps")
        parser.add_argument("build_root")
        parser.add_argument("source_root")
        parser.add_argument("--compiler-include", action="append", required=True)
        parser.add_argument("--libfdt-include", required=True)
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--ninja")
        source.add_argument("--depfiles", action="store_true")
        return check_deps(parser.parse_args(argv[2:]))
    if len(argv) < 2 or argv[1].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    return check_sources(argv[1], argv[2:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
