#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The HAL contract lint (tools/check_hal_contract.py) on crafted trees: a clean tree passes, and
each violation it must catch fails it with the name and the place in its message. TAP output.

  test_check_hal_contract.py CHECKER"""
import pathlib
import subprocess
import sys
import tempfile

CONTRACT = '''/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HAL_HAL_H
#define HAL_HAL_H
#include <hal_port/hal_port.h>
/* Provided by the port: hal_ptov (a name in a comment declares nothing). */
void hal_console_putc(char c);
#define HAL_IRQ_NONE (~0ul)
#if !defined(HAL_MAX_IRQ)
#error "the port header must define HAL_MAX_IRQ"
#endif
#endif
'''
CORE = '''/* SPDX-License-Identifier: BSD-2-Clause */
#include <hal/hal.h>
/* hal_comment_only is a word in a comment, "hal_in_a_string" in a string: neither is a use. */
static const char *s = "hal_in_a_string";
void f(word_t irq)
{
    if (irq != HAL_IRQ_NONE && irq <= HAL_MAX_IRQ) { // hal_line_comment
        hal_console_putc('h');
    }
}
'''

CASES = [
    # (description, {path: text} overriding the clean tree, expected exit, substrings of the output)
    ('a clean tree passes; comments, strings, include lines and the guard are not names', {}, 0,
     ['exactly the 3 names']),
    ('core calls a function the contract does not declare',
     {'core/kernel/extra.c': '#include <hal/hal.h>\n\nvoid g(void) { hal_port_secret(); }\n'}, 1,
     ['core/kernel/extra.c:3: core uses hal_port_secret']),
    ('core uses a port macro the contract does not declare',
     {'core/include/kaal/x.h': '#define N (HAL_PORT_ONLY + 1)\n'}, 1,
     ['core/include/kaal/x.h:1: core uses HAL_PORT_ONLY']),
    ('a name the contract only mentions in a comment is not declared',
     {'core/kernel/p.c': 'void *p(void) { return hal_ptov(0); }\n'}, 1,
     ['core/kernel/p.c:1: core uses hal_ptov']),
    ('the contract declares a function core does not use',
     {'hal/include/hal/mmu.h': '#ifndef HAL_MMU_H\n#define HAL_MMU_H\nvoid hal_return_to_user(void);\n#endif\n'}, 1,
     ['hal/include/hal/mmu.h: the HAL contract declares hal_return_to_user, which core does not use']),
    ('the contract defines a macro core does not use',
     {'hal/include/hal/regs.h': '#define HAL_UNUSED_LIMIT 3\n'}, 1,
     ['the HAL contract declares HAL_UNUSED_LIMIT']),
    ('a use in a later file after a comment block keeps its line number',
     {'core/kernel/late.c': '/* one\n * two */\n\n#include <hal/hal.h>\n\nint x = HAL_LATE;\n'}, 1,
     ['core/kernel/late.c:6: core uses HAL_LATE']),
]


def make_tree(root, overrides):
    files = {'hal/include/hal/hal.h': CONTRACT, 'core/kernel/use.c': CORE}
    files.update(overrides)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    checker = argv[1]
    print(f'1..{len(CASES) + 1}')
    failed = 0
    for n, (what, overrides, want_rc, want_out) in enumerate(CASES, 1):
        with tempfile.TemporaryDirectory() as tmp:
            make_tree(pathlib.Path(tmp), overrides)
            p = subprocess.run([sys.executable, checker, tmp], capture_output=True, text=True)
        missing = [w for w in want_out if w not in p.stdout]
        ok = p.returncode == want_rc and not missing
        failed += not ok
        print(f'{"ok" if ok else "not ok"} {n} - {what}')
        if not ok:
            print(f'# exit {p.returncode} (want {want_rc}); missing {missing}')
            for line in (p.stdout + p.stderr).splitlines():
                print(f'#   {line}')
    # A usage error is not a pass.
    p = subprocess.run([sys.executable, checker, '/nonexistent-kaal-tree'], capture_output=True, text=True)
    ok = p.returncode == 2
    failed += not ok
    print(f'{"ok" if ok else "not ok"} {len(CASES) + 1} - a missing tree is an error (exit {p.returncode})')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
