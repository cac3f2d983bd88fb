#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Boot KaaL's image on QEMU virt (default: Cortex-A53, GICv2, 1 GiB, console on stdio). The kernel
# powers the machine off through PSCI SYSTEM_OFF when nothing can run any more (the root task has
# ended), so QEMU exits by itself.
# Usage: run-qemu.sh [IMAGE [extra QEMU arguments...]]
#   IMAGE defaults to build-aarch64/hal/aarch64/kaal-image.elf.
#   QEMU_TIMEOUT (seconds, default 30) bounds the run; 0: no bound (an interactive root task such as
#   the demo shell: the console is this terminal, its input goes to the guest; Ctrl-A x quits QEMU).
#   QEMU_MACHINE replaces the machine arguments (default "-machine virt -cpu cortex-a53"; GICv3:
#   "-machine virt,gic-version=3 -cpu cortex-a72").
# Exit status: QEMU's (0 after SYSTEM_OFF, 124 on timeout), or 1 if QEMU exited 0 but the console
# shows a kernel panic, a kernel_boot failure or a loader failure (SYSTEM_OFF carries no status).
set -euo pipefail
image=${1:-build-aarch64/hal/aarch64/kaal-image.elf}
[ $# -gt 0 ] && shift
read -r -a machine <<<"${QEMU_MACHINE:--machine virt -cpu cortex-a53}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
bound=()
if [ "${QEMU_TIMEOUT:-30}" != 0 ]; then
    # --foreground: QEMU stays in the terminal's foreground process group, so it can read the tty.
    bound=(timeout --foreground "${QEMU_TIMEOUT:-30}")
fi
status=0
"${bound[@]}" qemu-system-aarch64 "${machine[@]}" -nographic \
    -m 1G -kernel "$image" "$@" | tee "$log" || status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ] && grep -qE 'KaaL kernel panic|kernel_boot failed|KaaL loader: .*stopping' "$log"; then
    status=1
fi
exit "$status"
