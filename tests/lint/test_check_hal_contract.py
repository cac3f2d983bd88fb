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
# A hostsim port and machine that keep to their boundary: each header's functions are defined by
# its library, the machine includes only allowed kernel headers, an include in a comment is none.
HOSTSIM = {
    'hal/hostsim/include/hostsim/hostsim.h':
        '#include <stdint.h>\n/* hostsim_in_comment(void); */\nint hostsim_boot(const void *dtb);\n'
        'uint64_t *\nhostsim_split_line(int a,\n                   int b);\n',
    'hal/hostsim/include/hostsim_if/machine.h': 'void hostsim_console_putc(char c);\n',
    'hal/hostsim/include/hostsim_if/kernel.h': 'bool hostsim_kernel_entry(const struct e *e);\n',
    'hal/hostsim/port/kernel.c':
        '#include <hostsim_if/machine.h>\n#include <kaal/kernel.h>\n#include "port.h"\n'
        'bool hostsim_kernel_entry(const struct e *e)\n{\n    return e != 0;\n}\n',
    'hal/hostsim/port/port.h': '/* the port\'s own */\n',
    'hal/hostsim/machine/machine.c':
        '#include <hostsim/hostsim.h>\n#include <hostsim_if/kernel.h>\n#include <kaal/abi/abi.h>\n'
        '#include <kaal/types.h>\n#include <kaal/boot.h>\n#include "internal.h"\n'
        '/* #include <kaal/kernel.h> in a comment is no include */\n'
        'int hostsim_boot(const void *dtb) { return dtb != 0; }\n'
        'void hostsim_console_putc(char c) { (void)c; }\n'
        'uint64_t *hostsim_split_line(int a, int b) { return 0; }\n',
    'hal/hostsim/machine/internal.h': '/* the machine\'s own */\n',
}

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
    ('core includes the machine\'s API',
     {'core/kernel/sim.c': '#include <hal/hal.h>\n#include <hostsim/hostsim.h>\n'}, 1,
     ['core/kernel/sim.c:2: core includes the hostsim header hostsim/hostsim.h']),
    ('core includes a hostsim file by path',
     {'core/kernel/sim.c': '#include "../../hal/hostsim/machine/internal.h"\n'}, 1,
     ['core/kernel/sim.c:1: core includes the hostsim header ../../hal/hostsim/machine/internal.h']),
    ('the port includes the machine\'s API',
     {'hal/hostsim/port/hal.c': '#include <hostsim_if/machine.h>\n#include <hostsim/user.h>\n'}, 1,
     ['hal/hostsim/port/hal.c:2: the hostsim port includes the machine\'s API hostsim/user.h']),
    ('the port includes a file of the machine',
     {'hal/hostsim/port/hal.c': '#include "../machine/internal.h"\n'}, 1,
     ['hal/hostsim/port/hal.c:1: the hostsim port includes the machine\'s file ../machine/internal.h']),
    ('the machine includes a kernel header',
     {'hal/hostsim/machine/run.c': '#include <kaal/types.h>\n\n#include <kaal/thread.h>\n'}, 1,
     ['hal/hostsim/machine/run.c:3: the hostsim machine includes the kernel header kaal/thread.h']),
    ('the machine includes a file of the port',
     {'hal/hostsim/machine/run.c': '#include "../port/port.h"\n'}, 1,
     ['hal/hostsim/machine/run.c:1: the hostsim machine includes the port\'s file ../port/port.h']),
    ('the machine\'s API declares a function the machine does not define (the port does)',
     {'hal/hostsim/include/hostsim/user.h': 'void hostsim_user_trap(unsigned long regs[8]);\n',
      'hal/hostsim/port/trap.c': 'void hostsim_user_trap(unsigned long regs[8])\n{\n}\n'}, 1,
     ['hal/hostsim/include/hostsim/user.h:1: hostsim_user_trap is declared here but defined by no file of '
      'hal/hostsim/machine']),
    ('a declaration over two lines is checked like any other',
     {'hal/hostsim/machine/machine.c': HOSTSIM['hal/hostsim/machine/machine.c'].replace('hostsim_split_line', 'other')},
     1, ['hal/hostsim/include/hostsim/hostsim.h:5: hostsim_split_line is declared here but defined by no file']),
    ('the port\'s interface declares a function the port does not define',
     {'hal/hostsim/include/hostsim_if/kernel.h':
         'bool hostsim_kernel_entry(const struct e *e);\nvoid hostsim_kernel_reset(void);\n'}, 1,
     ['hal/hostsim/include/hostsim_if/kernel.h:2: hostsim_kernel_reset is declared here but defined by no '
      'file of hal/hostsim/port']),
]


def make_tree(root, overrides):
    files = {'hal/include/hal/hal.h': CONTRACT, 'core/kernel/use.c': CORE}
    files.update(HOSTSIM)
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
