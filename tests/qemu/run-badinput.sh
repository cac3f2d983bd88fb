#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Boot a KaaL image carrying the bad-input root task (badinput_root.c) on QEMU virt
# (hal/aarch64/run-qemu.py) and judge it.
# Usage: run-badinput.sh IMAGE [MODEL]
#   MODEL: a CPU model of cpu-models.txt (default gicv2: Cortex-A53, GICv2).
#   QEMU_TIMEOUT (seconds, default 120) bounds the run.
# Passes when QEMU powered off by itself (exit 0: the kernel survived to the end), there was no
# kernel panic, no case failed ("not ok"), and the root task printed "N passed, 0 failed" with N
# equal to the number of "ok" lines (at least one).
set -uo pipefail
image=${1:?usage: run-badinput.sh IMAGE [MODEL]}
model=${2:-gicv2}
here="$(dirname "${BASH_SOURCE[0]}")"
run_qemu="$here/../../hal/aarch64/run-qemu.py"
# shellcheck source=case-verdict.sh
. "$here/case-verdict.sh"
gic=$("$run_qemu" --model "$model" --field gic) || exit 2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$run_qemu" --model "$model" --timeout 120 "$image" </dev/null 2>&1 | tr -d '\r' >"$log"
status=${PIPESTATUS[0]}
cat "$log"
fail=0
case_verdict run-badinput.sh "$log" "$status" "$gic"
[ "$fail" -eq 0 ] && echo "run-badinput.sh: $model: PASS ($oks cases)" || echo "run-badinput.sh: $model: FAIL"
exit "$fail"
