#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_hal_contract: the HAL contract (hal/include/hal/*.h) is exactly what core uses.

  check_hal_contract.py SOURCE_ROOT [--core DIR] [--contract DIR]   (DIRs relative to SOURCE_ROOT;
                                                                     default core, hal/include/hal)

A hal_/HAL_ name counts only where it is code: comments, string and character literals and
#include lines are ignored, in core and in the contract alike (a name the contract only mentions
in a comment is not declared; the port-provided names are declared by the checks hal.h makes on
the port header). The include guards of the contract headers are not names. Fails (exit 1, one
line per problem) when
  - core uses a hal_/HAL_ name that the contract does not declare (file:line of each first use);
  - the contract declares a hal_/HAL_ name that no core file uses.
Port-internal names belong in the port's own headers under the port's prefix, not here.
"""
import pathlib
import re
import sys

NAME = re.compile(r'\b(?:hal|HAL)_\w+')
GUARD = re.compile(r'^[ \t]*#[ \t]*ifndef[ \t]+(\w+)[ \t]*\n[ \t]*#[ \t]*define[ \t]+\1\b', re.M)
INCLUDE_LINE = re.compile(r'^[ \t]*#[ \t]*include\b.*$', re.M)


def strip_c(text):
    """text with comments and string/char literals blanked, newlines kept (so line numbers hold)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n) if j < n and text[j] == c else j  # an unclosed literal ends at the line
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def code_of(path):
    text = strip_c(path.read_text(encoding='utf-8', errors='replace'))
    return INCLUDE_LINE.sub(lambda m: ' ' * len(m.group(0)), text)


def sources(base):
    return sorted(p for p in base.rglob('*') if p.suffix in ('.c', '.h') and p.is_file())


def main(argv):
    args = argv[1:]
    opts = {'--core': 'core', '--contract': 'hal/include/hal'}
    pos = []
    while args:
        a = args.pop(0)
        if a in opts and args:
            opts[a] = args.pop(0)
        else:
            pos.append(a)
    if len(pos) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = pathlib.Path(pos[0]).resolve()
    core, contract = root / opts['--core'], root / opts['--contract']
    for d in (core, contract):
        if not d.is_dir():
            print(f'check_hal_contract: {d} is not a directory', file=sys.stderr)
            return 2

    declared = {}
    for path in sources(contract):
        code = code_of(path)
        guards = set(GUARD.findall(code)[:1])
        for m in NAME.finditer(code):
            if m.group(0) not in guards:
                declared.setdefault(m.group(0), path.relative_to(root).as_posix())
    used = {}
    for path in sources(core):
        code = code_of(path)
        for m in NAME.finditer(code):
            line = code.count('\n', 0, m.start()) + 1
            used.setdefault(m.group(0), f'{path.relative_to(root).as_posix()}:{line}')

    problems = []
    for name in sorted(set(used) - set(declared)):
        problems.append(f'{used[name]}: core uses {name}, which the HAL contract ({opts["--contract"]}) '
                        f'does not declare')
    for name in sorted(set(declared) - set(used)):
        problems.append(f'{declared[name]}: the HAL contract declares {name}, which core does not use')
    for p in problems:
        print(p)
    if not problems:
        print(f'check_hal_contract: core uses exactly the {len(declared)} names the contract declares')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
