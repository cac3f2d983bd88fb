#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# A kernel crash on purpose, under gdb: checks the panic dump and the gdb mode of
# hal/aarch64/run-qemu.py (./kaal gdb).
# Usage: run-crashdump.sh IMAGE KERNEL_ELF ROOT_ELF
# Boots IMAGE (the bad-input root task) halted under gdb (run-qemu.py --gdb), stops in the root
# task (its symbols: kaal_root_main) and at the kernel's first VM-fault entry (the kernel's
# symbols), then points the kernel's PC at 0x10: an instruction abort at EL1. Passes when QEMU
# powered off after a panic whose dump names the current thread ("badinput-child", the thread
# whose fault the kernel was handling) and decodes ESR and FAR in words. Needs gdb-multiarch (exit
# 77, skipped, without it). QEMU_TIMEOUT (default 60 s) bounds the run.
set -uo pipefail
image=${1:?usage: run-crashdump.sh IMAGE KERNEL_ELF ROOT_ELF}
kernel=${2:?} root=${3:?}
run_qemu="$(dirname "${BASH_SOURCE[0]}")/../../hal/aarch64/run-qemu.py"
command -v gdb-multiarch >/dev/null || { echo "run-crashdump.sh: gdb-multiarch is missing: skipped"; exit 77; }
console=$(mktemp)
out=$(mktemp)
trap 'rm -f "$console" "$out"' EXIT
"$run_qemu" --timeout 60 --gdb "$kernel" --gdb-root "$root" --gdb-port 0 --console "$console" "$image" -batch \
    -ex 'break kaal_root_main' -ex continue -ex 'delete' \
    -ex 'break kernel_handle_vm_fault' -ex continue -ex 'delete' \
    -ex 'set $pc = 0x10' -ex continue >"$out" 2>&1
status=$?
echo "--- gdb"; cat "$out"; echo "--- console"; tr -d '\r' <"$console"; echo "---"
fail=0
check() { # check DESCRIPTION FILE PATTERN
    if ! grep -qE -- "$3" "$2"; then echo "run-crashdump.sh: missing: $1"; fail=1; fi
}
[ "$status" -eq 0 ] || { echo "run-crashdump.sh: gdb/QEMU status $status (124: timeout)"; fail=1; }
check "root task symbols (breakpoint in kaal_root_main)" "$out" 'Breakpoint 1, kaal_root_main'
check "kernel symbols (breakpoint in kernel_handle_vm_fault)" "$out" 'Breakpoint 2, kernel_handle_vm_fault'
check "the panic" "$console" 'KaaL kernel panic: unexpected exception in the kernel'
check "the current thread's name" "$console" 'current thread 0x[0-9a-f]+ "badinput-child": user PC'
check "ESR decoded" "$console" 'ESR_EL1 [0-9a-f]+: class 0x21 = instruction abort at EL1, translation fault at level'
check "FAR" "$console" 'FAR_EL1 0000000000000010 \(faulting address\)'
check "registers" "$console" 'x29 [0-9a-f]{16}'
check "power off after the panic (QEMU exited)" "$out" 'exited normally|Remote connection closed'
[ "$fail" -eq 0 ] && echo "run-crashdump.sh: PASS" || echo "run-crashdump.sh: FAIL"
exit "$fail"
