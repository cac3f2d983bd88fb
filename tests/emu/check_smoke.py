#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The aarch64 smoke root task (tests/qemu/smoke_root.c) on hostsim's emulated EL0: the checks
tests/qemu/run-smoke.sh makes of its QEMU console, minus the GIC's name (hostsim has none).

  check_smoke.py KAAL_SIM SMOKE_ROOT_ELF
  check_smoke.py KAAL_SIM --image KAAL_SMOKE_IMAGE_ELF   (the root task inside the loader image)"""
import re
import subprocess
import sys

args = sys.argv[2:] if sys.argv[2] == '--image' else ['--elf', sys.argv[2]]
p = subprocess.run([sys.argv[1]] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                   stdin=subprocess.DEVNULL, timeout=600)
out = p.stdout.decode('utf-8', 'replace')
print(out)
problems = []
if p.returncode != 0:
    problems.append(f'kaal-sim exit status {p.returncode}')
if 'KaaL kernel panic' in out:
    problems.append('kernel panic')
if not re.search(r'^[1-9][0-9]* passed, 0 failed$', out, re.M):
    problems.append("no '<N> passed, 0 failed' line")
if 'vm fault on data at address 0x8 with status 0x92000046' not in out:
    problems.append('no kernel diagnostic for the deliberate fault (store to 0x8)')
if 'no runnable thread and nothing left that could wake one' not in out:
    problems.append('the machine did not stop by itself')
for pr in problems:
    print('check_smoke.py: FAIL: ' + pr)
print('check_smoke.py: ' + ('FAIL' if problems else 'PASS'))
sys.exit(1 if problems else 0)
