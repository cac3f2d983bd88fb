#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Where one benchmark sample's instructions go: run the QEMU benchmark image with a per-instruction
exec trace (hal/aarch64/run-qemu.py with `-singlestep -d exec,nochain`), cut out one measured
interval and count its instructions by function (kernel and bench root symbols), optionally listing
every instruction.

  qemu_profile.py BUILD [--func FUNC [--any-read]] [--sample N] [--list] [--trace LOG] [--model MODEL]

BUILD is a `-Dbenchmarks=true` aarch64 build directory. A measured interval starts at a
`mrs xN, pmccntr_el0` directly followed by `svc` inside the bench root function FUNC (for example
ipc_client for Call, ipc_server for ReplyRecv) and ends at the next executed read of PMCCNTR_EL0,
in whatever thread: exactly what bench_root.c measures. N picks the Nth such interval (default
200: past the warm-up). Without --func, lists the functions that hold such start points.

The count printed is the number of instructions executed after the start read up to and including
the end read, minus one: the figure bench_root.c reports (it subtracts the cost of a back-to-back
pair of reads)."""
import argparse
import collections
import os
import re
import signal
import subprocess
import sys
import tempfile

OBJDUMP = 'aarch64-linux-gnu-objdump'
RUN_QEMU = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'hal', 'aarch64', 'run-qemu.py')


def functions(elf):
    """[(start, end, name)] sorted, and {pc: (text)} for every instruction, from objdump -d."""
    out = subprocess.run([OBJDUMP, '-d', '--no-show-raw-insn', elf], check=True, stdout=subprocess.PIPE,
                         text=True).stdout
    funcs, insns = [], {}
    cur = None
    for line in out.splitlines():
        m = re.match(r'^([0-9a-f]+) <(.+)>:$', line)
        if m:
            cur = [int(m.group(1), 16), None, m.group(2)]
            funcs.append(cur)
            continue
        m = re.match(r'^\s*([0-9a-f]+):\s+(.*)$', line)
        if m and cur is not None:
            pc = int(m.group(1), 16)
            insns[pc] = (cur[2], m.group(2).strip())
    return insns


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('build')
    ap.add_argument('--func')
    ap.add_argument('--sample', type=int, default=200)
    ap.add_argument('--list', action='store_true', help='print every instruction of the interval')
    ap.add_argument('--trace', help='reuse (or keep) this exec log instead of a temporary one')
    ap.add_argument('--model', default='gicv2', help='a CPU model of tests/qemu/cpu-models.txt')
    ap.add_argument('--any-read', action='store_true',
                    help='an interval starts at any counter read in FUNC, not only one right before an svc '
                         '(for windows of several system calls, e.g. bench_map_pages)')
    a = ap.parse_args()

    image = os.path.join(a.build, 'bench/qemu/kaal-bench-image.elf')
    user = os.path.join(a.build, 'bench/qemu/bench_root.elf')
    kernel = os.path.join(a.build, 'hal/aarch64/kaal-kernel.elf')
    insns = functions(user)
    insns.update(functions(kernel))

    reads = {pc for pc, (_, t) in insns.items() if re.match(r'mrs\s+x\d+, pmccntr_el0', t)}
    starts = collections.defaultdict(set)
    for pc in reads:
        nxt = insns.get(pc + 4)
        if a.any_read or (nxt and nxt[1].startswith('svc')):
            starts[insns[pc][0]].add(pc)
    if not a.func:
        print('functions with a timed svc:', ' '.join(sorted(starts)))
        return 0
    if a.func not in starts:
        sys.exit(f'qemu_profile.py: no timed svc in {a.func}; have: {" ".join(sorted(starts))}')

    # Without --trace the log is a FIFO read as QEMU writes it, and QEMU is stopped once the interval
    # is complete: a whole run's trace (the page-mapping rows execute some 10^8 instructions) would
    # not fit on a disk.
    tmpdir = None
    qemu = None
    log = a.trace
    if not (a.trace and os.path.exists(a.trace)):
        if not a.trace:
            tmpdir = tempfile.mkdtemp()
            log = os.path.join(tmpdir, 'exec.log')
            os.mkfifo(log)
        # The runner starts QEMU as its child: a session of their own, so both stop together.
        cmd = [sys.executable, RUN_QEMU, '--model', a.model, '--icount', '--timeout', '900', image,
               '-singlestep', '-d', 'exec,nochain', '-D', log]
        qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True)
        if a.trace:
            qemu.wait(timeout=900)
            qemu = None

    want = starts[a.func]
    seen = 0
    trace = None
    pat = re.compile(r'^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/')
    try:
        with open(log) as f:
            for line in f:
                m = pat.match(line)
                if not m:
                    continue
                pc = int(m.group(1), 16)
                if trace is not None:
                    trace.append(pc)
                    if pc in reads:
                        break
                elif pc in want:
                    seen += 1
                    if seen == a.sample:
                        trace = []
    finally:
        if qemu is not None:
            os.killpg(qemu.pid, signal.SIGKILL)
            qemu.wait()
        if tmpdir is not None:
            os.unlink(log)
            os.rmdir(tmpdir)
    if not trace:
        sys.exit(f'qemu_profile.py: only {seen} intervals start in {a.func}')

    by_func = collections.OrderedDict()
    for pc in trace:
        name = insns.get(pc, ('?', ''))[0]
        by_func[name] = by_func.get(name, 0) + 1
    if a.list:
        for pc in trace:
            name, text = insns.get(pc, ('?', '?'))
            print(f'{pc:016x}  {name:<32} {text}')
        print()
    # Runs of consecutive instructions in one function, in order (the path), then totals.
    print(f'{a.func}, interval {a.sample}: {len(trace) - 1} instructions (as bench_root.c reports)')
    runs = []
    for pc in trace:
        name = insns.get(pc, ('?', ''))[0]
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    print('path:', ' -> '.join(f'{n} {c}' for n, c in runs))
    for name, count in sorted(by_func.items(), key=lambda kv: -kv[1]):
        print(f'{count:6}  {name}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
