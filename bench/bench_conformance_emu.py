#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Benchmark (a Meson benchmark(), not a test): the aarch64 conformance suite's run time on hostsim's
emulated EL0 (kaal-sim --elf conformance_root.elf) against the same suite in QEMU (its loader image,
hal/aarch64/run-qemu.py, GICv2 model, with and without -icount shift=0), in CPU time of the child
processes (the machine may be shared), best of RUNS runs each. Every run must pass.

  bench_conformance_emu.py KAAL_SIM RUN_QEMU AARCH64_BUILD      (exit 77 when that build is absent)"""
import os
import resource
import subprocess
import sys

RUNS = 3
kaal_sim, run_qemu, build = sys.argv[1:4]
elf = os.path.join(build, 'user/conformance/conformance_root.elf')
image = os.path.join(build, 'user/conformance/kaal-conformance-image.elf')
if not build.startswith('/') or not os.path.isfile(elf) or not os.path.isfile(image):
    print(f'SKIP: no aarch64 conformance build at {build!r} (-Daarch64_build=DIR)')
    sys.exit(77)


def cpu_of(cmd):
    """Best child CPU time (user + system) of RUNS runs of cmd, each of which must pass."""
    best = None
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=900)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = p.stdout.decode('utf-8', 'replace')
        if p.returncode != 0 or '\nnot ok ' in out or ' passed, 0 failed' not in out:
            sys.exit(f'bench_conformance_emu.py: {cmd} failed (status {p.returncode}):\n{out[-3000:]}')
        t = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = t if best is None else min(best, t)
    return best


emu = cpu_of([kaal_sim, '--elf', elf])
qemu = cpu_of([run_qemu, '--model', 'gicv2', '--timeout', '600', image])
qemu_icount = cpu_of([run_qemu, '--model', 'gicv2', '--icount', '--timeout', '600', image])
print(f'conformance suite, CPU time (best of {RUNS}):')
print(f'  hostsim emulated EL0 (kaal-sim --elf):  {emu:.2f} s')
print(f'  QEMU (run-qemu.py, gicv2):              {qemu:.2f} s   emulated/QEMU = {emu / qemu:.2f}')
print(f'  QEMU -icount shift=0:                   {qemu_icount:.2f} s   emulated/QEMU = {emu / qemu_icount:.2f}')
