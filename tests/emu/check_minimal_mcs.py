#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The minimal MCS root task (tests/qemu/minimal_mcs_root.c: built from the MCS ABI facts alone,
no KaaL header) on hostsim's emulated EL0, judged as tests/qemu/run-minimal.sh judges its QEMU run.
Its budgets (a timeout fault and its restart among its checks) are measured on the emulated
instruction clock, the MCS kernel's clock there.

  check_minimal_mcs.py KAAL_SIM ROOT_TASK.elf [--expect-one-failure]"""
import re
import subprocess
import sys

NAME = 'minimal MCS root task'
sim, elf = sys.argv[1], sys.argv[2]
want = rf'^{NAME}: FAILED 1 checks' if sys.argv[3:] == ['--expect-one-failure'] \
    else rf'^{NAME}: all [1-9][0-9]* checks passed'
p = subprocess.run([sim, '--elf', elf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   stdin=subprocess.DEVNULL, timeout=600)
out = p.stdout.decode('utf-8', 'replace')
print(out)
problems = []
if p.returncode != 0:
    problems.append(f'kaal-sim exit status {p.returncode}')
if 'KaaL kernel panic' in out:
    problems.append('kernel panic')
if not re.search(want, out, re.M):
    problems.append(f"no line matching '{want}'")
for pr in problems:
    print('check_minimal_mcs.py: FAIL: ' + pr)
print('check_minimal_mcs.py: ' + ('FAIL' if problems else 'PASS'))
sys.exit(1 if problems else 0)
