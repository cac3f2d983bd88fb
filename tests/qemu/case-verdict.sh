# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the QEMU scripts whose root task prints TAP case lines (tests/qemu/case_report.h):
# run-badinput.sh and run-hostile.sh. case_verdict NAME LOG STATUS GIC prints a line for each
# problem and sets fail=1 (it never clears it) and oks to the number of "ok" lines. The run passes
# when QEMU powered off by itself (STATUS 0; 124 is a timeout), there was no kernel panic, no case
# failed, the root task printed "N passed, 0 failed" with N the number of "ok" lines (at least one),
# and the kernel used GICv$GIC.
case_verdict() {
    local name=$1 log=$2 status=$3 gic=$4
    if [ "$status" -ne 0 ]; then echo "$name: QEMU exit status $status (124: timeout): did not power off"; fail=1; fi
    if grep -q 'KaaL kernel panic' "$log"; then echo "$name: kernel panic"; fail=1; fi
    if grep -q '^not ok ' "$log"; then echo "$name: $(grep -c '^not ok ' "$log") case(s) failed"; fail=1; fi
    oks=$(grep -c '^ok ' "$log")
    if ! grep -qx "$oks passed, 0 failed" "$log" || [ "$oks" -eq 0 ]; then
        echo "$name: no '$oks passed, 0 failed' line"; fail=1
    fi
    if [ -n "$gic" ] && ! grep -q "GICv$gic" "$log"; then echo "$name: kernel did not use GICv$gic"; fail=1; fi
}
