/* SPDX-License-Identifier: BSD-2-Clause */
/* Inside the fuzzer: the invocation table the decoder draws from and the trace printer's entry
 * points (kfuzz.c decodes and runs; kfuzz_trace.c names and prints). */
#ifndef KFUZZ_INTERNAL_H
#define KFUZZ_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include <hostsim/hostsim.h>
#include <kaal/abi/abi.h>
#include <kaal/gen_config.h>

#define KFUZZ_MAX_ARGS 8

/* Registers a system call is made with: x0..x7 (x7 the number), and x8 under MCS (NBSendRecv's
 * destination). */
#ifdef CONFIG_KERNEL_MCS
#define KFUZZ_NREGS 9
#else
#define KFUZZ_NREGS 8
#endif

/* One invocation label: the cap kind it is made on (an seL4 AArch64 cap tag; 0: any), its message
 * words as argument kinds in ABI order, and the kinds of its extra caps. */
struct kfuzz_spec {
    uint64_t label;
    unsigned invoked;
    unsigned nwords;
    struct {
        uint8_t kind, ref;
        const char *name;
    } args[KFUZZ_MAX_ARGS];
    unsigned ncaps;
    unsigned caps[seL4_MsgMaxExtraCaps];
};
extern const struct kfuzz_spec kfuzz_specs[];
extern const unsigned kfuzz_n_specs;

/* Names and shapes from the ABI tables (core/abi). */
const char *kfuzz_label_name(uint64_t label);
unsigned kfuzz_label_length(uint64_t label);
unsigned kfuzz_label_ncaps(uint64_t label);
const char *kfuzz_status_name(int status);

/* Trace lines for one system call made as thread `thread` on a cap with tag `tag` (-1: unknown):
 * before (registers regs[0..nregs), message words, extra caps) and after (registers and IPC buffer
 * it got back). */
void kfuzz_trace_call(FILE *out, unsigned op, uint64_t thread, const uint64_t *regs, unsigned nregs,
                      int tag, const uint64_t *mrs, unsigned n_mrs, const uint64_t *caps,
                      unsigned ncaps);
void kfuzz_trace_result(FILE *out, const uint64_t in[8], const uint64_t regs[8],
                        const seL4_IPCBuffer *buf, int status, unsigned restarts);

#endif
