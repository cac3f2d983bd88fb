#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Boot a KaaL image carrying a minimal root task (built from the ABI facts alone, no KaaL header)
# on QEMU virt with -icount shift=0 (its budgets are measured in time: virtual time then follows the
# instructions executed, so a loaded host cannot use up a budget) and check its console.
# Usage: run-minimal.sh IMAGE NAME [--expect-one-failure]
#   NAME: the root task's name as it prints it ("minimal MCS root task").
# Passes when QEMU powered off by itself, the root task printed "NAME: all N checks passed" with
# N > 0 and there was no panic; with --expect-one-failure, when it printed exactly one failed
# check instead (the variant built to fail, which proves a failing check is seen).
set -uo pipefail
image=${1:?usage: run-minimal.sh IMAGE NAME [--expect-one-failure]}
name=${2:?usage: run-minimal.sh IMAGE NAME [--expect-one-failure]}
want="^$name: all [1-9][0-9]* checks passed"
[ "${3:-}" = --expect-one-failure ] && want="^$name: FAILED 1 checks"
run_qemu="$(dirname "${BASH_SOURCE[0]}")/../../hal/aarch64/run-qemu.py"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$run_qemu" --icount --timeout 60 "$image" </dev/null >"$log" 2>&1
status=$?
tr -d '\r' <"$log"
fail=0
if [ "$status" -ne 0 ]; then echo "run-minimal.sh: QEMU did not power off cleanly ($status)"; fail=1; fi
if grep -q 'KaaL kernel panic' "$log"; then echo "run-minimal.sh: kernel panic"; fail=1; fi
if ! tr -d '\r' <"$log" | grep -qE "$want"; then echo "run-minimal.sh: no line matching '$want'"; fail=1; fi
[ "$fail" -eq 0 ] && echo "run-minimal.sh: PASS" || echo "run-minimal.sh: FAIL"
exit "$fail"
