#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""kaal-sim --gdb: gdb-multiarch, in batch mode, debugs AArch64 root tasks on the emulated EL0
through hostsim's gdb stub (hal/hostsim/machine/gdbstub.c), reported as TAP.

usage: check_gdb.py GDB KAAL_SIM MINIMAL_ELF PROBE1_ELF   (MINIMAL_ELF built with -g)
       check_gdb.py --skip REASON                          (no gdb-multiarch: SKIP, exit 77)

The minimal root task: stop at its first instruction, break at root_main, read x0 (the bootinfo
frame) and memory through the VSpace (its IPC buffer's address, as the bootinfo holds it), step
one instruction, write a variable (the task then reports the failure count gdb wrote), continue
to the end. Probe 1 (a read of address 0x10): gdb sees the SIGSEGV at the load before the kernel
does, then the kernel reports the fault as usual."""
import re
import subprocess
import sys

results = []


def ok(cond, name, detail=""):
    results.append((bool(cond), name, detail))


def debug(elf, commands):
    """Run kaal-sim --elf ELF --gdb 0 and gdb-multiarch with COMMANDS against it: (gdb output,
    kaal-sim status, kaal-sim output)."""
    sim = subprocess.Popen([KAAL_SIM, '--elf', elf, '--gdb', '0'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL)
    head = []
    port = None
    for raw in sim.stdout:
        line = raw.decode('utf-8', 'replace')
        head.append(line)
        m = re.search(r'target remote 127\.0\.0\.1:(\d+)', line)
        if m:
            port = m.group(1)
            break
    if port is None:
        sim.wait()
        return '', sim.returncode, ''.join(head)
    args = [GDB, '-batch', '-nx', '-ex', 'set remotetimeout 600', '-ex', 'file ' + elf, '-ex', 'target remote 127.0.0.1:' + port]
    for c in commands:
        args += ['-ex', c]
    g = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=900)
    try:
        rest = sim.communicate(timeout=900 if g.returncode == 0 else 30)[0].decode('utf-8', 'replace')
    except subprocess.TimeoutExpired:
        # gdb failed (e.g. could not connect) and kaal-sim still waits for it: end it, report both.
        sim.kill()
        rest = sim.communicate()[0].decode('utf-8', 'replace') + '\n(kaal-sim killed: gdb had failed)\n'
    return g.stdout.decode('utf-8', 'replace'), sim.returncode, ''.join(head) + rest


def main():
    global GDB, KAAL_SIM
    if sys.argv[1] == '--skip':
        print('1..0 # SKIP ' + sys.argv[2])
        sys.exit(77)
    GDB, KAAL_SIM, minimal, probe1 = sys.argv[1:5]

    out, status, sim_out = debug(minimal, [
        'info registers pc', 'break root_main', 'continue', 'printf "x0=%#lx\\n", $x0',
        'printf "ipc=%#lx\\n", *(unsigned long *)($x0 + 32)', 'printf "pc1=%#lx\\n", $pc', 'stepi',
        'printf "pc2=%#lx\\n", $pc', 'printf "sp=%#lx cpsr=%#x\\n", $sp, $cpsr', 'set var failures = 5', 'continue'])
    detail = out + '\n--- kaal-sim ---\n' + sim_out
    ok(re.search(r'^pc +0x400[0-9a-f]+ +0x[0-9a-f]+ <_start>', out, re.M),
       'gdb attaches before the first instruction: pc is _start', detail)
    ok(re.search(r'^Breakpoint 1, root_main \(bootinfo=\d+\)', out, re.M), 'a breakpoint at root_main is hit', detail)
    x0 = re.search(r'^x0=(0x[0-9a-f]+)$', out, re.M)
    bi = re.search(r'root_main \(bootinfo=(\d+)\)', out)
    ok(x0 and bi and int(x0.group(1), 16) == int(bi.group(1)) and int(x0.group(1), 16) % 4096 == 0,
       'x0 reads the bootinfo frame (page aligned, the argument gdb shows)', detail)
    ipc = re.search(r'^ipc=(0x[0-9a-f]+)$', out, re.M)
    ok(ipc and int(ipc.group(1), 16) != 0 and int(ipc.group(1), 16) % 4096 == 0,
       'memory reads through the VSpace: the bootinfo\'s IPC buffer address', detail)
    pc1, pc2 = re.search(r'^pc1=(0x[0-9a-f]+)$', out, re.M), re.search(r'^pc2=(0x[0-9a-f]+)$', out, re.M)
    ok(pc1 and pc2 and int(pc2.group(1), 16) == int(pc1.group(1), 16) + 4, 'stepi executes one instruction', detail)
    ok(re.search(r'^sp=0x[0-9a-f]+ cpsr=(0x)?0$', out, re.M), 'sp and cpsr (EL0t, flags clear) read', detail)
    ok('[Inferior 1 (Remote target) exited normally]' in out and status == 0, 'continue runs to the end: W00', detail)
    ok('minimal root task: FAILED 5 checks' in sim_out, 'a variable gdb wrote reaches the program', detail)

    out, status, sim_out = debug(probe1, ['continue', 'printf "fault pc=%#lx\\n", $pc', 'continue'])
    detail = out + '\n--- kaal-sim ---\n' + sim_out
    ok('Program received signal SIGSEGV' in out and re.search(r'^fault pc=0x400[0-9a-f]+$', out, re.M),
       'an abort stops in gdb as SIGSEGV at the faulting instruction', detail)
    ok(status == 0 and 'vm fault on data at address 0x10 with status 0x92000006' in sim_out,
       'after gdb continues the kernel reports the fault as without gdb', detail)

    print(f'1..{len(results)}')
    for i, (good, name, detail) in enumerate(results, 1):
        print(f'{"ok" if good else "not ok"} {i} - {name}')
        if not good:
            for line in detail.splitlines()[-60:]:
                print('# ' + line)
    sys.exit(0 if all(r[0] for r in results) else 1)


main()
