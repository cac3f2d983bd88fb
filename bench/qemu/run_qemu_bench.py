#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot the benchmark image in QEMU virt (Cortex-A53, -icount shift=0, so PMCCNTR_EL0 counts
instructions), collect its `BENCH {json}` lines, print a table and optionally write JSON.

  run_qemu_bench.py IMAGE [--json OUT] [--desc TEXT] [--gic gicv2|gicv3]

Exit status 1 when the run did not finish ("bench: done" and QEMU powered off) or a benchmark failed."""
import argparse
import json
import os
import subprocess
import sys

METHOD = 'QEMU virt cortex-a53 -icount shift=0, PMCCNTR_EL0 read at EL0 (instructions)'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('image')
    ap.add_argument('--json')
    ap.add_argument('--desc', default='')
    ap.add_argument('--gic', default='gicv2', choices=['gicv2', 'gicv3'])
    a = ap.parse_args()
    machine = {'gicv2': ['-machine', 'virt', '-cpu', 'cortex-a53'],
               'gicv3': ['-machine', 'virt,gic-version=3', '-cpu', 'cortex-a53']}[a.gic]
    cmd = ['qemu-system-aarch64'] + machine + ['-icount', 'shift=0', '-nographic', '-m', '1G', '-kernel', a.image]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=int(os.environ.get('QEMU_TIMEOUT', '300')))
        out = p.stdout.decode(errors='replace').replace('\r', '')
        timed_out = False
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b'').decode(errors='replace').replace('\r', '')
        timed_out = True
    results = []
    for line in out.splitlines():
        if line.startswith('BENCH '):
            r = json.loads(line[6:])
            r['port'] = 'aarch64 (QEMU)'
            r['unit'] = 'instructions'
            results.append(r)
    ok = 'bench: done' in out and 'FAILED' not in out and not timed_out
    if timed_out:
        print('run_qemu_bench.py: QEMU did not power off by itself (timeout)')
    if not ok:
        sys.stdout.write(out)
    print(f'KaaL benchmarks: port aarch64, {a.desc}; method: {METHOD}')
    print(f'{"benchmark":<20} {"min":>7} {"median":>7} {"max":>7}  port/method')
    for r in results:
        print(f'{r["name"]:<20} {r["min"]:>7} {r["median"]:>7} {r["max"]:>7}  aarch64 QEMU icount, instructions')
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'port': 'aarch64', 'method': METHOD, 'build': a.desc, 'command': ' '.join(cmd),
                       'results': results}, f, indent=1)
            f.write('\n')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
