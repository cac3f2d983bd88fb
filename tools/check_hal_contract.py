#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""check_hal_contract: the HAL contract (hal/include/hal/*.h) is exactly what core uses.

  check_hal_contract.py SOURCE_ROOT [--core DIR] [--contract DIR] [--hostsim DIR]
        (DIRs relative to SOURCE_ROOT; default core, hal/include/hal, hal/hostsim)

A hal_/HAL_ name counts only where it is code: comments, string and character literals and
#include lines are ignored, in core and in the contract alike (a name the contract only mentions
in a comment is not declared; the port-provided names are declared by the checks hal.h makes on
the port header). The include guards of the contract headers are not names. Fails (exit 1, one
line per problem) when
  - core uses a hal_/HAL_ name that the contract does not declare (file:line of each first use);
  - the contract declares a hal_/HAL_ name that no core file uses.
Port-internal names belong in the port's own headers under the port's prefix, not here.

When the hostsim directory exists, the boundary between its port (port/) and its simulated machine
(machine/) is checked too (docs/hostsim.md, "Port and machine"). Fails when
  - core includes a hostsim header (<hostsim/...>, <hostsim_if/...>) or a file under hal/hostsim;
  - the port includes the machine's API (<hostsim/...>) or a file of machine/: it reaches the
    machine only through <hostsim_if/machine.h>;
  - the machine includes a kernel header: of core's headers only <kaal/types.h>,
    <kaal/gen_config.h>, <kaal/boot.h> (the loader's hand-off) and the ABI's <kaal/abi/...> are
    allowed (the kernel is reached through <hostsim_if/kernel.h>), or a file of port/;
  - a function the machine's headers (include/hostsim/*.h, include/hostsim_if/machine.h) declare
    is defined by no file of machine/, or one include/hostsim_if/kernel.h declares by no file of
    port/ (each header declares only what its library contains).
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


INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"]+)[>"]', re.M)
MACHINE_KAAL_ALLOWED = {'kaal/types.h', 'kaal/gen_config.h', 'kaal/boot.h'}
# A function declaration at the start of a line: its name, then '(' (a definition has a body).
PROTOTYPE = re.compile(r'^[A-Za-z_][\w \t*\n]*?\b(hostsim_\w+)[ \t]*\([^;{]*\)[ \t\w()]*;', re.M)
DEFINITION = re.compile(r'^[A-Za-z_][\w \t*\n]*?\b(hostsim_\w+)[ \t]*\([^;{]*\)[ \t\n]*\{', re.M)


def includes(path):
    """(line, '<' or '"', header) of each #include of a file (comments blanked first)."""
    text = strip_c_keep_includes(path.read_text(encoding='utf-8', errors='replace'))
    return [(text.count('\n', 0, m.start()) + 1, m.group(1), m.group(2)) for m in INCLUDE.finditer(text)]


def strip_c_keep_includes(text):
    """Comments blanked; an #include line that is code is kept as written (strip_c would blank the
    name of a "quoted" include)."""
    code_include = re.compile(r'^[ \t]*#[ \t]*include\b')
    return '\n'.join(orig if code_include.match(st) else st
                     for orig, st in zip(text.split('\n'), strip_c(text).split('\n')))


def quoted_target(path, header):
    """The file a quoted include names, resolved from the including file's directory."""
    return (path.parent / header).resolve()


def hostsim_boundary(root, core, hostsim):
    problems = []
    port, machine = hostsim / 'port', hostsim / 'machine'
    rel = lambda p: p.relative_to(root).as_posix()
    for path in sources(core):
        for line, kind, header in includes(path):
            if (kind == '<' and header.split('/')[0] in ('hostsim', 'hostsim_if')) or \
                    (kind == '"' and hostsim in quoted_target(path, header).parents):
                problems.append(f'{rel(path)}:{line}: core includes the hostsim header {header}')
    for path in sources(port) if port.is_dir() else []:
        for line, kind, header in includes(path):
            if kind == '<' and header.startswith('hostsim/'):
                problems.append(f'{rel(path)}:{line}: the hostsim port includes the machine\'s API {header} '
                                f'(it reaches the machine through <hostsim_if/machine.h> only)')
            elif kind == '"' and machine in quoted_target(path, header).parents:
                problems.append(f'{rel(path)}:{line}: the hostsim port includes the machine\'s file {header}')
    for path in sources(machine) if machine.is_dir() else []:
        for line, kind, header in includes(path):
            if kind == '<' and header.startswith('kaal/') and not header.startswith('kaal/abi/') and \
                    header not in MACHINE_KAAL_ALLOWED:
                problems.append(f'{rel(path)}:{line}: the hostsim machine includes the kernel header {header} '
                                f'(it reaches the kernel through <hostsim_if/kernel.h> only)')
            elif kind == '"' and port in quoted_target(path, header).parents:
                problems.append(f'{rel(path)}:{line}: the hostsim machine includes the port\'s file {header}')

    def defined_in(d):
        names = set()
        for path in sources(d) if d.is_dir() else []:
            if path.suffix == '.c':
                names.update(DEFINITION.findall(strip_c(path.read_text(encoding='utf-8', errors='replace'))))
        return names

    inc = hostsim / 'include'
    for headers, lib in ((sorted((inc / 'hostsim').glob('*.h')) + [inc / 'hostsim_if' / 'machine.h'], machine),
                         ([inc / 'hostsim_if' / 'kernel.h'], port)):
        defined = defined_in(lib)
        for h in headers:
            if not h.is_file():
                continue
            code = strip_c(h.read_text(encoding='utf-8', errors='replace'))
            for m in PROTOTYPE.finditer(code):
                if m.group(1) not in defined:
                    line = code.count('\n', 0, m.start(1)) + 1
                    problems.append(f'{rel(h)}:{line}: {m.group(1)} is declared here but defined by no file '
                                    f'of {rel(lib)}')
    return problems


def main(argv):
    args = argv[1:]
    opts = {'--core': 'core', '--contract': 'hal/include/hal', '--hostsim': 'hal/hostsim'}
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
    hostsim = root / opts['--hostsim']
    if hostsim.is_dir():
        problems += hostsim_boundary(root, core, hostsim)
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
