/* SPDX-License-Identifier: BSD-2-Clause */
/* The hostsim system-call fuzzer's core: decode an input's bytes into a program of kernel entries
 * (invocations, IPC, ticks, interrupts, faults) drawn from the capabilities the program holds, run
 * it on a freshly booted kernel with the invariant oracle after every entry, and print it as a
 * trace. */
#ifndef KFUZZ_H
#define KFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Most operations one input runs; the rest of a longer input is ignored. */
#define KFUZZ_MAX_OPS 192

/* How often the invariant checker runs (the panic and sanitizer oracles are always on). */
enum kfuzz_check {
    KFUZZ_CHECK_EVERY_ENTRY, /* the full check after every kernel entry */
    KFUZZ_CHECK_END,         /* once, after the last operation */
    KFUZZ_CHECK_NONE,        /* never (a release kernel has no checker) */
    /* the engines' default: after every kernel entry kernel_invariants_quick, every
     * check_period-th entry and after the last operation the full check
     * (kernel_invariants_after_entry in <kaal/invariants.h>) */
    KFUZZ_CHECK_INCREMENTAL,
};

/* Entries between full checks in KFUZZ_CHECK_INCREMENTAL when the config says 0. */
#define KFUZZ_DEFAULT_CHECK_PERIOD 32

struct kfuzz_config {
    const char *dtb_path; /* NULL: $KFUZZ_DTB, else the fuzzer's tests/fuzz/fuzz.dtb */
    enum kfuzz_check check;
    unsigned
        check_period; /* KFUZZ_CHECK_INCREMENTAL: full check every this many entries (0: default) */
    FILE *trace;      /* when not NULL, every operation and its result is printed here */
    bool abort_on_finding; /* abort() after reporting a finding (the engines' crash signal) */
    bool fresh_boot;       /* boot for every input (default: boot once, restore a snapshot) */
    /* AArch64 mode (also $KFUZZ_AARCH64=1): the fault operation runs a short AArch64 instruction
     * sequence as the current thread on the emulated EL0 instead of injecting a fault, so faults,
     * exceptions, flags and registers reach the kernel as real code delivers them. */
    bool aarch64;
};

/* The check the engines use: $KFUZZ_CHECK = full (after every entry), end, none, or unset /
 * incremental; $KFUZZ_CHECK_PERIOD sets check_period. */
void kfuzz_check_from_env(struct kfuzz_config *cfg);

/* What one input did. */
struct kfuzz_result {
    unsigned ops;      /* operations decoded and run */
    unsigned entries;  /* kernel entries: system calls (with restarts), interrupts, faults */
    unsigned syscalls; /* system calls among them (restarts not counted) */
    unsigned errors;   /* invocations answered with an seL4 error */
    bool finding;      /* the kernel panicked or an invariant failed */
    char why[512];     /* the finding, readable */
};

/* Load the device tree and set up. Returns 0, or -1 with *error set. Call once per process. */
int kfuzz_init(const struct kfuzz_config *config, const char **error);
/* Change where the trace goes (NULL: off). */
void kfuzz_set_trace(FILE *trace);
/* Boot for every input (true) or restore the snapshot of one boot (false). */
void kfuzz_set_fresh_boot(bool fresh);
/* Start from a freshly booted kernel (a restored snapshot of one unless fresh_boot) and run
 * data[0..size) as a program. On a finding with abort_on_finding,
 * the program is run once more with the trace on stderr and the process aborts. */
void kfuzz_run(const uint8_t *data, size_t size, struct kfuzz_result *result);
/* Microseconds the last kfuzz_run spent booting or restoring the snapshot (for the benchmark). */
double kfuzz_last_boot_us(void);

/* Print one system call as a trace line: the registers it was made with (x0..x7, x7 = number),
 * what it returned, and the status. For kaal-sim --trace; the thread is the current one. */
void kfuzz_trace_syscall(FILE *out, const uint64_t in[8], const uint64_t out_regs[8], int status);

/* --- Writing programs (the seed-corpus generator) ---
 * An encoder appends operations in the decoder's byte format; see docs/fuzzing.md. */
struct kfuzz_enc {
    uint8_t buf[4096];
    size_t len;
};
void kfuzz_enc_byte(struct kfuzz_enc *e, uint8_t b);
void kfuzz_enc_word(struct kfuzz_enc *e, uint64_t w);

#endif
