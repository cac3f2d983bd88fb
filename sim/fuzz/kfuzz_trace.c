/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's trace printer: a system call as a readable line (system call, invoked cap, label and
 * named arguments from the invocation table) and its result (seL4 error with its words, or
 * success). */
#include <inttypes.h>
#include <string.h>

#include <hostsim/hostsim.h>
#include <kaal/abi/abi.h>

#include "kfuzz.h"
#include "kfuzz_internal.h"

static const struct {
    uint64_t label;
    const char *name;
    unsigned len, ncaps;
} labels[] = {
#define KFUZZ_LABEL(label, name, object, words, caps, results) {label, #name, words, caps},
    KAAL_INVOCATION_TABLE(KFUZZ_LABEL)
#undef KFUZZ_LABEL
};

static int label_index(uint64_t label)
{
    for (unsigned i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        if (labels[i].label == label) {
            return (int)i;
        }
    }
    return -1;
}

const char *kfuzz_label_name(uint64_t label)
{
    int i = label_index(label);
    return i < 0 ? "?" : labels[i].name;
}
unsigned kfuzz_label_length(uint64_t label)
{
    int i = label_index(label);
    return i < 0 ? 0 : labels[i].len;
}
unsigned kfuzz_label_ncaps(uint64_t label)
{
    int i = label_index(label);
    return i < 0 ? 0 : labels[i].ncaps;
}

static const char *syscall_name(int64_t n)
{
    switch (n) {
#define KFUZZ_SYSCALL(name, num) \
    case num:                    \
        return #name;
        KAAL_SYSCALL_TABLE(KFUZZ_SYSCALL)
#undef KFUZZ_SYSCALL
    default:
        return "unknown-syscall";
    }
}

static const char *error_name(uint64_t e)
{
    switch (e) {
#define KFUZZ_ERROR(name, num) \
    case num:                  \
        return #name;
        KAAL_ERROR_TABLE(KFUZZ_ERROR)
#undef KFUZZ_ERROR
    default:
        return NULL;
    }
}

const char *kfuzz_status_name(int status)
{
    switch (status) {
    case HOSTSIM_OK:
        return "returned";
    case HOSTSIM_STOPPED:
        return "thread stopped";
    case HOSTSIM_HALTED:
        return "KERNEL HALTED";
    case HOSTSIM_BLOCKED:
        return "blocked";
    default:
        return "idle";
    }
}

/* seL4's AArch64 cap tags (docs/abi.md#cap-types), for the invoked cap's type in a trace line. */
static const char *tag_name(int tag)
{
    static const char *names[32] = {
        [0] = "[null]",           [1] = "[frame]",          [2] = "[untyped]", [3] = "[page table]",
        [4] = "[endpoint]",       [6] = "[notification]",   [8] = "[reply]",   [9] = "[vspace]",
        [10] = "[cnode]",         [11] = "[asid control]",  [12] = "[thread]", [13] = "[asid pool]",
        [14] = "[irq control]",   [16] = "[irq handler]",   [18] = "[zombie]", [20] = "[domain]",
        [27] = "[sgi signal]",
#ifdef CONFIG_KERNEL_MCS
        [22] = "[sched context]", [24] = "[sched control]",
#endif
    };
    if (tag < 0) {
        return "";
    }
    return tag < 32 && names[tag] ? names[tag] : "[?]";
}

static const struct kfuzz_spec *spec_for(uint64_t label)
{
    for (unsigned i = 0; i < kfuzz_n_specs; i++) {
        if (kfuzz_specs[i].label == label) {
            return &kfuzz_specs[i];
        }
    }
    return NULL;
}

/* System calls that send a message (printed with its label and words). */
static bool is_send_like(int64_t n)
{
#ifdef CONFIG_KERNEL_MCS
    return n == seL4_SysCall || n == seL4_SysSend || n == seL4_SysNBSend ||
           n == seL4_SysReplyRecv || n == seL4_SysNBSendRecv || n == seL4_SysNBSendWait;
#else
    return n == seL4_SysCall || n == seL4_SysSend || n == seL4_SysNBSend || n == seL4_SysReply ||
           n == seL4_SysReplyRecv;
#endif
}

/* System calls whose return registers are a message (printed as one). */
static bool returns_message(int64_t n)
{
#ifdef CONFIG_KERNEL_MCS
    return n <= seL4_SysCall && n >= seL4_SysNBWait && n != seL4_SysYield;
#else
    return n <= seL4_SysCall && n >= seL4_SysNBRecv && n != seL4_SysYield;
#endif
}

/* MCS: the reply object (x6) and NBSendRecv's destination (x8), after the other arguments. */
static void trace_mcs_regs(FILE *out, int64_t n, const uint64_t *regs, unsigned nregs)
{
#ifdef CONFIG_KERNEL_MCS
    if (n == seL4_SysRecv || n == seL4_SysNBRecv || n == seL4_SysReplyRecv ||
        n == seL4_SysNBSendRecv) {
        fprintf(out, ", reply=%#" PRIx64, regs[6]);
    } else if (n == seL4_SysNBSendWait) {
        fprintf(out, ", dest=%#" PRIx64, regs[6]);
    }
    if (n == seL4_SysNBSendRecv && nregs > 8) {
        fprintf(out, ", dest=%#" PRIx64, regs[8]);
    }
#else
    (void)out, (void)n, (void)regs, (void)nregs;
#endif
}

void kfuzz_trace_call(FILE *out, unsigned op, uint64_t thread, const uint64_t *regs, unsigned nregs,
                      int tag, const uint64_t *mrs, unsigned n_mrs, const uint64_t *caps,
                      unsigned ncaps)
{
    int64_t n = (int64_t)regs[7];
    fprintf(out, "#%u thread %#" PRIx64 "%s: %s", op, thread,
            thread == hostsim_root_thread() ? " (root)" : "", syscall_name(n));
    if (!is_send_like(n)) {
        fprintf(out, "(x0=%#" PRIx64 "%s%s", regs[0], tag >= 0 ? " " : "", tag_name(tag));
        fprintf(out, ", x1=%#" PRIx64 ", x2=%#" PRIx64, regs[1], regs[2]);
        trace_mcs_regs(out, n, regs, nregs);
        fprintf(out, ")\n");
        return;
    }
    seL4_MessageInfo_t info = {{regs[1]}};
    uint64_t label = seL4_MessageInfo_get_label(info);
    unsigned len = (unsigned)seL4_MessageInfo_get_length(info);
    const struct kfuzz_spec *sp = spec_for(label);
    fprintf(out, "(cptr=%#" PRIx64 "%s%s, label=%" PRIu64 "%s%s, length=%u, extraCaps=%u", regs[0],
            tag >= 0 ? " " : "", tag_name(tag), label, sp ? " " : "",
            sp ? kfuzz_label_name(label) : "", len, ncaps);
    unsigned shown = n_mrs < len ? n_mrs : len;
    for (unsigned i = 0; i < shown && i < 12; i++) {
        const char *name = NULL;
        if (sp != NULL && i < KFUZZ_MAX_ARGS && sp->args[i].name != NULL && i < sp->nwords) {
            name = sp->args[i].name;
        }
        if (name != NULL && strcmp(name, "regs") != 0) {
            fprintf(out, ", %s=%#" PRIx64, name, mrs[i]);
        } else {
            fprintf(out, ", mr%u=%#" PRIx64, i, mrs[i]);
        }
    }
    if (shown > 12) {
        fprintf(out, ", ...");
    }
    for (unsigned i = 0; i < ncaps && i < seL4_MsgMaxExtraCaps; i++) {
        fprintf(out, ", cap%u=%#" PRIx64, i, caps[i]);
    }
    trace_mcs_regs(out, n, regs, nregs);
    fprintf(out, ")\n");
}

void kfuzz_trace_result(FILE *out, const uint64_t in[8], const uint64_t regs[8],
                        const seL4_IPCBuffer *buf, int status, unsigned restarts)
{
    fprintf(out, "    -> %s", kfuzz_status_name(status));
    if (restarts) {
        fprintf(out, " after %u restarts", restarts);
    }
    if (status == HOSTSIM_OK && returns_message((int64_t)in[7])) {
        seL4_MessageInfo_t info = {{regs[1]}};
        uint64_t label = seL4_MessageInfo_get_label(info), len = seL4_MessageInfo_get_length(info);
        const char *err = (int64_t)in[7] == seL4_SysCall ? error_name(label) : NULL;
        if (err != NULL) {
            fprintf(out, ": %s", err);
        } else {
            fprintf(out, ": label %" PRIu64, label);
        }
        fprintf(out,
                " badge=%#" PRIx64 " length=%" PRIu64 " extraCaps=%" PRIu64 " unwrapped=%#" PRIx64,
                regs[0], len, (uint64_t)seL4_MessageInfo_get_extraCaps(info),
                (uint64_t)seL4_MessageInfo_get_capsUnwrapped(info));
        for (uint64_t i = 0; i < len && i < 8; i++) {
            fprintf(out, "%s%#" PRIx64, i ? ", " : " [",
                    i < 4 ? regs[2 + i]
                    : buf ? buf->msg[i]
                          : 0);
        }
        if (len > 0) {
            fprintf(out, "%s]", len > 8 ? ", ..." : "");
        }
    } else if (status == HOSTSIM_OK) {
        fprintf(out, ": x0=%#" PRIx64, regs[0]);
    }
    fprintf(out, "\n");
}

void kfuzz_trace_syscall(FILE *out, const uint64_t in[8], const uint64_t out_regs[8], int status)
{
    uint64_t mrs[4] = {in[2], in[3], in[4], in[5]};
    uint64_t cur = hostsim_current_thread();
    seL4_IPCBuffer *buf = cur ? hostsim_thread_ipc_buffer(cur) : hostsim_root_ipc_buffer();
    uint64_t caps[seL4_MsgMaxExtraCaps] = {0};
    seL4_MessageInfo_t info = {{in[1]}};
    unsigned ncaps = (unsigned)seL4_MessageInfo_get_extraCaps(info);
    for (unsigned i = 0; buf != NULL && i < ncaps && i < seL4_MsgMaxExtraCaps; i++) {
        caps[i] = buf->caps_or_badges[i];
    }
    static unsigned count;
    kfuzz_trace_call(out, count++, cur ? cur : hostsim_root_thread(), in, 8, -1, mrs, 4, caps,
                     ncaps);
    kfuzz_trace_result(out, in, out_regs, buf, status, 0);
}
