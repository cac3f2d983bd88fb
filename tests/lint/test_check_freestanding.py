#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Proof that tools/check_freestanding.py catches what it must (suite lint).

Each case builds a small fake build directory (compile_commands.json and the OBJECT.d files gcc -MD
writes) in a temporary directory, runs the checker on it in --depfiles mode and checks its verdict
and that its message names the offending object and header. The corruptions: an object that reads
the C library's <stdio.h>, one that reads an arm64 libc header, one that reads Debian's libfdt_env.h,
an object compiled without -nostdinc, an object without a dependency list, a build with no objects.
Source mode: a host header in core/ is caught, and <hal_common/...> is allowed outside core/ only.
With the build's own compiler and flags (after --), a real compile proves that <stdio.h> is not
found and that <limits.h> works without a C library, and the checker accepts the real .d file.

usage: test_check_freestanding.py CHECKER SOURCE_ROOT [COMPILER_INCLUDE -- CC FLAG ...]
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

CHECKER = SOURCE_ROOT = COMPILER_INCLUDE = None
COMPILE = []  # the build's compiler and freestanding flags (empty: the real-compiler cases skip)


class Fake:
    """A fake build tree under a temporary directory: SRC (the source root) with BUILD inside it,
    as in a real checkout, plus a compiler include dir and an unpacked libfdt outside both."""

    def __init__(self, tmp):
        self.root = tmp
        self.src = os.path.join(tmp, "src")
        self.build = os.path.join(self.src, "build-aarch64")
        self.cc_inc = os.path.join(tmp, "gcc", "include")
        self.libfdt = os.path.join(self.build, "libfdt-arm64", "usr", "include")
        for d in (self.src, self.build, self.cc_inc, self.libfdt):
            os.makedirs(d, exist_ok=True)
        self.commands = []

    def add(self, obj, deps, flags="-ffreestanding -nostdinc", depfile=True):
        self.commands.append({"directory": self.build, "file": "../x.c", "output": obj,
                              "command": f"aarch64-linux-gnu-gcc {flags} -MD -MQ {obj} -MF {obj}.d -c ../x.c"})
        if depfile:
            path = os.path.join(self.build, obj + ".d")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(f"{obj}: \\\n " + " \\\n ".join(deps) + "\n")

    def run(self):
        with open(os.path.join(self.build, "compile_commands.json"), "w") as f:
            json.dump(self.commands, f)
        return subprocess.run([sys.executable, CHECKER, "--deps", self.build, self.src,
                               "--compiler-include", self.cc_inc, "--libfdt-include", self.libfdt,
                               "--depfiles"], capture_output=True, text=True)


class DepsMode(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.fake = Fake(self.tmp.name)
        f = self.fake
        # A clean object: its source, a project header, a generated header, the compiler's headers
        # and libfdt's two headers.
        f.add("core/libkaal-core.a.p/kernel_dtb.c.o",
              ["../core/kernel/dtb.c", "../core/include/kaal/types.h", "core/abi/kaal/abi/gen.h",
               os.path.join(f.cc_inc, "stdint.h"), os.path.join(f.cc_inc, "limits.h"),
               os.path.join(f.libfdt, "libfdt.h"), os.path.join(f.libfdt, "fdt.h")])

    def tearDown(self):
        self.tmp.cleanup()

    def assert_fails_naming(self, run, *words):
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        for w in words:
            self.assertIn(w, run.stdout)

    def test_clean_build_passes(self):
        run = self.fake.run()
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertIn("1 objects, 7 dependencies, all freestanding", run.stdout)

    def test_host_stdio_caught(self):
        self.fake.add("user/demo/demo_root.elf.p/shell.c.o", ["../user/shell/shell.c", "/usr/include/stdio.h"])
        self.assert_fails_naming(self.fake.run(), "user/demo/demo_root.elf.p/shell.c.o", "/usr/include/stdio.h")

    def test_arm64_libc_header_caught(self):
        header = "/usr/aarch64-linux-gnu/include/stdlib.h"
        self.fake.add("hal/aarch64/kaal-kernel.elf.p/kernel_boot.c.o", ["../hal/aarch64/kernel/boot.c", header])
        self.assert_fails_naming(self.fake.run(), "kernel_boot.c.o", header)

    def test_debian_libfdt_env_caught(self):
        header = os.path.join(self.fake.libfdt, "libfdt_env.h")
        self.fake.add("hal/aarch64/kaal-kernel.elf.p/kernel_gic.c.o", ["../hal/aarch64/kernel/gic.c", header])
        self.assert_fails_naming(self.fake.run(), "kernel_gic.c.o", header, "other than fdt.h and libfdt.h")

    def test_relative_path_out_of_tree_caught(self):
        # A path relative to the build directory that leaves the source tree.
        self.fake.add("tests/qemu/smoke_root.elf.p/smoke_root.c.o", ["../../../usr/include/string.h"])
        self.assert_fails_naming(self.fake.run(), "smoke_root.c.o", "/usr/include/string.h")

    def test_compiled_without_nostdinc_caught(self):
        self.fake.add("hal/aarch64/kaal-image.elf.p/loader_loader.c.o", ["../hal/aarch64/loader/loader.c"],
                      flags="-ffreestanding")
        self.assert_fails_naming(self.fake.run(), "loader_loader.c.o", "without -nostdinc")

    def test_object_without_dependency_list_caught(self):
        self.fake.add("user/lib/print.c.o", [], depfile=False)
        self.assert_fails_naming(self.fake.run(), "user/lib/print.c.o", "no dependency list")

    def test_no_objects_fails(self):
        self.fake.commands = []
        run = self.fake.run()
        self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
        self.assertIn("no objects", run.stderr)


class Parsers(unittest.TestCase):
    def setUp(self):
        sys.path.insert(0, os.path.dirname(CHECKER))
        import check_freestanding
        self.cf = check_freestanding

    def test_depfile_continuations_and_escaped_spaces(self):
        deps = self.cf.parse_depfile("a.o: ../a.c \\\n /x/my\\ dir/b.h \\\n  c.h\nc.h:\n")
        self.assertEqual(deps, ["../a.c", "/x/my dir/b.h", "c.h"])

    def test_ninja_deps_records(self):
        text = ("a.o: #deps 2, deps mtime 1 (VALID)\n    ../a.c\n    /usr/include/stdio.h\n\n"
                "b.o: #deps 1, deps mtime 2 (STALE)\n    ../b.c\n\n")
        self.assertEqual(self.cf.parse_ninja_deps(text),
                         {"a.o": ["../a.c", "/usr/include/stdio.h"], "b.o": ["../b.c"]})


class SourceMode(unittest.TestCase):
    def test_host_include_in_core_caught(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "core"))
            with open(os.path.join(tmp, "core", "bad.c"), "w") as f:
                f.write("#include <stdint.h>\n#include <stdio.h>\n")
            run = subprocess.run([sys.executable, CHECKER, tmp, "core"], capture_output=True, text=True)
            self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
            self.assertIn("core/bad.c:2: host header <stdio.h>", run.stdout)

    def test_hal_common_outside_core_only(self):
        with tempfile.TemporaryDirectory() as tmp:
            for d in ("core", "user"):
                os.makedirs(os.path.join(tmp, d))
                with open(os.path.join(tmp, d, "x.c"), "w") as f:
                    f.write("#include <hal/mmu.h>\n#include <hal_common/elf.h>\n")
            run = subprocess.run([sys.executable, CHECKER, tmp, "user"], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
            run = subprocess.run([sys.executable, CHECKER, tmp, "core", "user"], capture_output=True,
                                 text=True)
            self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
            self.assertIn("core/x.c:2: host header <hal_common/elf.h>", run.stdout)
            self.assertNotIn("user/x.c", run.stdout)


@unittest.skipUnless("--" in sys.argv, "no compiler given")
class RealCompiler(unittest.TestCase):
    """The build's own compiler with the build's freestanding flags."""

    def compile(self, build, text):
        src = os.path.join(build, "t.c")
        with open(src, "w") as f:
            f.write(text)
        return subprocess.run(COMPILE + ["-ffreestanding", "-MD", "-MF", os.path.join(build, "t.o.d"),
                                         "-c", src, "-o", os.path.join(build, "t.o")],
                              capture_output=True, text=True)

    def test_stdio_not_found(self):
        with tempfile.TemporaryDirectory() as tmp:
            run = self.compile(tmp, "#include <stdio.h>\n")
            self.assertNotEqual(run.returncode, 0)
            self.assertIn("stdio.h: No such file", run.stderr)

    def test_freestanding_headers_work_and_pass_the_check(self):
        with tempfile.TemporaryDirectory() as build:
            run = self.compile(build, "#include <limits.h>\n#include <stdint.h>\n#include <stddef.h>\n"
                                      "#include <stdbool.h>\n#include <stdarg.h>\n"
                                      "_Static_assert(INT_MAX == 0x7fffffff && LONG_MAX == INT64_MAX"
                                      " && CHAR_BIT == 8 && ULLONG_MAX == UINT64_MAX, \"limits\");\n")
            self.assertEqual(run.returncode, 0, run.stderr)
            with open(os.path.join(build, "t.o.d")) as f:
                self.assertIn("limits.h", f.read())
            # The real .d file (the source is in the fake build directory) through the checker:
            # allowed with the compiler's include directory named, refused without it.
            inc = COMPILER_INCLUDE
            with open(os.path.join(build, "compile_commands.json"), "w") as f:
                json.dump([{"directory": build, "file": "t.c", "output": "t.o",
                            "command": " ".join(COMPILE + ["-c", "t.c"])}], f)
            for include_dir, expected in ((inc, 0), (os.path.join(build, "..", "elsewhere"), 1)):
                run = subprocess.run([sys.executable, CHECKER, "--deps", build, SOURCE_ROOT,
                                      "--compiler-include", include_dir, "--libfdt-include",
                                      os.path.join(build, "libfdt"), "--depfiles"],
                                     capture_output=True, text=True)
                self.assertEqual(run.returncode, expected, run.stdout + run.stderr)
            self.assertIn("t.o: reads " + os.path.realpath(os.path.join(inc, "stdint.h")), run.stdout)


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--" in args:
        COMPILE = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    if len(args) != (3 if COMPILE else 2):
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    CHECKER, SOURCE_ROOT = os.path.abspath(args[0]), os.path.realpath(args[1])
    COMPILER_INCLUDE = args[2] if COMPILE else None
    unittest.main(argv=[sys.argv[0], "-v"])
