#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Boot a KaaL image carrying the bad-input root task (badinput_root.c) on QEMU virt and judge it.
# Usage: run-badinput.sh IMAGE [gicv2|gicv3]
#   gicv2: -machine virt -cpu cortex-a53; gicv3: virt,gic-version=3 + cortex-a72.
#   QEMU_TIMEOUT (seconds, default 120) bounds the run.
# Passes when QEMU powered off by itself (exit 0: the kernel survived to the end), there was no
# kernel panic, no case failed ("not ok"), and the root task printed "N passed, 0 failed" with N
# equal to the number of "ok" lines (at least one).
set -uo pipefail
image=${1:?usage: run-badinput.sh IMAGE [gicv2|gicv3]}
gic=${2:-gicv2}
case "$gic" in
gicv2) machine=(-machine virt -cpu cortex-a53) ;;
gicv3) machine=(-machine virt,gic-version=3 -cpu cortex-a72) ;;
*) echo "run-badinput.sh: unknown GIC '$gic'" >&2; exit 2 ;;
esac
log=$(mktemp)
trap 'rm -f "$log"' EXIT
timeout "${QEMU_TIMEOUT:-120}" qemu-system-aarch64 "${machine[@]}" -nographic -m 1G -kernel "$image" \
    </dev/null 2>&1 | tr -d '\r' >"$log"
status=${PIPESTATUS[0]}
cat "$log"
fail=0
if [ "$status" -ne 0 ]; then echo "run-badinput.sh: QEMU exit status $status (124: timeout): did not power off"; fail=1; fi
if grep -q 'KaaL kernel panic' "$log"; then echo "run-badinput.sh: kernel panic"; fail=1; fi
if grep -q '^not ok ' "$log"; then echo "run-badinput.sh: $(grep -c '^not ok ' "$log") case(s) failed"; fail=1; fi
oks=$(grep -c '^ok ' "$log")
if ! grep -qx "$oks passed, 0 failed" "$log" || [ "$oks" -eq 0 ]; then
    echo "run-badinput.sh: no '$oks passed, 0 failed' line"; fail=1
fi
if ! grep -q "GICv${gic#gicv}" "$log"; then echo "run-badinput.sh: kernel did not use GICv${gic#gicv}"; fail=1; fi
[ "$fail" -eq 0 ] && echo "run-badinput.sh: $gic: PASS ($oks cases)" || echo "run-badinput.sh: $gic: FAIL"
exit "$fail"
