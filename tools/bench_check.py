#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Regression check for the QEMU instruction counts (docs/performance.md).

  tools/bench_check.py RESULTS.json [--baseline bench/baseline-qemu.json] [--tolerance 2]
  tools/bench_check.py --image BUILD/bench/qemu/kaal-bench-image.elf [...]   (runs it first)
  tools/bench_check.py --mcs [RESULTS.json | --image MCS-BUILD/bench/qemu/kaal-bench-image.elf]

--mcs: the results are an MCS build's (-Dmcs=true): checked the same way against the MCS baseline
(bench/baseline-qemu-mcs.json), each row beside seL4-MCS's figure (bench/sel4-mcs-qemu.json);
--mcs --update refreshes the MCS baseline.

Each row is printed beside seL4's figure for the same primitive where bench/sel4-qemu.json has one
(sel4bench on the same QEMU); where sel4bench's window also holds another KaaL row ("with"), a
second line adds that row's total and compares the sum. RESULTS.json is what bench/qemu/run_qemu_bench.py --json writes (`meson test --benchmark` in a
-Dbenchmarks=true cross build). Every primitive in the baseline is compared by its median: more
than --tolerance percent (default 2) above the baseline, or missing, fails. A primitive whose
baseline samples vary (min < max: MCS timeout_fault, whose median flips between two modes from run
to run) fails only above the baseline's max by more than the tolerance. Exit status 1 and a
loud report on failure, 0 otherwise. Not a meson test: instruction counts change on purpose, and
then the baseline is refreshed with --update (commit the new bench/baseline-qemu.json)."""
import argparse
import json
import re
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(path):
    with open(path) as f:
        data = json.load(f)
    return data, {r['name']: r for r in data['results']}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('results', nargs='?')
    ap.add_argument('--image', help='run this benchmark image in QEMU first')
    ap.add_argument('--baseline', help='default bench/baseline-qemu.json, with --mcs '
                    'bench/baseline-qemu-mcs.json')
    ap.add_argument('--sel4', help="seL4's figures, printed beside KaaL's (default "
                    "bench/sel4-qemu.json, with --mcs bench/sel4-mcs-qemu.json)")
    ap.add_argument('--mcs', action='store_true',
                    help="MCS results: the MCS baseline and seL4-MCS's figures")
    ap.add_argument('--tolerance', type=float, default=2.0, help='percent (default 2)')
    ap.add_argument('--update', action='store_true', help='write the results as the new baseline')
    a = ap.parse_args()
    if a.sel4 is None:
        a.sel4 = os.path.join(ROOT, 'bench', 'sel4-mcs-qemu.json' if a.mcs else 'sel4-qemu.json')
    if a.baseline is None:
        a.baseline = os.path.join(ROOT, 'bench', 'baseline-qemu-mcs.json' if a.mcs else 'baseline-qemu.json')
    if a.image:
        fd, a.results = tempfile.mkstemp(suffix='.json')
        os.close(fd)
        runner = os.path.join(ROOT, 'bench', 'qemu', 'run_qemu_bench.py')
        if subprocess.run([sys.executable, runner, a.image, '--json', a.results]).returncode != 0:
            sys.exit('bench_check: the benchmark run failed')
    if not a.results:
        ap.error('give RESULTS.json or --image')
    data, cur = load(a.results)
    # An MCS image says so in its build string (hostsim) or by its MCS-only rows (QEMU).
    is_mcs = 'mcs=true' in data.get('build', '') or 'timeout_fault' in cur
    if is_mcs != a.mcs:
        sys.exit('bench_check: these are ' + ('an MCS' if is_mcs else 'a base configuration') +
                 ' build\'s results (build: ' + data.get('build', '?') + '): ' +
                 ('give --mcs' if is_mcs else 'drop --mcs'))
    if a.update:
        # The baseline names no build directory of this machine: the image path becomes BUILD/...,
        # and the build is the release bench build ./kaal bench makes.
        data['command'] = re.sub(r'\S*(/bench/qemu/kaal-bench-image\.elf)', r'BUILD\1', data['command'])
        data['command'] = re.sub(r'\S*/(hal/aarch64/run-qemu\.py)', r'\1', data['command'])
        data['build'] = data.get('build') or 'release, kernel_debug=false, fastpath=true' + (
            ', mcs=true' if a.mcs else '')
        with open(a.baseline, 'w') as f:
            json.dump(data, f, indent=1)
            f.write('\n')
        print(f'bench_check: baseline {a.baseline} updated ({len(cur)} primitives)')
        return 0
    _, base = load(a.baseline)
    with open(a.sel4) as f:
        sel4 = json.load(f)['rows']
    bad = []
    print(f'{"primitive":<20} {"baseline":>9} {"now":>9} {"change":>8} {"seL4":>9} {"vs seL4":>8}'
          '   (median, aarch64 QEMU -icount shift=0, instructions; per page/table where named)')
    for name in list(base) + [n for n in cur if n not in base]:
        b, r, y = base.get(name), cur.get(name), sel4.get(name)
        ys = f'{y["sel4"]:>9}' if y else f'{"-":>9}'
        vs = f'{100.0 * (r["median"] - y["sel4"]) / y["sel4"]:>+7.1f}%' if y and r and y.get('comparable', True) else f'{"n/c" if y and r else "":>8}'
        if r is None:
            bad.append(f'{name}: missing from the results')
            print(f'{name:<20} {b["median"]:>9} {"-":>9} {"MISSING":>8} {ys}')
            continue
        if b is None:
            print(f'{name:<20} {"-":>9} {r["median"]:>9} {"new":>8} {ys} {vs}')
            continue
        change = 100.0 * (r['median'] - b['median']) / b['median']
        flag = ''
        limit = b['max'] if b.get('min', b['median']) < b.get('max', b['median']) else b['median']
        if r['median'] > limit * (1 + a.tolerance / 100.0):
            flag = '  <-- REGRESSION'
            bad.append(f'{name}: {b["median"]} -> {r["median"]} instructions (+{change:.1f}% > {a.tolerance}%'
                       + (f' above the baseline\'s max {limit}' if limit != b['median'] else '') + ')')
        print(f'{name:<20} {b["median"]:>9} {r["median"]:>9} {change:>+7.1f}% {ys} {vs}{flag}')
        if y and y.get('with') in cur:
            # sel4bench's window holds this row and the one named by "with": both rows' totals
            # (median x count), per unit of this row, against seL4's figure.
            w = cur[y['with']]
            both = (r['median'] * r.get('count', 1) + w['median'] * w.get('count', 1)) / r.get('count', 1)
            print(f'{"  + " + y["with"]:<20} {"":>9} {round(both):>9} {"":>8} {ys} '
                  f'{100.0 * (both - y["sel4"]) / y["sel4"]:>+7.1f}%   (sel4bench\'s window: both rows)')
    print(f'seL4: {os.path.relpath(a.sel4)} (sel4bench on the same QEMU; what each figure is: docs/performance.md)')
    if bad:
        print('\n' + '!' * 78)
        print(f'bench_check: FAIL: {len(bad)} primitive(s) slower than the baseline by more than {a.tolerance}%:')
        for line in bad:
            print('  ' + line)
        print('!' * 78)
        return 1
    print(f'bench_check: OK: no primitive more than {a.tolerance}% above {os.path.relpath(a.baseline)}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
