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
    OBJ_UNTYPED = 10
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

static uint8_t spec_index(uint64_t label)
{
    for (unsigned i = 0; i < kfuzz_n_specs; i++) {
        if (kfuzz_specs[i].label == label) {
            return (uint8_t)i;
        }
    }
    return 0;
}

static void object(struct kfuzz_enc *e, int type, int count_byte)
{
    b(e, 5, KFUZZ_OP_OBJECT, type, ram_untyped, 0, count_byte);
}

/* An invocation: the op byte and label, then the given choice/value bytes in the decoder's order
 * (invoked cap, extra caps, words: one byte each for typical choices), then a clean Call. */
static void invoke(struct kfuzz_enc *e, uint64_t label, int n, ...)
{
    b(e, 2, KFUZZ_OP_INVOKE, spec_index(label));
    __builtin_va_list ap;
    __builtin_va_start(ap, n);
    for (int i = 0; i < n; i++) {
        kfuzz_enc_byte(e, (uint8_t) __builtin_va_arg(ap, int));
    }
    __builtin_va_end(ap);
    kfuzz_enc_byte(e, 0);
}

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

static void thread(struct kfuzz_enc *e, int prio, int fault_ep)
{
    b(e, 7, KFUZZ_OP_THREAD, ram_untyped, 0, 0, 0, prio, fault_ep);
}

/* IPC: system call kind (+8: on a notification), cap choice; sends add a shape byte
 * (length = shape % 6, caps = (shape / 8) % 4, label = shape >> 5) and its words and caps. */
static void ipc(struct kfuzz_enc *e, int kind, int cap) { b(e, 3, KFUZZ_OP_IPC, kind, cap); }

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
    ipc(&e, KFUZZ_IPC_SEND + 8, NEWEST);
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
    invoke(&e, TCBSetSchedParams, 4, NEWEST, 0, 255, 120);
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
    ipc(&e, KFUZZ_IPC_SEND + 8, NEWEST);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_NBRECV + 8, NEWEST);
    kfuzz_enc_byte(&e, 0);
    thread(&e, 254, 0);
    ipc(&e, KFUZZ_IPC_RECV + 8, 0);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_SEND + 8, NEWEST);
    kfuzz_enc_byte(&e, 0);
    invoke(&e, TCBUnbindNotification, 1, 0);
    bad |= write_seed(argv[1], "notification", &e);

    /* check_irq: an IRQ handler with a notification, the line raised, acknowledged, cleared. */
    memset(&e, 0, sizeof(e));
    object(&e, OBJ_NTFN, 0);
    invoke(&e, IRQIssueIRQHandler, 5, 0, 0, 33, 0, DEF);
    invoke(&e, IRQSetIRQHandler, 2, NEWEST, 0);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    ipc(&e, KFUZZ_IPC_NBRECV + 8, 0);
    kfuzz_enc_byte(&e, 0);
    invoke(&e, IRQAckIRQ, 1, NEWEST);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, ARMIRQIssueIRQHandlerTrigger, 6, 0, 0, 34, 1, 0, DEF);
    invoke(&e, ARMIRQIssueSGISignal, 6, 0, 0, 1, 0, 0, DEF);
    invoke(&e, IRQClearIRQHandler, 1, 0);
    slot_op(&e, CNodeDelete, NEWEST);
    bad |= write_seed(argv[1], "irq", &e);

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
    ipc(&e, KFUZZ_IPC_RECV + 8, 0); /* the root waits for the line */
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
    ipc(&e, KFUZZ_IPC_RECV + 8, 0);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_SEND, 0);
    b(&e, 1, 0x00);
    b(&e, 2, KFUZZ_OP_TICK, 3);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    bad |= write_seed(argv[1], "blocked-badged-senders", &e);

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
    ipc(&e, KFUZZ_IPC_RECV + 8, 0);
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
    ipc(&e, KFUZZ_IPC_RECV + 8, 0);
    kfuzz_enc_byte(&e, 0);
    b(&e, 4, KFUZZ_OP_FAULT, 1, 5, 0x7);  /* the second thread: no handler, a double fault */
    b(&e, 4, KFUZZ_OP_FAULT, 0, 4, 0x92); /* the first again */
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, CNodeRevoke, 4, 0, 0xe0, first_free, DEF); /* the endpoint, a fault queued on it */
    invoke(&e, CNodeDelete, 4, 0, 0xe0, first_free, DEF);
    b(&e, 2, KFUZZ_OP_TICK, 2);
    bad |= write_seed(argv[1], "fault-in-flight", &e);

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
    ipc(&e, KFUZZ_IPC_RECV + 8, NEWEST);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV, 0); /* the thread waits on the endpoint */
    kfuzz_enc_byte(&e, 0);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    ipc(&e, KFUZZ_IPC_SEND + 8, 0); /* the root signals the bound notification */
    b(&e, 1, 0x00);
    invoke(&e, IRQAckIRQ, 1, NEWEST);
    ipc(&e, KFUZZ_IPC_RECV + 8, NEWEST);
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
    ipc(&e, KFUZZ_IPC_RECV + 8, NEWEST); /* the root waits for the line */
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV + 8, 0); /* both threads wait on the first notification */
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV + 8, 0);
    kfuzz_enc_byte(&e, 0);
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, TCBSuspend, 1, 0x81); /* the first waiter */
    ipc(&e, KFUZZ_IPC_SEND + 8, 0);
    b(&e, 1, 0x00);
    invoke(&e, TCBResume, 1, 0x81);
    invoke(&e, IRQAckIRQ, 1, NEWEST);
    ipc(&e, KFUZZ_IPC_RECV + 8, NEWEST);
    kfuzz_enc_byte(&e, 0);
    ipc(&e, KFUZZ_IPC_RECV + 8, 0); /* a thread waits again */
    kfuzz_enc_byte(&e, 0);
    b(&e, 8, KFUZZ_OP_RAW, 0xf3, 1, 2, 3, 4, 5, 6); /* the other: an unknown system call */
    b(&e, 2, KFUZZ_OP_IRQ, 33);
    invoke(&e, CNodeDelete, 4, 0, 0xe0, first_free + 1, DEF); /* the notification, a waiter on it */
    ipc(&e, KFUZZ_IPC_RECV, 0); /* the root receives the UnknownSyscall fault */
    kfuzz_enc_byte(&e, 0);
    b(&e, 8, KFUZZ_OP_IPC, KFUZZ_IPC_REPLY, 0x05, 1, 2, 3, 4, 5); /* new x0..x4 */
    b(&e, 2, KFUZZ_OP_TICK, 3);
    bad |= write_seed(argv[1], "notification-waiters", &e);

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

    printf("kaal-fuzz-seeds: wrote the seed corpus to %s\n", argv[1]);
    return bad ? 1 : 0;
}
