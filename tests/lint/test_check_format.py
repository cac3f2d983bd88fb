#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The format lint (tools/check_format.py) on crafted trees: a formatted tree passes, a file that
clang-format would change fails it by name (also inside a subfolder), a build directory is not
looked at, and an empty tree or a missing .clang-format fail. TAP output.

  test_check_format.py CHECKER SRCROOT"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

GOOD = '/* SPDX-License-Identifier: BSD-2-Clause */\nint f(int x)\n{\n    int y = x + 1;\n    return y;\n}\n'
BAD = '/* SPDX-License-Identifier: BSD-2-Clause */\nint f(int x){int y=x+1;return y;}\n'

CASES = [
    # (description, {path: text}, copy .clang-format?, expected exit, substring of the output)
    ('a formatted tree passes', {'a.c': GOOD, 'sub/b.h': GOOD}, True, 0, '2 files formatted'),
    ('a misformatted file fails, named', {'a.c': GOOD, 'sub/b.c': BAD}, True, 1, 'sub/b.c'),
    ('a misformatted header fails, named', {'a.h': BAD}, True, 1, 'a.h'),
    ('a build directory is left out', {'a.c': GOOD, 'bld/meson-private/x': '', 'bld/gen.c': BAD}, True, 0,
     '1 files formatted'),
    ('no C sources fails', {'README': 'x'}, True, 1, 'no C sources'),
    ('no .clang-format fails', {'a.c': GOOD}, False, 1, 'no .clang-format'),
]


def main():
    checker, srcroot = sys.argv[1], sys.argv[2]
    print(f'1..{len(CASES)}')
    failed = 0
    for n, (desc, tree, style, want, text) in enumerate(CASES, 1):
        with tempfile.TemporaryDirectory() as d:
            for rel, body in tree.items():
                p = pathlib.Path(d, rel)
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(body)
            if style:
                shutil.copy(os.path.join(srcroot, '.clang-format'), d)
            r = subprocess.run([sys.executable, checker, d], capture_output=True, text=True)
            out = r.stdout + r.stderr
            ok = r.returncode == want and text in out
            failed += not ok
            print(f'{"ok" if ok else "not ok"} {n} - {desc}')
            if not ok:
                print('# exit %d (want %d); output:\n# %s' % (r.returncode, want, out.replace('\n', '\n# ')))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
