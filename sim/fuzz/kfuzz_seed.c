/* SPDX-License-Identifier: BSD-2-Clause */
/* kaal-fuzz-seeds: the seed corpus, written as scripted programs in the decoder's byte format.
 * Each program follows one of the unit tests' invocation sequences (tests/unit/check_*.c) to a
 * deep kernel state: derivation chains, mapped page tables, threads blocked in IPC with badges,
 * bound notifications, IRQ handlers, faults, preempted revokes. Usage: kaal-fuzz-seeds OUTDIR. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hostsim/hostsim.h>
#include <kaal/abi/abi.h>
#include <kaal/structures.h>

#include "kfuzz.h"
#include "kfuzz_internal.h"
#include "kfuzz_prog.h"

/* Object macro type indexes (kfuzz.c useful_types). */
enum {
    OBJ_TCB = 0,
    OBJ_EP = 1,
    OBJ_NTFN = 3,
    OBJ_CNODE = 5,
    OBJ_FRAME = 6,
    OBJ_PT = 7,
    OBJ_VSPACE = 9,
    OBJ_UNTYPED = 10,
#ifdef CONFIG_KERNEL_MCS
    OBJ_SC = 11,
    OBJ_REPLY = 12,
#endif
};
#define NEWEST KFUZZ_CAP_NEWEST
#define SECOND_NEWEST (KFUZZ_CAP_NEWEST + 1)
#define DEF 0 /* a depth byte: the right depth */

static uint8_t ram_untyped; /* cap choice of the largest RAM untyped at boot */
static int first_free;      /* bootinfo empty.start: the first object a program makes goes here */

static void b(struct kfuzz_enc *e, int n, ...)
{
    __builtin_va_list ap;
    __builtin_va_start(ap, n);
    for (int i = 0; i < n; i++) {
        kfuzz_enc_byte(e, (uint8_t) __builtin_va_arg(ap, int));
    }
    __builtin_va_end(ap);
}

/* The table entry for label whose first extra cap is of kind cap0 (0: the first entry for it). */
static uint8_t spec_index_for(uint64_t label, unsigned cap0)
{
    for (unsigned i = 0; i < kfuzz_n_specs; i++) {
        if (kfuzz_specs[i].label == label && (cap0 == 0 || kfuzz_specs[i].caps[0] == cap0)) {
            return (uint8_t)i;
        }
    }
    return 0;
}
static uint8_t spec_index(uint64_t label) { return spec_index_for(label, 0); }

static void object(struct kfuzz_enc *e, int type, int count_byte)
{
    b(e, 5, KFUZZ_OP_OBJECT, type, ram_untyped, 0, count_byte);
}

/* A cap choice naming slot s of the CSpace root exactly (KFUZZ_CAP_SLOT and s), for invoke and
 * choice. */
#define AT(s) (0x100 | (s))
static void choice(struct kfuzz_enc *e, int c)
{
    if (c & 0x100) {
        kfuzz_enc_byte(e, KFUZZ_CAP_SLOT);
    }
    kfuzz_enc_byte(e, (uint8_t)c);
}

/* An invocation: the op byte and label, then the given choice/value bytes in the decoder's order
 * (invoked cap, extra caps, words: one byte each for typical choices, AT(s) two), then a clean
 * Call. */
static void invoke_va(struct kfuzz_enc *e, uint8_t index, int n, __builtin_va_list ap)
{
    b(e, 2, KFUZZ_OP_INVOKE, index);
    for (int i = 0; i < n; i++) {
        choice(e, __builtin_va_arg(ap, int));
    }
    kfuzz_enc_byte(e, 0);
}
static void invoke(struct kfuzz_enc *e, uint64_t label, int n, ...)
{
    __builtin_va_list ap;
    __builtin_va_start(ap, n);
    invoke_va(e, spec_index(label), n, ap);
    __builtin_va_end(ap);
}
#ifdef CONFIG_KERNEL_MCS
/* The same with the table entry whose first extra cap is of kind cap0 (SchedContext_Bind and
 * UnbindObject have one for a TCB and one for a notification). */
static void invoke_for(struct kfuzz_enc *e, uint64_t label, unsigned cap0, int n, ...)
{
    __builtin_va_list ap;
    __builtin_va_start(ap, n);
    invoke_va(e, spec_index_for(label, cap0), n, ap);
    __builtin_va_end(ap);
}
#endif

/* CNode invocations on the CSpace root (cap choice 0: the lowest CNode cap, slot 2). dest is an
 * empty-slot choice, src a full-slot choice (NEWEST: the highest slot holding a cap). */
static void copy(struct kfuzz_enc *e, int dest, int src, int rights)
{
    invoke(e, CNodeCopy, 7, 0, 0, dest, DEF, src, DEF, rights);
}
static void mint(struct kfuzz_enc *e, int dest, int src, int rights, int badge)
{
    invoke(e, CNodeMint, 8, 0, 0, dest, DEF, src, DEF, rights, badge);
}
static void move(struct kfuzz_enc *e, int dest, int src)
{
    invoke(e, CNodeMove, 6, 0, 0, dest, DEF, src, DEF);
}
static void mutate(struct kfuzz_enc *e, int dest, int src, int badge)
{
    invoke(e, CNodeMutate, 7, 0, 0, dest, DEF, src, DEF, badge);
}
static void slot_op(struct kfuzz_enc *e, uint64_t label, int slot)
{
    invoke(e, label, 3, 0, slot, DEF);
}
/* Untyped_Retype from an untyped choice into the CSpace root. */
static void retype(struct kfuzz_enc *e, int untyped, int type, int size_byte, int count_byte)
{
    invoke(e, UntypedRetype, 8, untyped, 0, type, size_byte, 0, 0, 0, count_byte);
}

/* A thread (op_thread) at priority prio; fault_ep >= 0x40 gives it a fault endpoint. Under MCS it
 * gets a scheduling context of its own (1 ms round robin, sc byte 0x20); thread_sc chooses. */
static void thread(struct kfuzz_enc *e, int prio, int fault_ep)
{
    b(e, 7, KFUZZ_OP_THREAD, ram_untyped, 0, 0, 0, prio, fault_ep);
#ifdef CONFIG_KERNEL_MCS
    kfuzz_enc_byte(e, 0x20);
#endif
}

/* IPC: system call kind (+KFUZZ_IPC_NTFN: on a notification), cap choice; under MCS the
 * destination (NBSendRecv, NBSendWait: the lowest endpoint) and the reply object (the receiving
 * calls: the lowest reply object; mcs_ipc chooses); sends add a shape byte (length = shape % 6,
 * caps = (shape / 8) % 4, label = shape >> 5) and its words and caps. */
static void ipc(struct kfuzz_enc *e, int kind, int cap)
{
    b(e, 3, KFUZZ_OP_IPC, kind, cap);
#ifdef CONFIG_KERNEL_MCS
    int k = (kind % KFUZZ_IPC_NTFN) % KFUZZ_IPC_KINDS;
    if (k == KFUZZ_IPC_NBSENDRECV || k == KFUZZ_IPC_NBSENDWAIT) {
        kfuzz_enc_byte(e, 0);
    }
    if (k == KFUZZ_IPC_RECV || k == KFUZZ_IPC_NBRECV || k == KFUZZ_IPC_REPLYRECV ||
        k == KFUZZ_IPC_NBSENDRECV) {
        kfuzz_enc_byte(e, 0);
    }
#endif
}

static int write_seed(const char *dir, const char *name, const struct kfuzz_enc *e);

/* CNode_SaveCaller into the first empty slot (base only: under MCS a reply object stands in for
 * the reply cap, and the label does not exist). */
static void save_caller(struct kfuzz_enc *e)
{
#ifdef CONFIG_KERNEL_MCS
    (void)e;
#else
    slot_op(e, CNodeSaveCaller, 0);
#endif
}

/* A raw 64-bit word argument (the value escape). */
static void raw(struct kfuzz_enc *e, uint64_t v)
{
    kfuzz_enc_byte(e, KFUZZ_RAW);
    kfuzz_enc_word(e, v);
}

/* Untyped_Retype with exact size bits and count (raw words, beyond the decoder's typical values),
 * into the CNode chosen by cnode (0: the CSpace root). */
static void retype_raw(struct kfuzz_enc *e, int untyped, int cnode, int type, uint64_t size_bits,
                       uint64_t count)
{
    b(e, 5, KFUZZ_OP_INVOKE, spec_index(UntypedRetype), untyped, cnode, type);
    raw(e, size_bits);
    b(e, 3, 0, 0, 0);
    raw(e, count);
    kfuzz_enc_byte(e, 0);
}

/* The seeds for the second machine (tests/fuzz/fuzz-big.dts, 64 MiB): large CNodes and untypeds. */
static int big_seeds(const char *dir)
{
    struct kfuzz_enc e;
    int bad = 0;

    /* A CNode of 2^16 slots (2 MiB): caps copied and minted into it, the endpoint revoked, then
     * the CNode deleted under forced preemption (a zombie cleared over many restarts). */
    memset(&e, 0, sizeof(e));
    retype_raw(&e, ram_untyped, 0, seL4_CapTableObject, 16, 1);
    object(&e, OBJ_EP, 0);
    object(&e, OBJ_NTFN, 0);
    invoke(&e, CNodeCopy, 7, NEWEST, 0, 0, DEF, SECOND_NEWEST, DEF, 15);
    invoke(&e, CNodeMint, 8, NEWEST, 0, 1, DEF, SECOND_NEWEST, DEF, 15, 3);
    invoke(&e, CNodeMint, 8, NEWEST, 0, 2, DEF, NEWEST, DEF, 15, 4);
    invoke(&e, CNodeCopy, 7, NEWEST, 0, 3, DEF, first_free, DEF, 15); /* its own cap into it */
    b(&e, 2, KFUZZ_OP_PREEMPT, 2);
    slot_op(&e, CNodeRevoke, SECOND_NEWEST);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, first_free, DEF);
    retype_raw(&e, ram_untyped, 0, seL4_CapTableObject, 17, 1);
    bad |= write_seed(dir, "big-cnode", &e);

    /* An untyped of 2^24: a CNode of 2^12 slots in it, 256 endpoints (the fan-out limit) retyped
     * into that CNode, four untypeds of 2^20 and objects in one; the big untyped revoked under
     * preemption, then split again. */
    memset(&e, 0, sizeof(e));
    retype_raw(&e, ram_untyped, 0, seL4_UntypedObject, 24, 1);
    retype_raw(&e, NEWEST, 0, seL4_CapTableObject, 12, 1);
    retype_raw(&e, NEWEST, NEWEST, seL4_EndpointObject, 0, 256);
    retype_raw(&e, NEWEST, 0, seL4_UntypedObject, 20, 4);
    retype_raw(&e, NEWEST, NEWEST, seL4_NotificationObject, 0, 64);
    retype_raw(&e, NEWEST, NEWEST, seL4_ARM_SmallPageObject, 0, 128);
    b(&e, 2, KFUZZ_OP_PREEMPT, 1);
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free, DEF);
    retype_raw(&e, 0x80 + 0, 0, seL4_UntypedObject, 22, 4);
    retype_raw(&e, NEWEST, 0, seL4_CapTableObject, 14, 1);
    bad |= write_seed(dir, "big-untyped", &e);

    /* Threads whose CSpace is a large CNode, blocked on endpoints while their untyped is revoked.
     */
    memset(&e, 0, sizeof(e));
    retype_raw(&e, ram_untyped, 0, seL4_UntypedObject, 23, 1);
    retype_raw(&e, NEWEST, 0, seL4_EndpointObject, 0, 2);
    for (int i = 0; i < 3; i++) {
        thread(&e, 100, 0);
        ipc(&e, 3, NEWEST); /* Recv on the newest endpoint */
    }
    retype_raw(&e, NEWEST, 0, seL4_CapTableObject, 15, 1);
    b(&e, 2, KFUZZ_OP_PREEMPT, 3);
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free, DEF);
    bad |= write_seed(dir, "big-revoke-with-waiters", &e);
    return bad;
}

/* AArch64 mode's code operation (kfuzz_prog.h): the instructions (kfuzz_insn choices), x0 and x1
 * bytes (x2-x6 0x80), the x7 choice k, NZCV, the offset p in the code page, the budget b. */
static void code(struct kfuzz_enc *e, int n, const uint8_t *insns, int x0, int x1, int k, int nzcv,
                 int p, int budget)
{
    b(e, 2, KFUZZ_OP_FAULT, n - 1);
    for (int i = 0; i < n; i++) {
        kfuzz_enc_byte(e, insns[i]);
    }
    b(e, 11, x0, x1, 0x80, 0x80, 0x80, 0x80, 0x80, k, nzcv, p, budget - 1);
}
#define CODE(e, x0, x1, k, nzcv, p, budget, ...) \
    code(e, sizeof((uint8_t[]){__VA_ARGS__}), (uint8_t[]){__VA_ARGS__}, x0, x1, k, nzcv, p, budget)
#define X7_DEBUG_PUT_CHAR 8 /* k: x7 = -(1 + k) = -9 */

/* The AArch64 mode's seeds (tests/fuzz/corpus-aarch64): the root and a thread with a fault
 * endpoint run code that makes system calls, loops until the budget's tick, writes TLS and flags,
 * and faults every way a user program can. */
static int aarch64_seeds(const char *dir)
{
    struct kfuzz_enc e;
    int bad = 0;

    /* System calls from code: Yield, DebugPutChar, NBRecv on a notification, then one on a cap
     * that is no notification (a cap fault, the root has no handler: it stops). */
    memset(&e, 0, sizeof(e));
    CODE(&e, 0x80, 0x80, 0, 0, 0, 8, KFUZZ_INSN_X7_YIELD, KFUZZ_INSN_SVC);
    CODE(&e, 0xc1, 0x80, X7_DEBUG_PUT_CHAR, 0, 8, 4, KFUZZ_INSN_NOP, KFUZZ_INSN_SVC);
    object(&e, OBJ_NTFN, 0);
    ipc(&e, KFUZZ_IPC_SEND + KFUZZ_IPC_NTFN, NEWEST);
    kfuzz_enc_byte(&e, 0);
    CODE(&e, 0x7f, 0x80, 0, 0, 16, 8, KFUZZ_INSN_X7_NBRECV, KFUZZ_INSN_SVC);
    CODE(&e, 0x00, 0x80, 0, 0, 24, 8, KFUZZ_INSN_X7_NBRECV, KFUZZ_INSN_SVC);
    bad |= write_seed(dir, "a64-syscalls", &e);

    /* Loops preempted by the budget's tick at an exact instruction, flags set by subs. */
    memset(&e, 0, sizeof(e));
    for (int i = 0; i < 3; i++) {
        CODE(&e, 0xf0, 0x80, 0, 0, 4 * i, 32, KFUZZ_INSN_SUBS_X0_1, KFUZZ_INSN_BNE_BACK);
    }
    CODE(&e, 0x80, 0x80, 0, 0xf, 40, 5, KFUZZ_INSN_LOOP);
    b(&e, 2, KFUZZ_OP_TICK, 3);
    CODE(&e, 0x80, 0x80, 0, 0, 48, 32, KFUZZ_INSN_NOP, KFUZZ_INSN_NOP, KFUZZ_INSN_X7_YIELD,
         KFUZZ_INSN_SVC);
    bad |= write_seed(dir, "a64-preempt", &e);

    /* TLS and flags written by code, then read by the kernel (TCB_ReadRegisters of the root). */
    memset(&e, 0, sizeof(e));
    CODE(&e, 0xa5, 0x80, 0, 0x9, 0, 16, KFUZZ_INSN_MSR_TPIDR, KFUZZ_INSN_MRS_TPIDRRO,
         KFUZZ_INSN_CMP_X0_X1, KFUZZ_INSN_MRS_CTR, KFUZZ_INSN_PUSH_X2, KFUZZ_INSN_LDR_X2_SP,
         KFUZZ_INSN_X7_YIELD, KFUZZ_INSN_SVC);
    invoke(&e, TCBReadRegisters, 3, 0, 0, 36);
    bad |= write_seed(dir, "a64-tls-flags", &e);

#ifndef CONFIG_KERNEL_MCS /* Reply: base only */
    /* A thread with a fault endpoint faults every way code can; the root receives each fault and
     * replies (the thread resumes where the kernel says); last the thread is preempted in a loop.
     */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    thread(&e, 254, 0x40);
    static const uint8_t faults[] = {
        KFUZZ_INSN_UDF,    KFUZZ_INSN_LDR_X0_X1,   KFUZZ_INSN_STR_X0_X1,    KFUZZ_INSN_BRK,
        KFUZZ_INSN_WFI,    KFUZZ_INSN_MSR_TPIDRRO, KFUZZ_INSN_ERET,         KFUZZ_INSN_HVC,
        KFUZZ_INSN_BLR_X1, KFUZZ_INSN_LDXR_X0_X1,  KFUZZ_INSN_MSR_SCTLR_EL1};
    for (unsigned i = 0; i < sizeof(faults); i++) {
        ipc(&e, KFUZZ_IPC_RECV, 0); /* the root (priority 255) waits: the thread runs */
        kfuzz_enc_byte(&e, 0);
        CODE(&e, 0x80, 0x90 + (int)i, 0, 0, 4 * (int)i, 8, KFUZZ_INSN_NOP, faults[i]);
        b(&e, 3, KFUZZ_OP_IPC, KFUZZ_IPC_REPLY, 0);
    }
    ipc(&e, KFUZZ_IPC_RECV, 0);
    kfuzz_enc_byte(&e, 0);
    CODE(&e, 0x80, 0x80, 0, 0, 60, 3, KFUZZ_INSN_FMOV_D0_X0, KFUZZ_INSN_LOOP);
    bad |= write_seed(dir, "a64-faults", &e);
#endif
    return bad;
}

static int write_seed(const char *dir, const char *name, const struct kfuzz_enc *e)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(e->buf, 1, e->len, f) != e->len) {
        fprintf(stderr, "kaal-fuzz-seeds: cannot write %s\n", path);
        return -1;
    }
    fclose(f);
    return 0;
}

/* Find the largest RAM untyped's position among the boot untypeds (the decoder's lowest-first
 * choice), booting the fuzzer's machine once. */
static void find_ram_untyped(void)
{
    struct kfuzz_result r;
    kfuzz_run(NULL, 0, &r);
    seL4_BootInfo *bi = hostsim_bootinfo();
    unsigned best = 0, best_bits = 0;
    for (unsigned i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits > best_bits) {
            best = i;
            best_bits = bi->untypedList[i].sizeBits;
        }
    }
    ram_untyped = (uint8_t)best;
    first_free = (int)bi->empty.start;
}

#ifdef CONFIG_KERNEL_MCS
/* MCS seeds (tests/fuzz/corpus-mcs): scheduling contexts configured, bound and unbound, passive
 * servers on donated time, a call chain of three, budgets running out into timeout faults,
 * notification donation and the MCS-only system calls. Slots are counted from first_free in the
 * order the programs fill them. */

/* An IPC operation with explicit MCS choices: x0 (cap), the destination (NBSendRecv,
 * NBSendWait) and the reply object (the calls that receive on an endpoint). */
static void mcs_ipc(struct kfuzz_enc *e, int kind, int cap, int dest, int reply)
{
    int k = (kind % KFUZZ_IPC_NTFN) % KFUZZ_IPC_KINDS;
    b(e, 2, KFUZZ_OP_IPC, kind);
    if (k != KFUZZ_IPC_YIELD) {
        choice(e, cap);
    }
    if (k == KFUZZ_IPC_NBSENDRECV || k == KFUZZ_IPC_NBSENDWAIT) {
        choice(e, dest);
    }
    if (k == KFUZZ_IPC_RECV || k == KFUZZ_IPC_NBRECV || k == KFUZZ_IPC_REPLYRECV ||
        k == KFUZZ_IPC_NBSENDRECV) {
        choice(e, reply);
    }
}

/* A thread whose sc byte is given (kfuzz.c op_thread: < 0x20 none, % 4 the budget/period pair,
 * & 4 sporadic, & 8 the fault endpoint is the timeout endpoint too). */
static void thread_sc(struct kfuzz_enc *e, int prio, int fault_ep, int sc)
{
    b(e, 8, KFUZZ_OP_THREAD, ram_untyped, 0, 0, 0, prio, fault_ep, sc);
}

/* A notification for line 33 (the next free slot, the handler after it): the root waits on it so
 * that lower-priority threads run, and raising the line wakes it. */
static void irq_line(struct kfuzz_enc *e)
{
    object(e, OBJ_NTFN, 0);
    invoke(e, IRQIssueIRQHandler, 5, 0, 0, 33, 0, DEF);
    invoke(e, IRQSetIRQHandler, 2, NEWEST, NEWEST);
}
static void root_waits(struct kfuzz_enc *e, int ntfn_slot)
{
    mcs_ipc(e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, AT(ntfn_slot), 0, 0); /* reply: unused */
    kfuzz_enc_byte(e, 0);                                             /* the receive slot */
}
static void wake_root(struct kfuzz_enc *e)
{
    b(e, 2, KFUZZ_OP_IRQ, 33);
    invoke(e, IRQAckIRQ, 1, NEWEST);
}
/* TIME value bytes (kfuzz.c choose_value A_TIME): 19, 20, 50, 100, 250, 1000, 2000, 10000 us. */
enum {
    T_BELOW_MIN = 0,
    T_20 = 1,
    T_50 = 2,
    T_100 = 3,
    T_250 = 4,
    T_1MS = 5,
    T_2MS = 6,
    T_10MS = 7
};
static void configure_sc(struct kfuzz_enc *e, int sc, int budget, int period, int refills,
                         int badge, int sporadic)
{
    invoke(e, SchedControlConfigureFlags, 7, 0, sc, budget, period, refills, badge, sporadic);
}

static int mcs_seeds(const char *dir)
{
    struct kfuzz_enc e;
    int bad = 0;
    const int ff = first_free;

    /* SchedControl_ConfigureFlags and every SchedContext invocation on one scheduling context:
     * configured (round robin, then sporadic), its range errors, bound to a notification, to a
     * passive thread, YieldTo it, Consumed, unbound by the thread itself, deleted while bound;
     * then a new one given by TCB_SetSchedParams. Slots: SC ff, notification ff+1, thread ff+2. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_SC, 1);
    object(&e, OBJ_NTFN, 0);
    configure_sc(&e, NEWEST, T_1MS, T_1MS, 0, 7, 0);
    configure_sc(&e, NEWEST, T_250, T_2MS, 3, 9, 1);
    configure_sc(&e, NEWEST, T_10MS, T_1MS, 0, 0, 0);        /* budget above the period */
    configure_sc(&e, NEWEST, T_BELOW_MIN, T_1MS, 0, 0, 0);   /* below the minimum budget */
    configure_sc(&e, NEWEST, T_1MS, T_1MS, 0xf0 + 14, 0, 0); /* more refills than fit */
    invoke_for(&e, SchedContextBind, cap_notification_cap, 2, NEWEST, NEWEST);
    invoke(&e, SchedContextConsumed, 1, NEWEST);
    invoke_for(&e, SchedContextUnbindObject, cap_notification_cap, 2, NEWEST, NEWEST);
    thread_sc(&e, 255, 0, 0); /* passive: no scheduling context; the root's priority */
    invoke(&e, SchedContextBind, 2, AT(ff), NEWEST);
    invoke(&e, SchedContextBind, 2, AT(ff), NEWEST); /* already bound */
    invoke(&e, SchedContextYieldTo, 1, AT(ff));      /* the thread runs on it */
    invoke(&e, SchedContextConsumed, 1, AT(ff));
    b(&e, 2, KFUZZ_OP_TICK, 1);
    mcs_ipc(&e, KFUZZ_IPC_YIELD, 0, 0, 0);
    invoke(&e, SchedContextUnbind, 1, AT(ff)); /* by the thread itself if it still runs */
    invoke(&e, SchedContextBind, 2, AT(ff), NEWEST);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, ff, DEF); /* deleted while bound */
    object(&e, OBJ_SC, 0);
    configure_sc(&e, NEWEST, T_100, T_1MS, 0, 1, 1);
    invoke(&e, TCBSetSchedParams, 6, NEWEST, 0, NEWEST, AT(0), 200, 50);
    invoke(&e, SchedContextYieldTo, 1, NEWEST); /* lower priority than the root */
    invoke(&e, TCBSetSchedParams, 6, NEWEST, 0, AT(0), AT(0), 200, 50); /* null: unbinds */
    invoke(&e, SchedContextUnbind, 1, 0);                               /* the root's own */
    bad |= write_seed(dir, "mcs-sched-context", &e);

    /* A passive server: it blocks in Recv with its reply object, loses its scheduling context,
     * and answers the root's Calls on the root's time (ReplyRecv, then a Send to the reply
     * object); last it deletes its reply object while the root waits on it. Slots: endpoint ff,
     * notification ff+1, handler ff+2, replies ff+3 and ff+4, server TCB ff+5 (frame ff+6, SC
     * ff+7). */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    irq_line(&e);
    object(&e, OBJ_REPLY, 0);
    object(&e, OBJ_REPLY, 0);
    thread(&e, 200, 0);
    root_waits(&e, ff + 1);
    mcs_ipc(&e, KFUZZ_IPC_RECV, 0, 0, AT(ff + 3)); /* the server waits */
    kfuzz_enc_byte(&e, 0);
    wake_root(&e);
    invoke(&e, SchedContextUnbindObject, 2, NEWEST, NEWEST); /* passive */
    ipc(&e, KFUZZ_IPC_CALL, 0);                              /* donates the root's time */
    b(&e, 4, 0x02, 0x11, 0x22, 0);                           /* two words, the receive slot */
    mcs_ipc(&e, KFUZZ_IPC_REPLYRECV, 0, 0, AT(ff + 3));      /* answers, waits again */
    b(&e, 3, 0x01, 0x33, 0);
    ipc(&e, KFUZZ_IPC_CALL, 0);
    b(&e, 3, 0x01, 0x44, 0);
    b(&e, 2, KFUZZ_OP_TICK, 2);                     /* the server runs on the root's budget */
    invoke(&e, SchedContextConsumed, 1, 0);         /* the root's scheduling context */
    mcs_ipc(&e, KFUZZ_IPC_REPLY, AT(ff + 3), 0, 0); /* answers by a Send to the reply object */
    b(&e, 1, 0x00);
    ipc(&e, KFUZZ_IPC_CALL, 0); /* nobody receives: the root waits on the endpoint */
    b(&e, 2, 0x00, 0);
    invoke(&e, SchedContextBind, 2, AT(ff + 7), AT(ff + 5)); /* nothing runs: no-op */
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    bad |= write_seed(dir, "mcs-passive-server", &e);

    /* A call chain of three on one donated scheduling context: root -> A -> B, A and B passive;
     * time passes in B, B reads the consumed time, B and A answer in turn (the time goes back
     * down the chain); the chain again, A suspended and resumed mid-chain, then a reply object
     * deleted and the endpoints revoked. Slots: endpoints ff, ff+1,
     * notification ff+2, handler ff+3, replies ff+4 (A's), ff+5 (B's), A ff+6 (SC ff+8), B ff+9
     * (SC ff+11). */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    object(&e, OBJ_EP, 0);
    irq_line(&e);
    object(&e, OBJ_REPLY, 0);
    object(&e, OBJ_REPLY, 0);
    thread(&e, 200, 0);
    thread(&e, 200, 0);
    root_waits(&e, ff + 2);
    mcs_ipc(&e, KFUZZ_IPC_RECV, AT(ff), 0, AT(ff + 4)); /* A */
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_RECV, AT(ff + 1), 0, AT(ff + 5)); /* B */
    kfuzz_enc_byte(&e, 0);
    wake_root(&e);
    invoke(&e, SchedContextUnbindObject, 2, AT(ff + 8), AT(ff + 6));
    invoke(&e, SchedContextUnbindObject, 2, AT(ff + 11), AT(ff + 9));
    mcs_ipc(&e, KFUZZ_IPC_CALL, AT(ff), 0, 0); /* root calls A */
    b(&e, 3, 0x0d, 1, NEWEST);                 /* one word and a cap */
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_CALL, AT(ff + 1), 0, 0); /* A calls B */
    b(&e, 2, 0x01, 2);
    kfuzz_enc_byte(&e, 0);
    b(&e, 2, KFUZZ_OP_TICK, 5);
    invoke(&e, SchedContextConsumed, 1, 0);
    mcs_ipc(&e, KFUZZ_IPC_REPLYRECV, AT(ff + 1), 0, AT(ff + 5)); /* B answers: A runs */
    b(&e, 1, 0x00);
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_REPLYRECV, AT(ff), 0, AT(ff + 4)); /* A answers: the root runs */
    b(&e, 1, 0x00);
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_CALL, AT(ff), 0, 0); /* the chain again */
    b(&e, 1, 0x00);
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_CALL, AT(ff + 1), 0, 0);
    b(&e, 1, 0x00);
    kfuzz_enc_byte(&e, 0);
    invoke(&e, TCBSuspend, 1, AT(ff + 6)); /* B suspends A, which waits for B's reply */
    invoke(&e, TCBResume, 1, AT(ff + 6));
    mcs_ipc(&e, KFUZZ_IPC_REPLYRECV, AT(ff + 1), 0, AT(ff + 5)); /* B answers nobody */
    b(&e, 1, 0x00);
    kfuzz_enc_byte(&e, 0);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, ff + 4, DEF); /* A's reply object */
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, ff, DEF);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, ff + 1, DEF);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    bad |= write_seed(dir, "mcs-call-chain", &e);

    /* Budgets: a thread with 300 us every 1 ms and a timeout endpoint runs out (a timeout fault),
     * the root receives the fault and restarts it, reconfigures its scheduling context while it is
     * blocked, removes the timeout endpoint; a sporadic thread beside it; long clock jumps. Slots:
     * endpoint ff, notification ff+1, handler ff+2, reply ff+3, T ff+4 (SC ff+6), S ff+7. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    irq_line(&e);
    object(&e, OBJ_REPLY, 0);
    thread_sc(&e, 200, 0x40, 0x20 | 8 | 1);
    thread_sc(&e, 190, 0, 0x20 | 4 | 2);
    root_waits(&e, ff + 1);
    b(&e, 2, KFUZZ_OP_TICK, 7);    /* 400 us: T's budget ends */
    b(&e, 2, KFUZZ_OP_TICK, 0xc1); /* 20 ms */
    wake_root(&e);
    mcs_ipc(&e, KFUZZ_IPC_RECV, AT(ff), 0, AT(ff + 3)); /* the timeout fault */
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_REPLY, AT(ff + 3), 0, 0); /* label 0: restarted */
    b(&e, 1, 0x00);
    root_waits(&e, ff + 1);
    b(&e, 2, KFUZZ_OP_TICK, 0x40);
    b(&e, 2, KFUZZ_OP_TICK, 0xc0);
    wake_root(&e);
    configure_sc(&e, AT(ff + 6), T_1MS, T_1MS, 0, 0, 0);
    invoke(&e, TCBSetTimeoutEndpoint, 2, AT(ff + 4), AT(0));
    mcs_ipc(&e, KFUZZ_IPC_RECV, AT(ff), 0, AT(ff + 3));
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_REPLY, AT(ff + 3), 0, 0); /* label 1: left inactive */
    b(&e, 1, 0x20);
    root_waits(&e, ff + 1);
    b(&e, 2, KFUZZ_OP_TICK, 0xff);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    bad |= write_seed(dir, "mcs-timeout-fault", &e);

    /* Notification donation: a scheduling context bound to a notification a passive thread waits
     * on; a signal wakes it on the notification's time; the thread waits again (the time goes back
     * to the notification); then unbound and deleted. Slots: n ff, notification ff+1, handler
     * ff+2, SC ff+3, W ff+4 (SC ff+6). */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_NTFN, 0);
    irq_line(&e);
    object(&e, OBJ_SC, 0);
    configure_sc(&e, NEWEST, T_1MS, T_1MS, 0, 0, 0);
    thread(&e, 200, 0);
    root_waits(&e, ff + 1);
    mcs_ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, AT(ff), 0, 0); /* W waits on n */
    kfuzz_enc_byte(&e, 0);
    wake_root(&e);
    invoke(&e, SchedContextUnbindObject, 2, AT(ff + 6), AT(ff + 4));
    invoke_for(&e, SchedContextBind, cap_notification_cap, 2, AT(ff + 3), AT(ff));
    mcs_ipc(&e, KFUZZ_IPC_SEND + KFUZZ_IPC_NTFN, AT(ff), 0, 0); /* signal: W wakes on it */
    b(&e, 1, 0x00);
    root_waits(&e, ff + 1);
    mcs_ipc(&e, KFUZZ_IPC_WAIT + KFUZZ_IPC_NTFN, AT(ff), 0, 0); /* W waits again */
    kfuzz_enc_byte(&e, 0);
    wake_root(&e);
    invoke(&e, SchedContextUnbind, 1, AT(ff + 3));
    mcs_ipc(&e, KFUZZ_IPC_SEND + KFUZZ_IPC_NTFN, AT(ff), 0, 0);
    b(&e, 1, 0x00);
    invoke_for(&e, SchedContextBind, cap_notification_cap, 2, AT(ff + 3), AT(ff));
    invoke(&e, CNodeDelete, 4, 0, 0xe0, ff + 3, DEF);
    bad |= write_seed(dir, "mcs-notification-donation", &e);

    /* The MCS-only system calls: NBWait, Wait, NBSendWait, NBSendRecv (to a waiting server and to
     * nobody), ReplyRecv with an empty reply object, NBWait on an endpoint, Yield, last NBSendRecv
     * with raw registers (x0 a frame: a cap fault, the root stops). Slots: endpoint ff,
     * notification ff+1, handler ff+2, replies ff+3 and ff+4, S ff+5. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    irq_line(&e);
    object(&e, OBJ_REPLY, 0);
    object(&e, OBJ_REPLY, 0);
    mcs_ipc(&e, KFUZZ_IPC_NBWAIT + KFUZZ_IPC_NTFN, AT(ff + 1), 0, 0);
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_SEND + KFUZZ_IPC_NTFN, AT(ff + 1), 0, 0);
    b(&e, 1, 0x00);
    mcs_ipc(&e, KFUZZ_IPC_WAIT + KFUZZ_IPC_NTFN, AT(ff + 1), 0, 0);
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_SEND + KFUZZ_IPC_NTFN, AT(ff + 1), 0, 0);
    b(&e, 1, 0x00);
    mcs_ipc(&e, KFUZZ_IPC_NBSENDWAIT + KFUZZ_IPC_NTFN, AT(ff + 1), AT(ff), 0);
    b(&e, 2, 0x01, 0x55);
    kfuzz_enc_byte(&e, 0);
    thread(&e, 200, 0);
    mcs_ipc(&e, KFUZZ_IPC_NBSENDRECV + KFUZZ_IPC_NTFN, AT(ff + 1), AT(ff), AT(ff + 3));
    b(&e, 1, 0x00);
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_NBRECV, AT(ff), 0, AT(ff + 4)); /* S: nothing there */
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_RECV, AT(ff), 0, AT(ff + 4)); /* S waits */
    kfuzz_enc_byte(&e, 0);
    wake_root(&e);
    mcs_ipc(&e, KFUZZ_IPC_NBSENDRECV + KFUZZ_IPC_NTFN, AT(ff + 1), AT(ff), AT(ff + 3));
    b(&e, 3, 0x02, 7, 8);
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_REPLYRECV, AT(ff), 0, AT(ff + 4)); /* S: nobody to answer */
    b(&e, 1, 0x00);
    kfuzz_enc_byte(&e, 0);
    wake_root(&e);
    mcs_ipc(&e, KFUZZ_IPC_NBWAIT, AT(ff), 0, 0);
    kfuzz_enc_byte(&e, 0);
    mcs_ipc(&e, KFUZZ_IPC_YIELD, 0, 0, 0);
    /* NBSendRecv (k 2) with x0..x5, x6 and x8 from the input (< 0x80: the pool's full caps) */
    b(&e, 10, KFUZZ_OP_RAW, 2, 0x10, 0x05, 0xf0, 0xf0, 0xf0, 0xf0, 0x11, 0x12);
    bad |= write_seed(dir, "mcs-syscalls", &e);
    return bad;
}
#endif

int main(int argc, char **argv)
{
    bool big = argc == 3 && strcmp(argv[1], "--big") == 0;
    bool aarch64 = argc == 3 && strcmp(argv[1], "--aarch64") == 0;
    if (argc != 2 && !big && !aarch64) {
        fprintf(stderr, "usage: kaal-fuzz-seeds [--big | --aarch64] OUTDIR   (--big: the seeds for "
                        "tests/fuzz/fuzz-big.dtb; --aarch64: for the AArch64 mode)\n");
        return 2;
    }
    if (big || aarch64) {
        argv++;
    }
    mkdir(argv[1], 0777);
    struct kfuzz_config cfg = {.check = KFUZZ_CHECK_NONE, .dtb_path = big ? KFUZZ_BIG_DTB : NULL};
    const char *error;
    if (kfuzz_init(&cfg, &error) != 0) {
        fprintf(stderr, "%s\n", error);
        return 1;
    }
    find_ram_untyped();
    if (aarch64) {
        int bad = aarch64_seeds(argv[1]);
        printf("kaal-fuzz-seeds: wrote the AArch64 mode's seeds to %s\n", argv[1]);
        return bad ? 1 : 0;
    }
    if (big) {
        int bad = big_seeds(argv[1]);
        printf("kaal-fuzz-seeds: wrote the second machine's seeds to %s\n", argv[1]);
        return bad ? 1 : 0;
    }
    struct kfuzz_enc e;
    int bad = 0;

    /* check_cnode: copy, mint with badges, move, mutate, rotate, delete, revoke over fresh objects.
     */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    object(&e, OBJ_NTFN, 0);
    mint(&e, 0, SECOND_NEWEST, 15, 5);
    copy(&e, 0, NEWEST, 7);
    move(&e, 0, NEWEST);
    mutate(&e, 0, NEWEST, 9);
    invoke(&e, CNodeRotate, 11, 0, 0, 0, 0, DEF, 1, NEWEST, DEF, 2, SECOND_NEWEST, DEF);
    slot_op(&e, CNodeDelete, NEWEST);
    slot_op(&e, CNodeRevoke, NEWEST);
    save_caller(&e);
    bad |= write_seed(argv[1], "cnode-ops", &e);

    /* check_cdt: a long derivation chain of badged endpoint caps, then a preempted revoke. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    for (int i = 0; i < 12; i++) {
        mint(&e, 0, NEWEST, 15, i + 1);
        copy(&e, 0, NEWEST, 15);
    }
    b(&e, 2, KFUZZ_OP_PREEMPT, 2);
    slot_op(&e, CNodeCancelBadgedSends, NEWEST);
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free, DEF); /* the endpoint: the first object made */
    bad |= write_seed(argv[1], "derivation-chain", &e);

    /* check_untyped: an untyped child, objects in it, a preempted revoke of the child. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_UNTYPED, 4); /* 2^12 */
    for (int i = 0; i < 3; i++) {
        retype(&e, NEWEST, seL4_EndpointObject, 0, 0);
    }
    retype(&e, 0x80 + 3, seL4_CapTableObject, 1, 0); /* the untyped: three endpoints are newer */
    b(&e, 2, KFUZZ_OP_PREEMPT, 1);
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free, DEF);
    retype(&e, 0x80 + 0, seL4_UntypedObject, 0, 2);
    bad |= write_seed(argv[1], "untyped-tree", &e);

    /* check_vspace / check_asid: a VSpace in a new ASID pool, three page tables and a frame mapped.
     */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_UNTYPED, 4);
    invoke(&e, ARMASIDControlMakePool, 4, 0, NEWEST, 0, 0, DEF);
    object(&e, OBJ_VSPACE, 0);
    invoke(&e, ARMASIDPoolAssign, 2, NEWEST, NEWEST);
    for (int i = 0; i < 3; i++) {
        object(&e, OBJ_PT, 0);
    }
    object(&e, OBJ_FRAME, 0);
    b(&e, 8, KFUZZ_OP_MAP, NEWEST, NEWEST, 9, 3, NEWEST, SECOND_NEWEST, KFUZZ_CAP_NEWEST + 2);
    invoke(&e, ARMPageGetAddress, 1, NEWEST);
    invoke(&e, ARMPageClean_Data, 3, NEWEST, 0, 4);
    invoke(&e, ARMVSpaceCleanInvalidate_Data, 3, NEWEST, 9, 10);
    invoke(&e, ARMPageUnmap, 1, NEWEST);
    invoke(&e, ARMPageTableUnmap, 1, NEWEST);
    slot_op(&e, CNodeDelete, NEWEST);
    bad |= write_seed(argv[1], "vspace-map", &e);

    /* The root VSpace: tables and frames mapped at two addresses. */
    memset(&e, 0, sizeof(e));
    for (int i = 0; i < 3; i++) {
        object(&e, OBJ_PT, 0);
    }
    object(&e, OBJ_FRAME, 0);
    object(&e, OBJ_FRAME, 0);
    b(&e, 8, KFUZZ_OP_MAP, NEWEST, 0, 0, 3, 0x80 + 2, 0x80 + 3, 0x80 + 4);
    invoke(&e, ARMPageMap, 5, SECOND_NEWEST, 0, 1, 3, 0);
    invoke(&e, ARMPageTableMap, 4, NEWEST, 0, 0x21, 0);
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free, DEF);
    bad |= write_seed(argv[1], "root-vspace", &e);

    /* check_tcb / check_sched: threads configured, prioritised, suspended, resumed, registers. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    thread(&e, 100, 0x40);
    thread(&e, 90, 0x40);
    invoke(&e, TCBReadRegisters, 3, NEWEST, 1, 36);
    ipc(&e, KFUZZ_IPC_YIELD, 0);
    invoke(&e, TCBSuspend, 1, NEWEST);
    invoke(&e, TCBSetPriority, 2, NEWEST, 0, 200); /* too high for its MCP? */
#ifdef CONFIG_KERNEL_MCS
    invoke(&e, TCBSetSchedParams, 6, NEWEST, 0, NEWEST, 0, 255, 120); /* its own SC, no handler */
#else
    invoke(&e, TCBSetSchedParams, 4, NEWEST, 0, 255, 120);
#endif
    invoke(&e, TCBResume, 1, NEWEST);
    invoke(&e, TCBSetTLSBase, 2, NEWEST, 0x42);
    invoke(&e, TCBCopyRegisters, 3, NEWEST, SECOND_NEWEST, 0x1f);
    b(&e, 2, KFUZZ_OP_TICK, 3);
    invoke(&e, TCBWriteRegisters, 3, NEWEST, 1, 36);
    for (int i = 0; i < 36; i++) {
        kfuzz_enc_byte(&e, (uint8_t)i);
    }
    kfuzz_enc_byte(&e, 0);
    bad |= write_seed(argv[1], "threads", &e);

    /* check_ipc: a thread waits on an endpoint, the root calls it with a badged cap, it replies. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    mint(&e, 0, NEWEST, 15, 0x7);
    thread(&e, 254, 0);              /* runs at once: higher priority than the root */
    ipc(&e, KFUZZ_IPC_RECV, 0);      /* the thread blocks on the (unbadged) endpoint */
    kfuzz_enc_byte(&e, 0);           /* receive slot: the first empty one */
    ipc(&e, KFUZZ_IPC_CALL, NEWEST); /* the root calls through the badged copy: 2 words, 1 cap */
    b(&e, 5, 0x0a, 1, 2, 0, 0);
    ipc(&e, KFUZZ_IPC_REPLYRECV, 0);
    b(&e, 3, 0x21, 5, 0);
    ipc(&e, KFUZZ_IPC_SEND, NEWEST);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_NBRECV, 0);
    kfuzz_enc_byte(&e, 0);
    bad |= write_seed(argv[1], "ipc-badged", &e);

    /* check_notification: signal, bind to a thread, wait, poll. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_NTFN, 0);
    mint(&e, 0, NEWEST, 15, 3);
    invoke(&e, TCBBindNotification, 2, 0, NEWEST);
    ipc(&e, KFUZZ_IPC_SEND + KFUZZ_IPC_NTFN, NEWEST);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_NBRECV + KFUZZ_IPC_NTFN, NEWEST);
    kfuzz_enc_byte(&e, 0);
    thread(&e, 254, 0);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, 0);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_SEND + KFUZZ_IPC_NTFN, NEWEST);
    kfuzz_enc_byte(&e, 0);
    invoke(&e, TCBUnbindNotification, 1, 0);
    bad |= write_seed(argv[1], "notification", &e);

    /* check_irq: an IRQ handler with a notification, the line raised, acknowledged, cleared. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_NTFN, 0);
    invoke(&e, IRQIssueIRQHandler, 5, 0, 0, 33, 0, DEF);
    invoke(&e, IRQSetIRQHandler, 2, NEWEST, 0);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    ipc(&e, KFUZZ_IPC_NBRECV + KFUZZ_IPC_NTFN, 0);
    kfuzz_enc_byte(&e, 0);
    invoke(&e, IRQAckIRQ, 1, NEWEST);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, ARMIRQIssueIRQHandlerTrigger, 6, 0, 0, 34, 1, 0, DEF);
    invoke(&e, ARMIRQIssueSGISignal, 6, 0, 0, 1, 0, 0, DEF);
    invoke(&e, IRQClearIRQHandler, 1, 0);
    slot_op(&e, CNodeDelete, NEWEST);
    bad |= write_seed(argv[1], "irq", &e);

#ifndef CONFIG_KERNEL_MCS /* a Reply system call: MCS replies through a reply object (mcs_seeds) \
                           */
    /* check_fault: a thread with a fault endpoint faults; the root receives and replies. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    thread(&e, 254, 0x40);
    b(&e, 4, KFUZZ_OP_FAULT, 0, 3, 0x92);
    ipc(&e, KFUZZ_IPC_RECV, 0);
    kfuzz_enc_byte(&e, 0);
    b(&e, 3, KFUZZ_OP_IPC, KFUZZ_IPC_REPLY, 0);
    b(&e, 4, KFUZZ_OP_FAULT, 2, 0, 0x56);
    b(&e, 2, KFUZZ_OP_TICK, 2);
    bad |= write_seed(argv[1], "fault", &e);
#endif

    /* check_domain and the debug calls. */
    memset(&e, 0, sizeof(e));
    thread(&e, 10, 0);
    invoke(&e, DomainSetSet, 3, 0, NEWEST, 0);
    invoke(&e, DomainScheduleConfigure, 4, 0, 0, 0, 5);
    invoke(&e, DomainScheduleSetStart, 2, 0, 0);
    b(&e, 3, KFUZZ_OP_DEBUG, 1, 0);
    b(&e, 4, KFUZZ_OP_DEBUG, 2, NEWEST, 5);
    b(&e, 2, KFUZZ_OP_DEBUG, 3);
    b(&e, 3, KFUZZ_OP_DEBUG, 0, 'k');
    b(&e, 8, KFUZZ_OP_RAW, 11, 1, 2, 3, 4, 5, 6);
    bad |= write_seed(argv[1], "domain-debug", &e);

    /* A CNode of our own: caps copied into it through its cap, then moved back, revoked. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_CNODE, 1);
    object(&e, OBJ_EP, 0);
    invoke(&e, CNodeCopy, 7, NEWEST, 0, 0, DEF, NEWEST, DEF, 15); /* into the new CNode */
    invoke(&e, CNodeMint, 8, NEWEST, 0, 1, DEF, NEWEST, DEF, 15, 3);
    invoke(&e, CNodeMove, 6, 0, NEWEST, 0, DEF, 0, DEF); /* back to the root */
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free, DEF);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, first_free, DEF);
    bad |= write_seed(argv[1], "child-cnode", &e);

    /* Deep IPC states. The root runs at priority 255, so the threads made at 200 run only once the
     * root blocks (on the notification an IRQ handler signals); the operations after that run as
     * them, and raising the line wakes the root again. */

#ifndef CONFIG_KERNEL_MCS /* Reply and the caller slot: base only */
    /* Three threads blocked sending on one endpoint through caps with badges 3, 2 and 1 (the
     * last one a Call); CancelBadgedSends of badge 2, receives, a reply, then the endpoint's caps
     * revoked and deleted while a restarted sender still holds a copy. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    object(&e, OBJ_NTFN, 0);
    mint(&e, 0, 0x81, 15, 1);
    mint(&e, 0, 0x82, 15, 2);
    mint(&e, 0, 0x83, 15, 3);
    invoke(&e, IRQIssueIRQHandler, 5, 0, 0, 33, 0, DEF);
    invoke(&e, IRQSetIRQHandler, 2, NEWEST, 0);
    thread(&e, 200, 0);
    thread(&e, 200, 0);
    thread(&e, 200, 0);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, 0); /* the root waits for the line */
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_SEND, NEWEST); /* thread 1: badge 3, 2 words and its own cap (unwrapped) */
    b(&e, 5, 0x08, 0x11, 0x22, KFUZZ_CAP_SLOT, first_free + 4);
    ipc(&e, KFUZZ_IPC_SEND, 0x81); /* thread 2: badge 2, 4 words and a cap */
    b(&e, 6, 0x0a, 1, 2, 3, 4, NEWEST);
    ipc(&e, KFUZZ_IPC_CALL, 0x82); /* thread 3: badge 1, a Call with the notification cap */
    b(&e, 5, 0x0d, 0x33, KFUZZ_CAP_SLOT, first_free + 1, 0);
    b(&e, 2, KFUZZ_OP_IRQ, 33); /* nobody runs: the line wakes the root */
    invoke(&e, CNodeCancelBadgedSends, 4, 0, 0xe0, first_free + 3, DEF); /* badge 2 */
    ipc(&e, KFUZZ_IPC_RECV, 0);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV, 0);
    kfuzz_enc_byte(&e, 0);
    b(&e, 4, KFUZZ_OP_IPC, KFUZZ_IPC_REPLY, 0x01, 0x44); /* Reply names no cap */
    invoke(&e, IRQAckIRQ, 1, NEWEST);
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free, DEF);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, first_free, DEF);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, 0);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_SEND, 0);
    b(&e, 1, 0x00);
    b(&e, 2, KFUZZ_OP_TICK, 3);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    bad |= write_seed(argv[1], "blocked-badged-senders", &e);
#endif

#ifndef CONFIG_KERNEL_MCS /* CNode_SaveCaller: base only (mcs_seeds has its MCS form) */
    /* A fault in flight: a thread with a fault endpoint takes a VM fault while nobody receives
     * (blocked sending its fault), the root receives it (the thread waits for the reply), reads
     * its registers, saves the reply cap and answers through it; then a user exception delivered
     * straight to the waiting root, the faulting thread suspended and resumed with the reply
     * outstanding, and a second thread without a handler double-faults. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    object(&e, OBJ_NTFN, 0);
    invoke(&e, IRQIssueIRQHandler, 5, 0, 0, 33, 0, DEF);
    invoke(&e, IRQSetIRQHandler, 2, NEWEST, 0);
    thread(&e, 200, 0x40);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, 0);
    kfuzz_enc_byte(&e, 0);
    b(&e, 4, KFUZZ_OP_FAULT, 0, 3, 0x92); /* the thread: a data abort, queued on the endpoint */
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    ipc(&e, KFUZZ_IPC_RECV, 0);
    kfuzz_enc_byte(&e, 0);
    invoke(&e, TCBReadRegisters, 3, NEWEST, 0, 36);
    save_caller(&e);
    ipc(&e, KFUZZ_IPC_SEND, KFUZZ_CAP_SLOT); /* the saved reply cap, by slot (after the thread's
                                              * TCB and IPC buffer frame) */
    b(&e, 2, first_free + 5, 0x00);
    invoke(&e, IRQAckIRQ, 1, NEWEST);
    ipc(&e, KFUZZ_IPC_RECV, 0);
    kfuzz_enc_byte(&e, 0);
    b(&e, 4, KFUZZ_OP_FAULT, 2, 0, 0x56); /* the thread: a user exception, the root receives */
    save_caller(&e);
    ipc(&e, KFUZZ_IPC_SEND, KFUZZ_CAP_SLOT); /* answered with 3 registers through the saved cap */
    b(&e, 5, first_free + 5, 0x03, 0x10, 0x20, 0x30);
    ipc(&e, KFUZZ_IPC_RECV, 0);
    kfuzz_enc_byte(&e, 0);
    b(&e, 4, KFUZZ_OP_FAULT, 2, 0, 0x57); /* again, left outstanding */
    invoke(&e, TCBSuspend, 1, NEWEST);
    invoke(&e, TCBResume, 1, NEWEST);
    thread(&e, 210, 0);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, 0);
    kfuzz_enc_byte(&e, 0);
    b(&e, 4, KFUZZ_OP_FAULT, 1, 5, 0x7);  /* the second thread: no handler, a double fault */
    b(&e, 4, KFUZZ_OP_FAULT, 0, 4, 0x92); /* the first again */
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free, DEF); /* the endpoint, a fault queued on it */
    invoke(&e, CNodeDelete, 4, 0, 0xe0, first_free, DEF);
    b(&e, 2, KFUZZ_OP_TICK, 2);
    bad |= write_seed(argv[1], "fault-in-flight", &e);
#endif

    /* A bound notification: a thread bound to one notification waits on an endpoint; the root
     * signals the notification (the waiter gets the badge through its endpoint wait), then
     * unbinds and deletes the notification while the thread waits again. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    object(&e, OBJ_NTFN, 0);
    object(&e, OBJ_NTFN, 0);
    thread(&e, 200, 0);
    invoke(&e, TCBBindNotification, 2, NEWEST, 0);
    invoke(&e, IRQIssueIRQHandler, 5, 0, 0, 33, 0, DEF);
    invoke(&e, IRQSetIRQHandler, 2, NEWEST, NEWEST);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, NEWEST);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV, 0); /* the thread waits on the endpoint */
    kfuzz_enc_byte(&e, 0);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    ipc(&e, KFUZZ_IPC_SEND + KFUZZ_IPC_NTFN, 0); /* the root signals the bound notification */
    b(&e, 1, 0x00);
    invoke(&e, IRQAckIRQ, 1, NEWEST);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, NEWEST);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV, 0); /* the thread waits again */
    kfuzz_enc_byte(&e, 0);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, TCBUnbindNotification, 1, NEWEST);
    invoke(&e, TCBBindNotification, 2, NEWEST, 0);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, first_free + 1, DEF);
    ipc(&e, KFUZZ_IPC_NBSEND, 0);
    b(&e, 1, 0x00);
    bad |= write_seed(argv[1], "bound-notification", &e);

#ifndef CONFIG_KERNEL_MCS /* Reply: base only */
    /* Two threads waiting on one notification (a queue), one suspended while it waits, a signal
     * for the other, then the notification deleted with a waiter; an unknown system call of a
     * thread with a fault endpoint, received and answered with registers by the root. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_EP, 0);
    object(&e, OBJ_NTFN, 0);
    object(&e, OBJ_NTFN, 0);
    invoke(&e, IRQIssueIRQHandler, 5, 0, 0, 33, 0, DEF);
    invoke(&e, IRQSetIRQHandler, 2, NEWEST, NEWEST);
    thread(&e, 200, 0x40);
    thread(&e, 200, 0x40);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, NEWEST); /* the root waits for the line */
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, 0); /* both threads wait on the first notification */
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, 0);
    kfuzz_enc_byte(&e, 0);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, TCBSuspend, 1, 0x81); /* the first waiter */
    ipc(&e, KFUZZ_IPC_SEND + KFUZZ_IPC_NTFN, 0);
    b(&e, 1, 0x00);
    invoke(&e, TCBResume, 1, 0x81);
    invoke(&e, IRQAckIRQ, 1, NEWEST);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, NEWEST);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV + KFUZZ_IPC_NTFN, 0); /* a thread waits again */
    kfuzz_enc_byte(&e, 0);
    b(&e, 8, KFUZZ_OP_RAW, 0xf3, 1, 2, 3, 4, 5, 6); /* the other: an unknown system call */
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, first_free + 1, DEF); /* the notification, a waiter on it */
    ipc(&e, KFUZZ_IPC_RECV, 0); /* the root receives the UnknownSyscall fault */
    kfuzz_enc_byte(&e, 0);
    b(&e, 8, KFUZZ_OP_IPC, KFUZZ_IPC_REPLY, 0x05, 1, 2, 3, 4, 5); /* new x0..x4 */
    b(&e, 2, KFUZZ_OP_TICK, 3);
    bad |= write_seed(argv[1], "notification-waiters", &e);
#endif

    /* Zombies: a CNode holding an endpoint cap and a copy of its own cap, revoked and deleted
     * under forced preemption (finalised through a zombie, restarted); then a thread's only cap
     * deleted (a TCB zombie) and the VSpace cache operations over a mapped page. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_CNODE, 2); /* 2^4 slots */
    object(&e, OBJ_EP, 0);
    invoke(&e, CNodeCopy, 7, NEWEST, 0, 0, DEF, NEWEST, DEF, 15);    /* the endpoint into it */
    invoke(&e, CNodeCopy, 7, NEWEST, 0, 1, DEF, 0x81, DEF, 15);      /* its own cap into it */
    invoke(&e, CNodeMint, 8, NEWEST, 0, 2, DEF, NEWEST, DEF, 15, 5); /* a badged endpoint */
    b(&e, 2, KFUZZ_OP_PREEMPT, 1);
    slot_op(&e, CNodeRevoke, 0x81);
    slot_op(&e, CNodeDelete, 0x81);
    thread(&e, 200, 0);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, first_free, DEF); /* the thread's only cap */
    b(&e, 2, KFUZZ_OP_PREEMPT, 0);
    for (int i = 0; i < 3; i++) {
        object(&e, OBJ_PT, 0);
    }
    object(&e, OBJ_FRAME, 0);
    b(&e, 8, KFUZZ_OP_MAP, NEWEST, 0, 9, 3, 0x80 + 1, 0x80 + 2, 0x80 + 3);
    invoke(&e, ARMVSpaceClean_Data, 3, 0, 9, 10);
    invoke(&e, ARMVSpaceInvalidate_Data, 3, 0, 9, 10);
    invoke(&e, ARMVSpaceUnify_Instruction, 3, 0, 9, 10);
    invoke(&e, ARMPageInvalidate_Data, 3, NEWEST, 0, 16);
    invoke(&e, ARMPageUnify_Instruction, 3, NEWEST, 1, 2);
    b(&e, 2, KFUZZ_OP_PREEMPT, 1);
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free + 2, DEF);
    bad |= write_seed(argv[1], "zombies-and-flushes", &e);

#ifdef CONFIG_KERNEL_MCS
    bad |= mcs_seeds(argv[1]);
#endif
    printf("kaal-fuzz-seeds: wrote the seed corpus to %s\n", argv[1]);
    return bad ? 1 : 0;
}
