#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""hostsim instruction counts: run bench_hostsim --callgrind under Valgrind's callgrind and divide
the inclusive instruction count (Ir) of each bench_op_* function by the system calls it makes.
The count covers the whole host-side system call: the harness (hostsim_syscall_as_current), kernel
entry, the kernel, and the exit path (docs/performance.md).

  callgrind_hostsim.py BENCH_HOSTSIM [--ops N] [--json OUT]"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# bench_op_* function -> [(benchmark name, system calls per run)]; the per-call figure is
# Ir / (runs * calls per run); a function with two rows splits its count evenly (Call, ReplyRecv).
OPS = {
    'bench_op_null_syscall': [('null syscall (Yield)', 1)],
    'bench_op_call_reply_recv': [('Call + ReplyRecv round trip, per system call', 2)],
    'bench_op_yield': [('Yield (switch)', 1)],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('bench')
    ap.add_argument('--ops', type=int, default=2000)
    ap.add_argument('--json')
    a = ap.parse_args()
    runs = a.ops + a.ops // 10 + 1  # bench_hostsim's warm-up + kept runs
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, 'callgrind.out')
        cmd = ['valgrind', '--tool=callgrind', f'--callgrind-out-file={out}', a.bench, '--callgrind', '--ops', str(a.ops)]
        p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            return 1
        ann = subprocess.run(['callgrind_annotate', '--inclusive=yes', '--threshold=100', out],
                             capture_output=True, text=True).stdout
    results = []
    for fn, rows in OPS.items():
        m = re.search(r'^\s*([\d,]+)\s+\([^)]*\)\s+\S*:' + fn + r'\b', ann, re.M) or \
            re.search(r'^\s*([\d,]+)\s+\S*' + fn + r'\b', ann, re.M)
        if not m:
            print(f'callgrind_hostsim: {fn} not found in the profile', file=sys.stderr)
            return 1
        ir = int(m.group(1).replace(',', ''))
        for name, per_run in rows:
            results.append({'name': name, 'instructions': round(ir / (runs * per_run)), 'port': 'hostsim',
                            'unit': 'instructions (callgrind Ir, incl. the hostsim harness)'})
    print('KaaL benchmarks: port hostsim; method: callgrind Ir per system call (incl. harness), '
          f'{runs} runs')
    for r in results:
        print(f'{r["name"]:<48} {r["instructions"]:>8}  hostsim callgrind, instructions')
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'port': 'hostsim', 'method': 'callgrind Ir / system calls', 'results': results}, f, indent=1)
            f.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
