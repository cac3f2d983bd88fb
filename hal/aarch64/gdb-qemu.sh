#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# Debug a KaaL image on QEMU virt with gdb: QEMU starts halted at the loader's first instruction
# with its gdb stub (-S, -gdb tcp::PORT; PORT 1234 is QEMU's -s), and gdb-multiarch attaches with
#   - the loader's symbols (IMAGE, linked at its physical address 0x48000000, MMU off),
#   - the kernel's (KERNEL ELF with debug info, linked at 0xffffffffc0000000: its virtual addresses),
#   - the root task's (ROOT ELF, linked at 0x400000 in its own VSpace; add-symbol-file at its .text),
# so `break aarch64_boot`, `break kernel_handle_syscall` or `break kaal_root_main` just work.
# The console goes to a file (CONSOLE, default <image>.console.log), so gdb has the terminal.
# Usage: gdb-qemu.sh IMAGE KERNEL_ELF [ROOT_ELF [gdb arguments...]]
#   e.g. gdb-qemu.sh img kernel.elf root.elf -batch -ex 'break aarch64_boot' -ex continue -ex bt
# Environment: KAAL_GDB_PORT (1234; 0 = any free port), QEMU_MACHINE (as run-qemu.sh), GDB
# (gdb-multiarch), CONSOLE.
# QEMU is stopped when gdb exits.
set -euo pipefail
image=${1:?usage: gdb-qemu.sh IMAGE KERNEL_ELF [ROOT_ELF [gdb arguments...]]}
kernel=${2:?usage: gdb-qemu.sh IMAGE KERNEL_ELF [ROOT_ELF [gdb arguments...]]}
root=${3:-}
shift $(($# < 3 ? $# : 3))
port=${KAAL_GDB_PORT:-1234}
if [[ "$port" == 0 ]]; then # any free port (tests run in parallel)
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
gdb=${GDB:-gdb-multiarch}
console=${CONSOLE:-$image.console.log}
command -v "$gdb" >/dev/null || { echo "gdb-qemu.sh: $gdb is missing (apt-get install gdb-multiarch)" >&2; exit 2; }
read -r -a machine <<<"${QEMU_MACHINE:--machine virt -cpu cortex-a53}"

# The address of a section in an ELF file (readelf's section table), as 0x...
section_addr() {
    aarch64-linux-gnu-readelf -SW "$1" | awk -v s="$2" '$0 ~ "\\] " s " " {
        for (i = 1; i <= NF; i++) if ($i == s) { print "0x" $(i + 2); exit } }'
}

script=$(mktemp)
qemu_pid=
cleanup() {
    if [[ -n "$qemu_pid" ]] && kill -0 "$qemu_pid" 2>/dev/null; then
        kill "$qemu_pid" 2>/dev/null || true
        wait "$qemu_pid" 2>/dev/null || true
    fi
    rm -f "$script"
}
trap cleanup EXIT

{
    echo "set pagination off"
    echo "set confirm off"
    echo "set architecture aarch64"
    echo "file $kernel"
    echo "add-symbol-file $image -s .text $(section_addr "$image" .text)"
    if [[ -n "$root" && -f "$root" ]]; then
        echo "add-symbol-file $root $(section_addr "$root" .text)"
    fi
    echo "target remote 127.0.0.1:$port"
} >"$script"

qemu-system-aarch64 "${machine[@]}" -m 1G -kernel "$image" -display none -monitor none \
    -serial "file:$console" -S -gdb "tcp:127.0.0.1:$port" </dev/null &
qemu_pid=$!
# Wait for the stub to listen (a LISTEN socket on the port in /proc/net/tcp*; connecting to probe
# it would use up the stub's connection).
hexport=$(printf ':%04X ' "$port")
for _ in $(seq 100); do
    if cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A"' | grep -q "$hexport"; then break; fi
    kill -0 "$qemu_pid" 2>/dev/null || { echo "gdb-qemu.sh: QEMU did not start (port $port busy?)" >&2; exit 1; }
    sleep 0.1
done
echo "gdb-qemu.sh: QEMU (pid $qemu_pid) halted at the loader's entry, gdb stub on port $port," \
     "console in $console" >&2
status=0
"$gdb" -q -x "$script" "$@" || status=$?
exit "$status"
