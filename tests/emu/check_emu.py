#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Emulated EL0 tests: kaal-sim --elf runs AArch64 root tasks built with aarch64-linux-gnu-gcc
-nostdlib -static from the ABI's numbers alone (minimal_root.c, probe_root.c), reported as TAP.

usage: check_emu.py KAAL_SIM DTB MINIMAL_ELF MINIMAL_WRONG_ELF PROBE_ELF... BAD_IMAGE_ELF
       (probe ELFs named probe-<n>.elf; BAD_IMAGE_ELF: minimal_root with payload_root_start/_end
       symbols that lie in no loadable segment, for --image)
       check_emu.py --skip REASON                           (no AArch64 compiler: SKIP, exit 77)

Each probe does one thing whose answer hardware defines: the abort or exception the kernel then
reports (its ESR as AArch64 writes it), registers that survive preemption, the timer's placement.
"""
import os
import re
import subprocess
import sys

results = []


def ok(cond, name, detail=""):
    results.append((bool(cond), name, detail))
    return bool(cond)


def sim(*args):
    p = subprocess.run([KAAL_SIM, '--dtb', DTB] + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=600)
    return p.returncode, p.stdout.decode('utf-8', 'replace')


def stats(out):
    m = re.search(r'kaal-sim: (\d+) AArch64 instructions, (\d+) kernel entries \((\d+) system calls, (\d+) VM faults, '
                  r'(\d+) user exceptions, (\d+) timer ticks\), virtual clock (\d+)', out)
    return [int(x) for x in m.groups()] if m else None


def fault_probe(elf, name, message):
    status, out = sim('--elf', elf)
    ok(status == 0 and 'probe: start' in out and message in out and 'probe: done' not in out, name,
       f'status {status}, want the kernel to report "{message}"\n{out}')


def main():
    global KAAL_SIM, DTB
    if sys.argv[1] == '--skip':
        print('1..0 # SKIP ' + sys.argv[2])
        sys.exit(77)
    KAAL_SIM, DTB, minimal, minimal_wrong = sys.argv[1:5]
    probes = {int(m.group(1)): p for p in sys.argv[5:] if (m := re.search(r'probe-(\d+)\.elf$', p))}
    bad_image = next(p for p in sys.argv[5:] if p.endswith('bad-payload-image.elf'))

    status, out = sim('--elf', minimal)
    ok(status == 0 and 'minimal root task: hello from AArch64 EL0\n' in out, 'minimal root task prints and stops',
       f'status {status}\n{out}')
    ok('minimal root task: all 13 checks passed\n' in out and 'FAIL' not in out,
       'minimal root task: bootinfo, Retype, its three errors, Mint, Signal and Poll answer as the ABI says', out)
    st = stats(out)
    printed = sum(len(l) + 1 for l in out.splitlines() if l.startswith('minimal root task:'))
    ok(st is not None and st[2] == printed + 11 and st[3] == 0 and st[4] == 0,
       'minimal root task: one system call per character, 11 others (the last the Suspend), no fault', out)
    # The same task expecting a wrong badge: the failing check is reported, so the test above can fail.
    status, out = sim('--elf', minimal_wrong)
    ok(status == 0 and 'minimal root task: FAIL: Poll after the Signal: the badge: got 0x000000000000005a, want '
       '0x000000000000005b' in out and 'minimal root task: FAILED 1 checks' in out and 'checks passed' not in out,
       'minimal root task built with -DWRONG_BADGE: one failed check, reported', out)

    # Aborts: ESR = EC (0x24 data, 0x20 instruction from EL0) | IL | WnR | fault status (level).
    fault_probe(probes[1], 'read of an unmapped address: data abort, translation fault level 2',
                'vm fault on data at address 0x10 with status 0x92000006')
    fault_probe(probes[2], 'write to an unmapped address: data abort with WnR',
                'vm fault on data at address 0x12345678 with status 0x92000046')
    fault_probe(probes[3], 'jump into the bootinfo frame (XN): instruction abort, permission fault level 3',
                'with status 0x8200000f')
    fault_probe(probes[4], 'udf #0: UserException with EC 0 (unknown)', 'user exception 0x2000000 code 0')
    status, out = sim('--elf', probes[5])
    ok(status == 0 and 'probe: fpu disabled' in out and 'user exception 0x1fe00000 code 0' in out,
       'FP/SIMD with fpuDisabled: UserException with EC 0x07', out)
    fault_probe(probes[6], 'brk #0x123: UserException with EC 0x3C and the immediate',
                'user exception 0xf2000123 code 0')
    fault_probe(probes[8], 'msr tpidrro_el0 at EL0: undefined instruction', 'user exception 0x2000000 code 0')
    fault_probe(probes[10], 'wfi at EL0: trapped, EC 0x01 (SCTLR_EL1.nTWI clear as on the aarch64 port)',
                'user exception 0x7e00000 code 0')
    status, out = sim('--elf', probes[11])
    ok(status == 0 and 'probe: ctr_el0 read' in out and 'probe: done' in out,
       'mrs ctr_el0 and dc civac at EL0 work (SCTLR_EL1.UCT and UCI set as on the aarch64 port)', out)

    # More pages than an engine holds (Unicorn's limit): evicted and refilled, nothing lost.
    status, out = sim('--elf', probes[12], '--refill-run', '1')
    m = re.search(r'(\d+) page refills, (\d+) page-map flushes', out)
    ok(status == 0 and 'probe: pages intact' in out and m and int(m.group(1)) >= 2 * 768 and int(m.group(2)) >= 2,
       '--refill-run 1, 768 pages written and read: the engine drops its pages when full (512), refills them, '
       'nothing is lost', out)
    status, out = sim('--elf', probes[12])
    m = re.search(r'(\d+) page refills, (\d+) page-map flushes', out)
    ok(status == 0 and 'probe: pages intact' in out and m and 768 // 32 <= int(m.group(1)) <= 768 // 32 + 16 and
       int(m.group(2)) == 0, 'by default a refill maps up to 32 contiguous pages: about 24 refills for 768 pages', out)
    status, out = sim('--elf', minimal, '--refill-run', '0')
    ok(status == 2 and '--refill-run wants a number of pages' in out, '--refill-run 0: status 2', out)

    # Preemption: registers, NZCV and TPIDR_EL0 survive hundreds of timer interrupts.
    status, out = sim('--elf', probes[7], '--tick', '97')
    st = stats(out)
    ok(status == 0 and 'probe: changed 0x0000000000000000' in out and st is not None and st[5] > 1000,
       'x19-x28, d8-d15, NZCV and TPIDR_EL0 survive preemption every 97 instructions', out)
    status, out = sim('--elf', probes[7], '--tick', '0')
    st = stats(out)
    ok(status == 0 and st is not None and st[5] == 0, '--tick 0: no timer interrupt', out)

    # The virtual clock: a tick after every N user instructions, at the same instruction every run.
    runs = [sim('--elf', probes[9], '--tick', '1000', '--entry-cost', '0', '--trace') for _ in range(2)]
    st = stats(runs[0][1])
    ticks = [l for l in runs[0][1].splitlines() if l.startswith('emu: tick')]
    ok(runs[0] == runs[1] and st is not None and st[5] == st[0] // 1000 and len(ticks) == st[5] and
       all(l.endswith(f'(instruction {1000 * (i + 1)})') for i, l in enumerate(ticks)),
       'timer ticks every 1000 instructions, identical traces in two runs', runs[0][1][-2000:])
    # Each kernel entry costs --entry-cost instructions of virtual time.
    status, out = sim('--elf', probes[9], '--tick', '1000', '--entry-cost', '300', '--entry-jitter', '0')
    st2 = stats(out)
    ok(status == 0 and st2 is not None and st2[0] == st[0] and st2[6] == st2[0] + 300 * st2[1] and st2[5] > st[5],
       '--entry-cost 300 --entry-jitter 0: the clock is instructions + 300 per kernel entry, and ticks come sooner',
       out)
    # By default each entry's cost varies (up to 50% either way) by a fixed-seed sequence: the clock
    # differs from the flat one, stays within the bounds, and two runs are identical.
    jruns = [sim('--elf', probes[9], '--tick', '1000', '--entry-cost', '300', '--trace') for _ in range(2)]
    st3 = stats(jruns[0][1])
    ok(jruns[0] == jruns[1] and st3 is not None and st3[0] == st[0] and st3[6] != st3[0] + 300 * st3[1] and
       st3[0] + 150 * st3[1] <= st3[6] <= st3[0] + 450 * st3[1],
       'default entry jitter: the cost per entry varies within 300 +- 50%, identically in two runs', jruns[0][1][-2000:])
    # A tick shorter than a kernel entry's cost: missed periods are one interrupt, no livelock.
    status, out = sim('--elf', probes[7], '--tick', '50', '--entry-cost', '1000')
    ok(status == 0 and 'probe: changed 0x0000000000000000' in out, '--tick 50 --entry-cost 1000 still makes progress',
       out)
    ok(any(re.match(r'emu: syscall +tcb 0x[0-9a-f]+ pc 0x[0-9a-f]+ ', l) for l in runs[0][1].splitlines()),
       '--trace prints each kernel entry with the user PC', runs[0][1][:2000])

    # --mem writes the RAM size into the device tree.
    status, out = sim('--elf', minimal, '--mem', '256M')
    ok(status == 0 and 'hello from AArch64 EL0' in out, '--mem 256M boots', out)
    status, out = sim('--elf', minimal, '--mem', '64K')
    ok(status == 3 and 'boot failed' in out, '--mem 64K: too little RAM, boot fails (status 3)', out)

    # Error paths: each says what is wrong and exits non-zero.
    status, out = sim('--elf', '/nonexistent/root.elf')
    ok(status == 3 and 'cannot open /nonexistent/root.elf' in out, 'missing ELF: status 3', out)
    status, out = sim('--elf', DTB)
    ok(status == 3 and 'not an AArch64 little-endian ELF64 file' in out, 'a non-ELF file: status 3', out)
    status, out = sim('--elf', KAAL_SIM)
    ok(status == 3 and 'not an AArch64' in out, 'a host (x86-64) ELF: status 3', out)
    status, out = sim('--image', minimal)
    ok(status == 3 and 'holds no root task' in out, '--image with a plain ELF: status 3', out)
    status, out = sim('--image', DTB)
    ok(status == 3 and 'the image is not an AArch64 little-endian ELF64 file' in out,
       '--image with a non-ELF file: status 3, the ELF reader\'s reason', out)
    status, out = sim('--image', KAAL_SIM)
    ok(status == 3 and 'the image is not an AArch64 little-endian ELF64 file: it is built for another machine' in out,
       '--image with a host (x86-64) ELF: status 3', out)
    status, out = sim('--image', bad_image)
    ok(status == 3 and "the image's root task lies outside its loadable segments" in out,
       '--image whose payload symbols lie in no loadable segment: status 3', out)
    status, out = sim('--elf', minimal, '--mem', 'lots')
    ok(status == 2 and '--mem wants a size' in out, '--mem with a malformed size: status 2', out)
    status, out = sim('--elf', minimal, '--tick', '1x')
    ok(status == 2 and '--tick wants a number' in out, '--tick with a malformed number: status 2', out)
    status, out = sim('--elf', minimal, '--entry-cost', '-1')
    ok(status == 2 and '--entry-cost wants a number' in out, '--entry-cost with a negative number: status 2', out)
    status, out = sim('--elf', minimal, '--entry-jitter', '101')
    ok(status == 2 and '--entry-jitter wants a percentage' in out, '--entry-jitter above 100: status 2', out)
    status, out = sim('--elf', minimal, '--gdb', '70000')
    ok(status == 2 and '--gdb wants a TCP port' in out, '--gdb with a port above 65535: status 2', out)
    status, out = sim('--gdb', '0')
    ok(status == 2 and 'need --elf or --image' in out, '--gdb without --elf: status 2', out)
    status, out = sim('--tick', '5')
    ok(status == 2 and 'need --elf or --image' in out, '--tick without --elf: status 2', out)

    print(f'1..{len(results)}')
    for i, (good, name, detail) in enumerate(results, 1):
        print(f'{"ok" if good else "not ok"} {i} - {name}')
        if not good:
            for line in detail.splitlines()[-40:]:
                print('# ' + line)
    sys.exit(0 if all(r[0] for r in results) else 1)


main()
