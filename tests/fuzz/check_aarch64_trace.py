#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The fuzzer's AArch64 mode delivers what the instructions do: replay two seeds of
tests/fuzz/corpus-aarch64 with --trace and check the kernel entries their code made (TAP).

usage: check_aarch64_trace.py KAAL_FUZZ_REPLAY CORPUS_DIR"""
import re
import subprocess
import sys

replay, corpus = sys.argv[1:3]
results = []


def entries(seed):
    out = subprocess.run([replay, '--aarch64', '--trace', f'{corpus}/{seed}'], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=300).stdout.decode('utf-8', 'replace')
    return re.findall(r'^    -> (svc|vm fault|user exception|tick) at (0x[0-9a-f]+) \((0x[0-9a-f]+|0), esr '
                      r'(0x[0-9a-f]+|0)\), ([a-z ]+), x0=(0x[0-9a-f]+)$', out, re.M), out


faults, out = entries('a64-faults')
# The thread's eleven faults, each after a nop at 0x40f000 + 16 * i + 4 (x1 = 0x90 + i): ESR as
# AArch64 writes it (EC 0 undefined, 0x24 data abort, 0x3c brk, 0x01 WFI, 0x20 instruction abort).
want = [('user exception', 0x40f004, 0, 0x2000000), ('vm fault', 0x40f014, 0x91, 0x92000006),
        ('vm fault', 0x40f024, 0x92, 0x92000046), ('user exception', 0x40f034, 0, 0xf2000000),
        ('user exception', 0x40f044, 0, 0x7e00000), ('user exception', 0x40f054, 0, 0x2000000),
        ('user exception', 0x40f064, 0, 0x2000000), ('user exception', 0x40f074, 0, 0x2000000),
        ('vm fault', 0x98, 0x98, 0x82000006), ('vm fault', 0x40f094, 0x99, 0x92000006),
        ('user exception', 0x40f0a4, 0, 0x2000000)]
got = [(k, int(pc, 16), int(d, 16), int(esr, 16)) for k, pc, d, esr, _, _ in faults]
results.append((got[:11] == want and all(st == 'blocked' for *_, st, _ in faults[:11]),
                'a64-faults: undefined, read and write aborts, brk, wfi, msr tpidrro_el0, eret, hvc, a branch to '
                'nowhere, ldxr, msr sctlr_el1: the ESRs and addresses hardware gives, each thread blocked on its '
                'fault endpoint', out))
results.append((len(got) == 12 and got[11][0] == 'tick' and got[11][1] == 0x40f0f4 and faults[11][4] == 'returned',
                'a64-faults: fmov then b . preempted by the budget at the loop', out))

ticks, out = entries('a64-preempt')
results.append(([(k, pc, x0) for k, pc, _, _, _, x0 in ticks[:3]] == [('tick', '0x40f000', '0xe0'),
                                                                         ('tick', '0x40f010', '0xe0'),
                                                                         ('tick', '0x40f020', '0xe0')],
                'a64-preempt: subs/b.ne from 0xf0 preempted after 32 instructions at the subs, x0 = 0xe0', out))
results.append((len(ticks) == 5 and ticks[3][0] == 'tick' and ticks[4][0] == 'svc' and ticks[4][2] == '0xfffffffffffffff9',
                'a64-preempt: b . preempted; then a Yield (x7 = -7) from code', out))

print(f'1..{len(results)}')
for i, (good, name, detail) in enumerate(results, 1):
    print(f'{"ok" if good else "not ok"} {i} - {name}')
    if not good:
        for line in detail.splitlines()[-40:]:
            print('# ' + line)
sys.exit(0 if all(r[0] for r in results) else 1)
