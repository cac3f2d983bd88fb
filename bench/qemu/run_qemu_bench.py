#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot the benchmark image in QEMU virt (hal/aarch64/run-qemu.py: Cortex-A53 unless --model says
otherwise, -icount shift=0, so PMCCNTR_EL0 counts instructions), collect its `BENCH {json}` lines,
print a table and optionally write JSON.

  run_qemu_bench.py IMAGE [--json OUT] [--desc TEXT] [--model MODEL]

MODEL is a CPU model of tests/qemu/cpu-models.txt (default gicv2; bench/baseline-qemu.json was
measured on it). Exit status 1 when the run did not finish ("bench: done" and QEMU powered off) or a
benchmark failed."""
import argparse
import json
import os
import subprocess
import sys

RUN_QEMU = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'hal', 'aarch64', 'run-qemu.py')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('image')
    ap.add_argument('--json')
    ap.add_argument('--desc', default='')
    ap.add_argument('--model', default='gicv2')
    a = ap.parse_args()
    cpu = subprocess.run([sys.executable, RUN_QEMU, '--model', a.model, '--field', 'cpu'], check=True,
                         stdout=subprocess.PIPE, text=True).stdout.strip()
    method = f'QEMU virt {cpu} -icount shift=0, PMCCNTR_EL0 read at EL0 (instructions)'
    cmd = [sys.executable, RUN_QEMU, '--model', a.model, '--icount', '--timeout', '300', a.image]
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode(errors='replace').replace('\r', '')
    timed_out = p.returncode == 124
    results = []
    for line in out.splitlines():
        if line.startswith('BENCH '):
            r = json.loads(line[6:])
            r['port'] = 'aarch64 (QEMU)'
            r['unit'] = 'instructions'
            results.append(r)
    ok = 'bench: done' in out and 'FAILED' not in out and p.returncode == 0
    if timed_out:
        print('run_qemu_bench.py: QEMU did not power off by itself (timeout)')
    if not ok:
        sys.stdout.write(out)
    print(f'KaaL benchmarks: port aarch64, {a.desc}; method: {method}')
    print(f'{"benchmark":<20} {"min":>7} {"median":>7} {"max":>7}  port/method')
    for r in results:
        print(f'{r["name"]:<20} {r["min"]:>7} {r["median"]:>7} {r["max"]:>7}  aarch64 QEMU icount, instructions')
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'port': 'aarch64', 'method': method, 'build': a.desc, 'command': ' '.join(cmd[1:]),
                       'results': results}, f, indent=1)
            f.write('\n')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
