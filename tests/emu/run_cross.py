#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run a test on a root-task ELF of the aarch64 cross build, or SKIP (exit 77) when it is absent.

  run_cross.py ELF COMMAND...     (every "@ELF@" in COMMAND is replaced by ELF)

The hostsim build runs the aarch64 build's ELFs on its emulated EL0; -Daarch64_build=DIR names that
build (./kaal test sets it and builds it first). Without it the test says so and skips visibly."""
import os
import subprocess
import sys

elf, cmd = sys.argv[1], sys.argv[2:]
if not elf.startswith('/') or not os.path.isfile(elf):
    print(f'SKIP: no aarch64 root task at {elf!r}: configure this build with -Daarch64_build=DIR naming a '
          'compiled aarch64 build (./kaal test does)')
    sys.exit(77)
sys.exit(subprocess.run([a.replace('@ELF@', elf) for a in cmd]).returncode)
