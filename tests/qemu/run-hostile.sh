#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Boot a KaaL image carrying the hostile root task (hostile_root.c) on QEMU virt
# (hal/aarch64/run-qemu.py) and judge it.
# Usage: run-hostile.sh IMAGE [MODEL]
#   MODEL: a CPU model of cpu-models.txt (default gicv2). The root task gets the boot arguments
#   hostile.seed=$HOSTILE_SEED (default 1: every run is the same; the console shows the seed) and
#   hostile.expect=<the model's EL0-writable PSTATE fields>.
#   QEMU_TIMEOUT (seconds, default 180) bounds the run.
# Passes when QEMU powered off by itself (the kernel survived to the end), there was no kernel
# panic, no case failed, and the root task printed "N passed, 0 failed" with N equal to the number
# of "ok" lines (at least one).
set -uo pipefail
image=${1:?usage: run-hostile.sh IMAGE [MODEL]}
model=${2:-gicv2}
here="$(dirname "${BASH_SOURCE[0]}")"
run_qemu="$here/../../hal/aarch64/run-qemu.py"
# shellcheck source=case-verdict.sh
. "$here/case-verdict.sh"
gic=$("$run_qemu" --model "$model" --field gic) || exit 2
expect=$("$run_qemu" --model "$model" --field expect)
seed=${HOSTILE_SEED:-1}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$run_qemu" --model "$model" --timeout 180 --append "hostile.seed=$seed hostile.expect=$expect" "$image" \
    </dev/null 2>&1 | tr -d '\r' >"$log"
status=${PIPESTATUS[0]}
cat "$log"
fail=0
case_verdict run-hostile.sh "$log" "$status" "$gic"
if ! grep -q "seed $seed " "$log"; then echo "run-hostile.sh: the root task did not get hostile.seed=$seed"; fail=1; fi
[ "$fail" -eq 0 ] && echo "run-hostile.sh: $model (seed $seed): PASS ($oks cases)" ||
    echo "run-hostile.sh: $model (seed $seed): FAIL (reproduce: HOSTILE_SEED=$seed)"
exit "$fail"
