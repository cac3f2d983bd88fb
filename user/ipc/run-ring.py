#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run the SPSC ring test root task and check it.

usage: run-ring.py hostsim KAAL-RING-TEST | run-ring.py qemu IMAGE
Passes when every check printed "ok", the summary says "N passed, 0 failed" and the run ended
cleanly (hostsim: exit status 0; QEMU, booted on GICv2 by hal/aarch64/run-qemu.py: it powered off).
The "ring-bench:" line is the benchmark's figure (messages/s and bytes/s on hostsim; per-message
cycles in QEMU when the PMU is exported).
"""
import os
import re
import subprocess
import sys


def hang_guard_seconds():
    """A hang guard, not a verdict on speed: 240 s, times CK_TIMEOUT_MULTIPLIER (10 under
    `meson test --setup=valgrind`, where Meson's own timeout is multiplied as much)."""
    return 240 * int(os.environ.get("CK_TIMEOUT_MULTIPLIER", "1"))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("hostsim", "qemu"):
        print(__doc__, file=sys.stderr)
        return 2
    port, binary = sys.argv[1:]
    run_qemu = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "hal", "aarch64",
                            "run-qemu.py")
    cmd = [binary] if port == "hostsim" else \
        [sys.executable, run_qemu, "--model", "gicv2", "--timeout", str(hang_guard_seconds()), binary]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=hang_guard_seconds() if port == "hostsim" else None)
        out, status = p.stdout.decode("utf-8", "replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out, status = (e.stdout or b"").decode("utf-8", "replace"), "timeout"
    print(out)
    ok = re.search(r"^(\d+) passed, 0 failed", out, re.MULTILINE) and "not ok" not in out and status == 0
    print(f"run-ring.py: {port}: {'PASS' if ok else 'FAIL'} (status {status})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
