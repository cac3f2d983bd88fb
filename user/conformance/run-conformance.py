#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run the conformance suite on one port and judge its console output.

  run-conformance.py hostsim KAAL-CONFORMANCE [ARGS...]   the hostsim executable (extra args passed on)
  run-conformance.py qemu IMAGE [MODEL]                   the aarch64 loader image, in QEMU virt on a
                                                          CPU model of tests/qemu/cpu-models.txt
                                                          (default gicv2; hal/aarch64/run-qemu.py)

Passes when every case line is "ok", the plan ("1..N") matches the number of case lines, the last
line of the suite is "N passed, 0 failed" with the counts agreeing, and the run ended cleanly
(hostsim: exit status 0; QEMU: powered off by itself, no kernel panic). The output is TAP, which
Meson reads case by case (protocol 'tap'): the suite's plan and case lines as they are, every other
console line and the verdict as "# " comments; the exit status is 1 when the run fails.
QEMU_TIMEOUT (seconds, default 240) bounds a QEMU run.

It also judges the kernel's diagnostics for failed invocations (seL4's userError; KAAL_USER_ERRORS=1,
set by meson for a kernel that prints them, 0 for one that does not): each is one line in seL4's form
<<KaaL(CPU 0) [function/line T0x... "thread" @pc]: message>>; the cases seL4 prints and the suite
provokes are there; the failures seL4 leaves silent (PageTable_Map, ASID control and pool, Page_Map
other than remapping a mapped frame) print nothing."""
import os
import re
import subprocess
import sys

# The suite's own TAP lines: the plan and the case lines (every other line becomes a comment).
TAP = re.compile(r'^(1\.\.\d+|(not )?ok \d+ .*)$')


def run(argv):
    port = argv[1]
    if port == 'hostsim':
        cmd = [argv[2]] + argv[3:]
        timeout = None
    elif port == 'qemu':
        model = argv[3] if len(argv) > 3 else 'gicv2'
        run_qemu = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'hal', 'aarch64',
                                'run-qemu.py')
        # --icount: where a timer tick lands is the same on every run, however loaded the host is.
        # Without it a host that deschedules QEMU for a time slice can let a tick preempt the root
        # task in the middle of a case that (legitimately, as seL4 would) observes the scheduler's
        # order.
        cmd = [sys.executable, run_qemu, '--model', model, '--icount', '--timeout', '240', argv[2]]
    else:
        sys.exit(f'run-conformance.py: unknown port {port!r}')
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return port, p.stdout.decode(errors='replace').replace('\r', ''), p.returncode


# seL4's one-line userError form, KaaL's name in place of seL4's.
DIAG = re.compile(r'<<KaaL\(CPU 0\) \[(\w+)/(\d+) T0x[0-9a-f]+ "([^"]*)" @[0-9a-f]+\]: (.+)>>$')
# Functions whose failures seL4's debug kernel does not print (decodeARMPageTableInvocation and the
# ASID control/pool decoders print nothing); Page_Map prints only for remapping a mapped frame.
SILENT_FUNCTIONS = {'decode_page_table_invocation', 'decode_asid_control_invocation',
                    'decode_asid_pool_invocation'}
PAGE_MAP_PRINTED = {'Page_Map: the frame is mapped in another address space',
                    'Page_Map: the frame is mapped at another vaddr'}


def judge_diagnostics(out, printing):
    problems = []
    diags = []
    for line in out.splitlines():
        at = line.find('<<KaaL')
        if at < 0:
            continue
        m = DIAG.match(line[at:])
        if not m:
            problems.append(f'diagnostic not in seL4\'s one-line form: {line[at:]!r}')
            continue
        diags.append(m)
    if not printing:
        if diags:
            problems.append(f'{len(diags)} diagnostic line(s) from a kernel built without printing')
        return problems
    if not diags:
        problems.append('no diagnostic line: the suite provokes failed invocations seL4 prints')
    for m in diags:
        func, msg = m.group(1), m.group(4)
        if func in SILENT_FUNCTIONS or (msg.startswith('Page_Map') and msg not in PAGE_MAP_PRINTED):
            problems.append(f'diagnostic for a failure seL4 does not print: {m.group(0)!r}')
    for want in sorted(PAGE_MAP_PRINTED):
        if not any(m.group(4) == want for m in diags):
            problems.append(f'no diagnostic {want!r} (seL4 prints it; the suite provokes it)')
    return problems


def judge(port, out, status):
    problems = judge_diagnostics(out, os.environ.get('KAAL_USER_ERRORS', '1') == '1')
    lines = out.splitlines()
    cases = [l for l in lines if re.match(r'^(not )?ok \d+ ', l)]
    failed = [l for l in cases if l.startswith('not ok')]
    plan = [int(m.group(1)) for l in lines for m in [re.match(r'^1\.\.(\d+)$', l)] if m]
    summary = [m for l in lines for m in [re.match(r'^(\d+) passed, (\d+) failed$', l)] if m]
    if not plan:
        problems.append('no plan line "1..N"')
    elif plan[-1] != len(cases):
        problems.append(f'plan says {plan[-1]} cases, {len(cases)} ran')
    if not summary:
        problems.append('no "N passed, N failed" line')
    else:
        p, f = int(summary[-1].group(1)), int(summary[-1].group(2))
        if (p, f) != (len(cases) - len(failed), len(failed)):
            problems.append(f'summary {p} passed, {f} failed does not match the case lines')
    if failed:
        problems.append(f'{len(failed)} case(s) failed')
    if 'KaaL kernel panic' in out or 'panic' in out.lower() and 'kernel' in out.lower() and port == 'qemu':
        if 'KaaL kernel panic' in out:
            problems.append('kernel panic')
    if port == 'hostsim' and status != 0:
        problems.append(f'exit status {status}')
    if port == 'qemu' and status != 0:
        problems.append(f'QEMU exit status {status} (124: timeout; did not power off by itself)')
    return cases, failed, problems


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    port, out, status = run(sys.argv)
    for line in out.splitlines():
        print(line if TAP.match(line) else '# ' + line)
    cases, failed, problems = judge(port, out, status)
    print(f'# run-conformance.py: {port}: {len(cases)} cases, {len(failed)} failed')
    for l in failed:
        print('#   ' + l)
    for pr in problems:
        print('# run-conformance.py: FAIL: ' + pr)
    if not problems:
        print('# run-conformance.py: PASS')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
