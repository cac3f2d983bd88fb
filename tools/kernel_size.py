#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Size of the aarch64 kernel's code and read-only data, split by where it comes from
(docs/performance.md#kernel-size).

  tools/kernel_size.py BUILD [--json OUT]

BUILD is an aarch64 build directory (for the release kernel: the benchmark build of ./kaal bench).
The kernel is linked once more exactly as Meson links it (ninja's command), with a linker map
added, into a temporary directory; each input section of .text and .rodata is then counted under
the part it comes from:
  kernel    core/ and hal/aarch64/kernel, except what is listed below
  boot      code that runs once at boot (core/kernel/boot.c, bootinfo.c, dtb.c; hal boot.c; and every
            function marked BOOT_CODE, input section .text.boot)
  printing  kprintf and the console (core/kernel/printf.c, hal console.c)
  libfdt    the device tree library (boot only)
  libgcc    compiler support routines
  padding   the vector table's 2 KiB alignment (VBAR_EL1); other alignment fill between input
            sections is counted with the section it aligns (a function's alignment, as inside one
            object's .text)
Sizes are in bytes, as the linker placed them ."""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

PARTS = ['kernel', 'boot', 'printing', 'libfdt', 'libgcc', 'padding']
BOOT = ('kernel_boot.c.o', 'kernel_bootinfo.c.o', 'kernel_dtb.c.o')
PRINTING = ('kernel_printf.c.o', 'kernel_console.c.o')


def part_of(path, section):
    if section == '.text.boot':
        return 'boot'  # BOOT_CODE functions in files that also hold run-time code
    base = os.path.basename(path.split('(')[0])
    if 'libfdt' in path:
        return 'libfdt'
    if 'libgcc' in path:
        return 'libgcc'
    member = path.split('(')[1].rstrip(')') if '(' in path else base
    if member in PRINTING or base in PRINTING:
        return 'printing'
    if member in BOOT or base in BOOT:
        return 'boot'
    return 'kernel'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('build')
    ap.add_argument('--json')
    a = ap.parse_args()
    target = 'hal/aarch64/kaal-kernel.elf'
    cmds = subprocess.run(['ninja', '-C', a.build, '-t', 'commands', target], check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()
    link = shlex.split(cmds[-1])
    with tempfile.TemporaryDirectory() as tmp:
        out = link.index('-o')
        link[out + 1] = os.path.join(tmp, 'kernel.elf')
        mapfile = os.path.join(tmp, 'kernel.map')
        subprocess.run(link + [f'-Wl,-Map={mapfile}'], cwd=a.build, check=True)
        with open(mapfile) as f:
            text = f.read()
    sizes = {p: {'.text': 0, '.rodata': 0} for p in PARTS}
    # Input sections: " .text.name  0xADDR  0xSIZE path", the name alone on its line when long.
    section = None
    pending = None
    fill = 0
    for line in text.splitlines():
        m = re.match(r'^(\.\w+)\s', line)
        if m:
            section = m.group(1) if m.group(1) in ('.text', '.rodata') else None
            continue
        if section is None:
            continue
        m = re.match(r'^ (\.[\w.$-]+)\s*$', line)
        if m:
            pending = m.group(1)
            continue
        m = re.match(r'^ \*fill\*\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)', line)
        if m:
            fill += int(m.group(2), 16)
            continue
        m = re.match(r'^ (\.[\w.$-]+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)', line)
        if m and (m.group(1) or pending):
            name = m.group(1) or pending
            part = part_of(m.group(4), name)
            sizes[part][section] += int(m.group(3), 16)
            # A fill aligns the input section after it: a function's alignment is part of its code
            # (as inside one object's .text); the vector table's 2 KiB alignment is padding.
            sizes['padding' if name == '.text.vectors' else part][section] += fill
            fill = 0
        pending = None
    sizes['padding']['.text'] += fill
    total = {s: sum(sizes[p][s] for p in PARTS) for s in ('.text', '.rodata')}
    print(f'{"part":<10} {".text":>8} {".rodata":>8}   (bytes; {os.path.join(a.build, target)})')
    for p in PARTS:
        print(f'{p:<10} {sizes[p][".text"]:>8} {sizes[p][".rodata"]:>8}')
    print(f'{"total":<10} {total[".text"]:>8} {total[".rodata"]:>8}')
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'parts': sizes, 'total': total}, f, indent=1)
            f.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
