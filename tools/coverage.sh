#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Line and branch coverage of core/ reached by fuzzer inputs: builds kaal-fuzz-replay with clang's
# source-based coverage, replays the inputs (default: the seed corpus and the reproducers), prints
# llvm-cov's table for core/ and writes an HTML report.
#   tools/coverage.sh [-b BUILD_DIR] [-B BIG_INPUT_DIR]... [INPUT_DIR_OR_FILE ...]
# -B: inputs for the second machine (tests/fuzz/fuzz-big.dtb); tests/fuzz/corpus-big by default.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build="$src/build-fz-cov"
big=""
while [ $# -gt 0 ]; do
    case "$1" in
    -b) build=$2; shift 2 ;;
    -B) big="$big $2"; shift 2 ;;
    *) break ;;
    esac
done
[ -n "$big" ] || big="$src/tests/fuzz/corpus-big"
[ $# -gt 0 ] || set -- "$src/tests/fuzz/corpus" "$src/tests/fuzz/repro"
llvm_cov=$(command -v llvm-cov-14 || command -v llvm-cov)
llvm_profdata=$(command -v llvm-profdata-14 || command -v llvm-profdata)

if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" "$src" -Dtests=false -Dbuildtype=debug -Droot_cnode_size_bits=8 \
        -Dc_args='-fprofile-instr-generate -fcoverage-mapping' \
        -Dc_link_args='-fprofile-instr-generate -fcoverage-mapping' >/dev/null
fi
ninja -C "$build" sim/fuzz/kaal-fuzz-replay >/dev/null
exe="$build/sim/fuzz/kaal-fuzz-replay"
rm -rf "$build/coverage" && mkdir -p "$build/coverage"
LLVM_PROFILE_FILE="$build/coverage/replay-%p.profraw" "$exe" "$@" | tail -n 1
# shellcheck disable=SC2086
LLVM_PROFILE_FILE="$build/coverage/replay-big-%p.profraw" "$exe" --dtb="$src/tests/fuzz/fuzz-big.dtb" $big | tail -n 1
"$llvm_profdata" merge -sparse "$build"/coverage/*.profraw -o "$build/coverage/kfuzz.profdata"
# core/ only: the port, the fuzzer and generated headers are left out of the table and the total.
ignore='(^|/)(hal|sim|tests|user|tools)/|_gen\.h$|gen_config\.h$'
"$llvm_cov" report "$exe" -instr-profile="$build/coverage/kfuzz.profdata" -show-branch-summary \
    -ignore-filename-regex="$ignore"
# The part the fuzzer can reach: without boot (boot.c, bootinfo.c, dtb.c run once per boot of the
# same device tree; their error paths need bad device trees) and the invariant checker (the oracle:
# its failure branches run only when the kernel is broken).
echo "Reachable from system calls (core/ without boot.c, bootinfo.c, dtb.c, invariants*.c):"
"$llvm_cov" report "$exe" -instr-profile="$build/coverage/kfuzz.profdata" -show-branch-summary \
    -ignore-filename-regex="$ignore|kernel/(boot|bootinfo|dtb|invariants|invariants_threads|invariants_vspace)\.c$" | tail -n 1
"$llvm_cov" show "$exe" -instr-profile="$build/coverage/kfuzz.profdata" -show-branches=count \
    -ignore-filename-regex="$ignore" -format=html -output-dir="$build/coverage/html" >/dev/null
echo "HTML report: $build/coverage/html/index.html"
