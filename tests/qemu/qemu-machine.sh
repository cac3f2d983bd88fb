#!/bin/bash
# SPDX-License-Identifier: BSD-2-Clause
# qemu-machine.sh MODEL [FIELD]: the QEMU machine arguments for a CPU model of cpu-models.txt
# (default), or one field of its line: gic, cpu or expect. Exits 2 for an unknown model.
set -euo pipefail
models="$(dirname "${BASH_SOURCE[0]}")/cpu-models.txt"
model=${1:?usage: qemu-machine.sh MODEL [machine|gic|cpu|expect]}
line=$(awk -v m="$model" '$1 !~ /^#/ && $1 == m { print; exit }' "$models")
if [ -z "$line" ]; then
    echo "qemu-machine.sh: unknown CPU model '$model' (see $models)" >&2
    exit 2
fi
read -r _ gic cpu expect <<<"$line"
case "${2:-machine}" in
machine)
    if [ "$gic" = 2 ]; then echo "-machine virt -cpu $cpu"; else echo "-machine virt,gic-version=$gic -cpu $cpu"; fi ;;
gic) echo "$gic" ;;
cpu) echo "$cpu" ;;
expect) echo "$expect" ;;
*) echo "qemu-machine.sh: unknown field '$2'" >&2; exit 2 ;;
esac
