#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Integration tests for kaal-sim (the hostsim kernel with the summary root task), reported as TAP.

usage: check_kaal_sim.py KAAL_SIM DATA_DIR

Boots from each device tree in DATA_DIR that exists (qemu-virt.dtb, small.dtb) and checks the root task's
summary: exit status 0, the untyped count line agrees with the untyped lines listed, the 16 initial caps,
the root task's own checks; and that a missing device tree gives a clear error and a non-zero status.
"""
import os
import re
import subprocess
import sys

results = []


def ok(cond, name, detail=""):
    results.append((bool(cond), name, detail))
    return bool(cond)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                       timeout=600 * int(os.environ.get("CK_TIMEOUT_MULTIPLIER", "1")))  # a hang guard only
    return p.returncode, p.stdout.decode("utf-8", "replace")


def check_summary(sim, dtb):
    name = os.path.basename(dtb)
    rc, out = run([sim, "--dtb", dtb])
    if not ok(rc == 0, f"{name}: kaal-sim exits 0", f"exit status {rc}; output:\n{out}"):
        return
    m = re.search(r"^untyped: (\d+) caps \(RAM (\d+), .* device (\d+)\)$", out, re.M)
    if not ok(m, f"{name}: untyped count line present", out):
        return
    total, ram, dev = (int(g) for g in m.groups())
    rows = re.findall(r"^  0x[0-9a-f]+   0x[0-9a-f]{16}  .*  (RAM|device)$", out, re.M)
    ok(len(rows) == total, f"{name}: {total} untyped lines listed", f"found {len(rows)}")
    ok(rows.count("RAM") == ram and rows.count("device") == dev, f"{name}: RAM/device split matches",
       f"RAM {rows.count('RAM')}/{ram}, device {rows.count('device')}/{dev}")
    ok(ram > 0, f"{name}: at least one RAM untyped")
    region = re.search(r"^  untyped +\[0x([0-9a-f]+), 0x([0-9a-f]+)\)  (\d+) slots$", out, re.M)
    ok(region and int(region.group(3)) == total, f"{name}: untyped slot region has {total} slots",
       region.group(0) if region else "no untyped region line")
    caps = re.findall(r"^  +(\d+)  (seL4_Cap\w+) +(\S.*)$", out, re.M)
    ok(len(caps) == 16, f"{name}: 16 initial caps listed", f"found {len(caps)}")
    types = {slot_name: t for _, slot_name, t in caps}
    for slot_name, want in (("seL4_CapNull", "null"), ("seL4_CapInitThreadTCB", "thread"),
                            ("seL4_CapInitThreadCNode", "cnode"), ("seL4_CapInitThreadVSpace", "vspace"),
                            ("seL4_CapIRQControl", "irq_control"), ("seL4_CapASIDControl", "asid_control"),
                            ("seL4_CapInitThreadASIDPool", "asid_pool"), ("seL4_CapBootInfoFrame", "frame"),
                            ("seL4_CapInitThreadIPCBuffer", "frame"), ("seL4_CapDomain", "domain")):
        ok(types.get(slot_name) == want, f"{name}: {slot_name} is {want}", f"got {types.get(slot_name)}")
    ok("FAIL" not in out, f"{name}: no root task check failed",
       "\n".join(line for line in out.splitlines() if "FAIL" in line))
    ok("rootserver: all checks passed" in out, f"{name}: rootserver reports success")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sim, data = argv[1], argv[2]

    rc, out = run([sim, "--help"])
    ok(rc == 0 and "usage: kaal-sim" in out, "--help prints usage and exits 0", out)
    rc, out = run([sim, "--dtb", os.path.join(data, "does-not-exist.dtb")])
    ok(rc != 0 and "kaal-sim: cannot open device tree" in out, "missing device tree: clear error, non-zero exit",
       f"exit {rc}:\n{out}")
    rc, out = run([sim, "--bogus"])
    ok(rc == 2 and "unknown argument" in out, "unknown argument: usage error (2)", f"exit {rc}:\n{out}")

    dtbs = [os.path.join(data, d) for d in ("qemu-virt.dtb", "small.dtb")]
    present = [d for d in dtbs if os.path.exists(d)]
    ok(present, "device trees present in tests/data", f"none of {dtbs}")
    for dtb in present:
        check_summary(sim, dtb)

    print("TAP version 13")
    print(f"1..{len(results)}")
    for i, (passed, name, detail) in enumerate(results, 1):
        print(f"{'ok' if passed else 'not ok'} {i} - {name}")
        if not passed:
            # Details to stderr too: meson test --print-errorlogs shows stderr of a failed TAP test.
            print(f"FAILED: {name}", file=sys.stderr)
            for line in str(detail).rstrip().splitlines()[-40:]:
                print(f"# {line}")
                print(f"    {line}", file=sys.stderr)
    return 0 if all(p for p, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
