#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check that the conformance suite ran the same cases on hostsim and in QEMU.

  compare-conformance.py [--skips FILE] [--test NAME] HOSTSIM_LOG QEMU_LOG

Each LOG is either a Meson test log (<builddir>/meson-logs/testlog.json: every test named
NAME or NAME-* in it that did not SKIP is read; NAME is 'conformance' unless --test names another
root task that prints case lines, e.g. 'badinput') or a plain console log of one run. Passes when
every run has the same case names in the same order (so the same count), and every case a run
skipped ("ok N area/name # SKIP reason") is a documented port-specific skip: a line
"PORT REASON-PREFIX" of the skips file (default: conformance-skips.txt next to this script),
where PORT is hostsim or qemu. Prints the counts and every difference."""
import json
import os
import re
import sys

CASE = re.compile(r'^(not )?ok (\d+) (\S+)(?: # SKIP (.*))?$')


def cases_of(text):
    return [(m.group(3), m.group(4)) for l in text.replace('\r', '').splitlines() for m in [CASE.match(l)] if m]


def runs_of(path, test_name):
    """[(run name, [(case, skip reason or None)])] from a testlog.json or a console log."""
    with open(path, encoding='utf-8', errors='replace') as f:
        text = f.read()
    runs = []
    if path.endswith('.json'):
        for line in text.splitlines():
            if not line.strip():
                continue
            t = json.loads(line)
            test = t['name'].rsplit(' / ', 1)[-1]  # "project:suite / name" when suites are shown
            if (test == test_name or test.startswith(test_name + '-')) and t.get('result') != 'SKIP':
                runs.append((f"{t['name']} ({path})", cases_of(t.get('stdout') or '')))
        if not runs:
            sys.exit(f'compare-conformance.py: no {test_name} test in {path} (did it run?)')
    else:
        runs.append((path, cases_of(text)))
    return runs


def load_skips(path):
    allowed = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0].strip() if not line.lstrip().startswith('#') else ''
            if line:
                port, reason = line.split(None, 1)
                allowed.append((port, reason))
    return allowed


def main(argv):
    skips = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'conformance-skips.txt')
    if len(argv) > 1 and argv[1] == '--skips':
        skips = argv[2]
        argv = argv[:1] + argv[3:]
    test_name = 'conformance'
    if len(argv) > 1 and argv[1] == '--test':
        test_name = argv[2]
        argv = argv[:1] + argv[3:]
    if len(argv) != 3:
        sys.exit(__doc__)
    allowed = load_skips(skips)
    runs = [('hostsim', r) for r in runs_of(argv[1], test_name)] + \
        [('qemu', r) for r in runs_of(argv[2], test_name)]
    problems = []
    ref_port, (ref_name, ref) = runs[0]
    for port, (name, cases) in runs:
        skipped = [(c, why) for c, why in cases if why is not None]
        print(f'compare-conformance.py: {name}: {len(cases)} cases, {len(skipped)} skipped')
        if not cases:
            problems.append(f'{name}: no case lines')
        for c, why in skipped:
            if not any(p == port and why.startswith(r) for p, r in allowed):
                problems.append(f'{name}: {c} skipped ("{why}"), not a documented {port} skip ({skips})')
        names, ref_names = [c for c, _ in cases], [c for c, _ in ref]
        if names != ref_names:
            problems.append(f'{name}: {len(names)} cases, {ref_name}: {len(ref_names)}')
            for c in ref_names:
                if c not in names:
                    problems.append(f'  only in {ref_name}: {c}')
            for c in names:
                if c not in ref_names:
                    problems.append(f'  only in {name}: {c}')
            if sorted(names) == sorted(ref_names):
                problems.append('  same cases, different order')
    for p in problems:
        print('compare-conformance.py: FAIL: ' + p)
    if not problems:
        print(f'compare-conformance.py: PASS: {len(runs)} runs, the same {len(ref)} cases')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
