#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Boot a KaaL image carrying the smoke root task on QEMU virt (hal/aarch64/run-qemu.py) and check
# its console.
# Usage: run-smoke.sh IMAGE [MODEL]
#   MODEL: a CPU model of cpu-models.txt (default gicv2: Cortex-A53 with GICv2, QEMU's default).
#   QEMU_TIMEOUT (seconds, default 60) bounds the run.
# Passes when QEMU powered off by itself (exit 0), the root task printed "N passed, 0 failed" with
# N > 0, the kernel reported the deliberate fault and powered off because nothing could run, and
# there was no panic.
set -uo pipefail
image=${1:?usage: run-smoke.sh IMAGE [MODEL]}
model=${2:-gicv2}
run_qemu="$(dirname "${BASH_SOURCE[0]}")/../../hal/aarch64/run-qemu.py"
gic=$("$run_qemu" --model "$model" --field gic) || exit 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s.%N)
"$run_qemu" --model "$model" --timeout 60 "$image" </dev/null >"$log" 2>&1
status=$?
end=$(date +%s.%N)
tr -d '\r' <"$log"
echo "run-smoke.sh: $model: QEMU exit status $status after $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s"
fail=0
if [ "$status" -ne 0 ]; then echo "run-smoke.sh: QEMU did not power off cleanly"; fail=1; fi
if grep -q 'KaaL kernel panic' "$log"; then echo "run-smoke.sh: kernel panic"; fail=1; fi
if ! grep -qE "^[1-9][0-9]* passed, 0 failed" <(tr -d '\r' <"$log"); then
    echo "run-smoke.sh: no '<N> passed, 0 failed' line"; fail=1
fi
if ! grep -q "GICv$gic" "$log"; then echo "run-smoke.sh: kernel did not use GICv$gic"; fail=1; fi
if ! grep -q 'took fault type 5\|VMFault\|vm fault' "$log"; then
    echo "run-smoke.sh: no kernel diagnostic for the deliberate fault"; fail=1
fi
if ! grep -q 'powering off' "$log"; then echo "run-smoke.sh: kernel did not end the run"; fail=1; fi
[ "$fail" -eq 0 ] && echo "run-smoke.sh: $model: PASS" || echo "run-smoke.sh: $model: FAIL"
exit "$fail"
