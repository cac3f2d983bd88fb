#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Run an aarch64 root task that prints TAP case lines (tests/qemu/case_report.h: the bad-input root
# task) on hostsim's emulated EL0 and judge it as run-badinput.sh judges its QEMU run
# (tests/qemu/case-verdict.sh; no GIC name: hostsim's interrupt controller is a model).
# Usage: run-cases-emu.sh NAME KAAL_SIM ROOT_TASK.elf [KAAL_SIM OPTION...]
set -uo pipefail
name=${1:?usage: run-cases-emu.sh NAME KAAL_SIM ROOT_TASK.elf [OPTION...]}
sim=${2:?usage} elf=${3:?usage}
shift 3
here="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=../qemu/case-verdict.sh
. "$here/../qemu/case-verdict.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$sim" --elf "$elf" "$@" </dev/null >"$log" 2>&1
status=$?
cat "$log"
fail=0
case_verdict "$name" "$log" "$status" ""
[ "$fail" -eq 0 ] && echo "$name: PASS ($oks cases)" || echo "$name: FAIL"
exit "$fail"
