/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: the register rules of each system call (docs/abi.md#registers): the kernel writes
 * only x0–x5, a reply writes only the MRs its length covers, Yield and DebugSnapshot change
 * nothing, non-blocking calls with nothing to do write only the badge. On aarch64 the cases also
 * check that x6 and x8–x17 and TPIDR_EL0 survive the `svc` (hostsim's user code is host code, whose
 * registers are not the AArch64 file: there only x0–x5 are the ABI). */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define P(i) (0x5a5a000000000000ull | ((seL4_Word)(i) << 8) | 0x11u)

struct raw {
    seL4_Word x[6];
};

static void raw_init(struct raw *r)
{
    for (int i = 0; i < 6; i++) {
        r->x[i] = P(i);
    }
}

#if defined(KAAL_ARCH_AARCH64)
/* svc with x6 and x8..x17 loaded with known values; returns how many of them changed. */
static unsigned raw_syscall_checked(seL4_Word sys, struct raw *r)
{
    seL4_Word after[11];
    seL4_Word tls = kaal_arch_get_tls_base(); /* before the register variables are loaded */
    register seL4_Word x0 __asm__("x0") = r->x[0];
    register seL4_Word x1 __asm__("x1") = r->x[1];
    register seL4_Word x2 __asm__("x2") = r->x[2];
    register seL4_Word x3 __asm__("x3") = r->x[3];
    register seL4_Word x4 __asm__("x4") = r->x[4];
    register seL4_Word x5 __asm__("x5") = r->x[5];
    register seL4_Word x7 __asm__("x7") = sys;
    __asm__ volatile(
        "mov x6, #0x606\n mov x8, #0x808\n mov x9, #0x909\n mov x10, #0xa0a\n"
        "mov x11, #0xb0b\n mov x12, #0xc0c\n mov x13, #0xd0d\n mov x14, #0xe0e\n"
        "mov x15, #0xf0f\n mov x16, #0x1616\n mov x17, #0x1717\n"
        "svc #0\n"
        "stp x6, x8, [%[a], #0]\n stp x9, x10, [%[a], #16]\n stp x11, x12, [%[a], #32]\n"
        "stp x13, x14, [%[a], #48]\n stp x15, x16, [%[a], #64]\n str x17, [%[a], #80]\n"
        : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
        : "r"(x7), [a] "r"(after)
        : "x6", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    r->x[0] = x0, r->x[1] = x1, r->x[2] = x2, r->x[3] = x3, r->x[4] = x4, r->x[5] = x5;
    static const seL4_Word want[11] = {0x606, 0x808, 0x909, 0xa0a,  0xb0b, 0xc0c,
                                       0xd0d, 0xe0e, 0xf0f, 0x1616, 0x1717};
    unsigned changed = kaal_arch_get_tls_base() != tls;
    for (int i = 0; i < 11; i++) {
        changed += after[i] != want[i];
    }
    return changed;
}
#else
static unsigned raw_syscall_checked(seL4_Word sys, struct raw *r)
{
    kaal_arch_syscall(sys, &r->x[0], &r->x[1], &r->x[2], &r->x[3], &r->x[4], &r->x[5]);
    return 0;
}
#endif

/* A successful Call whose reply has one word: x0 = 0, x1 = length 1, x2 = the result, x3–x5 kept.
 */
static void case_call_writes_reply_length_only(struct conf_env *env)
{
    (void)env;
    struct raw r;
    raw_init(&r);
    r.x[0] = seL4_CapBootInfoFrame;
    r.x[1] = seL4_MessageInfo_new(ARMPageGetAddress, 0, 0, 0).words[0];
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysCall, &r), 0);
    CONF_EQ(r.x[0], 0);
    CONF_EQ(r.x[1], 1);
    CONF_EQ(r.x[2], sys_arm_page_get_address(seL4_CapBootInfoFrame).paddr);
    CONF_EQ(r.x[3], P(3));
    CONF_EQ(r.x[4], P(4));
    CONF_EQ(r.x[5], P(5));
}

/* An error reply of two words (RangeError) leaves x4 and x5 as they were. */
static void case_error_reply_writes_its_words_only(struct conf_env *env)
{
    seL4_CPtr dst = conf_slot(env);
    struct raw r;
    raw_init(&r);
    r.x[0] = ROOT;
    r.x[1] = seL4_MessageInfo_new(CNodeCopy, 0, 1, 5).words[0];
    r.x[2] = dst;
    r.x[3] = 65; /* depth out of range */
    sys_set_mr(4, seL4_AllRights.words[0]);
    sys_set_cap(0, ROOT);
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysCall, &r), 0);
    CONF_EQ(r.x[0], 0);
    CONF_EQ(r.x[1], seL4_MessageInfo_new(seL4_RangeError, 0, 0, 2).words[0]);
    CONF_EQ(r.x[2], 1);
    CONF_EQ(r.x[3], 64);
    CONF_EQ(r.x[4], P(4));
    CONF_EQ(r.x[5], P(5));
    CONF_EQ(conf_tag(dst), KAAL_CAP_TAG_NULL);
}

/* An error with no words (IllegalOperation: an unknown label) leaves x2–x5 alone. */
static void case_error_reply_without_words(struct conf_env *env)
{
    (void)env;
    struct raw r;
    raw_init(&r);
    r.x[0] = seL4_CapInitThreadTCB;
    r.x[1] = seL4_MessageInfo_new(0x7777, 0, 0, 4).words[0];
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysCall, &r), 0);
    CONF_EQ(r.x[0], 0);
    CONF_EQ(r.x[1], seL4_MessageInfo_new(seL4_IllegalOperation, 0, 0, 0).words[0]);
    for (int i = 2; i < 6; i++) {
        CONF_EQ(r.x[i], P(i));
    }
}

static void null_call_unchanged(seL4_Word sys)
{
    struct raw r;
    raw_init(&r);
    CONF_EQ(raw_syscall_checked(sys, &r), 0);
    for (int i = 0; i < 6; i++) {
        CONF_EQ(r.x[i], P(i));
    }
}

static void case_yield_changes_nothing(struct conf_env *env)
{
    (void)env;
    null_call_unchanged((seL4_Word)seL4_SysYield);
}

static void case_debug_snapshot_changes_nothing(struct conf_env *env)
{
    (void)env;
    null_call_unchanged((seL4_Word)seL4_SysDebugSnapshot);
}

/* DebugCapIdentify answers in x0. (DebugHalt is not called: it stops the machine.) */
static void case_debug_cap_identify_in_x0(struct conf_env *env)
{
    (void)env;
    struct raw r;
    raw_init(&r);
    r.x[0] = seL4_CapInitThreadCNode;
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysDebugCapIdentify, &r), 0);
    CONF_EQ(r.x[0], KAAL_CAP_TAG_CNODE);
    r.x[0] = seL4_CapDomain;
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysDebugCapIdentify, &r), 0);
    CONF_EQ(r.x[0], KAAL_CAP_TAG_DOMAIN);
}

/* NBRecv on an endpoint nobody sends on: x0 (the badge) = 0, x1–x5 as they were. */
static void case_nbrecv_nothing_pending(struct conf_env *env)
{
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    CONF_CHECK(!conf_failed());
    struct raw r;
    raw_init(&r);
    r.x[0] = ep;
#ifdef CONFIG_KERNEL_MCS /* NBRecv on an endpoint needs a reply object in x6; NBWait does not */
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysNBWait, &r), 0);
#else
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysNBRecv, &r), 0);
#endif
    CONF_EQ(r.x[0], 0);
    for (int i = 1; i < 6; i++) {
        CONF_EQ(r.x[i], P(i));
    }
}

/* Recv on a notification with a word pending: x0 = the word (then cleared), x1–x5 as they were;
 * Poll with nothing pending: x0 = 0. */
static void case_recv_notification_writes_x0_only(struct conf_env *env)
{
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0), b = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(ROOT, b, DEPTH, ROOT, n, DEPTH, seL4_AllRights, 0x50));
    sys_signal(b);
    struct raw r;
    raw_init(&r);
    r.x[0] = n;
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysRecv, &r), 0);
    CONF_EQ(r.x[0], 0x50);
    for (int i = 1; i < 6; i++) {
        CONF_EQ(r.x[i], P(i));
    }
    raw_init(&r);
    r.x[0] = n;
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysNBRecv, &r), 0);
    CONF_EQ(r.x[0], 0);
    for (int i = 1; i < 6; i++) {
        CONF_EQ(r.x[i], P(i));
    }
}

/* NBSend on an empty slot does nothing (no fault: the root thread has no handler and would stop).
 */
static void case_nbsend_invalid_cap_is_silent(struct conf_env *env)
{
    seL4_CPtr empty = conf_slot(env);
    struct raw r;
    raw_init(&r);
    r.x[0] = empty;
    r.x[1] = seL4_MessageInfo_new(1, 0, 0, 2).words[0];
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysNBSend, &r), 0);
    /* NBSend on an endpoint with no receiver: the message is dropped. */
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    CONF_CHECK(!conf_failed());
    sys_nbsend(ep, seL4_MessageInfo_new(1, 0, 0, 1));
    seL4_Word badge = 77;
#ifdef CONFIG_KERNEL_MCS
    seL4_CPtr reply = conf_alloc(env, seL4_ReplyObject, 0);
    CONF_CHECK(!conf_failed());
    sys_nbrecv(ep, &badge, reply);
#else
    sys_nbrecv(ep, &badge);
#endif
    CONF_EQ(badge, 0);
}

#ifndef CONFIG_KERNEL_MCS /* MCS has no Reply system call (docs/mcs.md) */
/* Reply with nothing in the caller slot does nothing. */
static void case_reply_without_caller(struct conf_env *env)
{
    (void)env;
    struct raw r;
    raw_init(&r);
    r.x[1] = seL4_MessageInfo_new(0, 0, 0, 1).words[0];
    CONF_EQ(raw_syscall_checked((seL4_Word)seL4_SysReply, &r), 0);
    CONF_EQ(conf_tag(seL4_CapInitThreadTCB), KAAL_CAP_TAG_THREAD);
}
#endif

static const struct conf_case cases[] = {
    CONF_CASE(call_writes_reply_length_only),  CONF_CASE(error_reply_writes_its_words_only),
    CONF_CASE(error_reply_without_words),      CONF_CASE(yield_changes_nothing),
    CONF_CASE(debug_snapshot_changes_nothing), CONF_CASE(debug_cap_identify_in_x0),
    CONF_CASE(nbrecv_nothing_pending),         CONF_CASE(recv_notification_writes_x0_only),
    CONF_CASE(nbsend_invalid_cap_is_silent),
#ifndef CONFIG_KERNEL_MCS
    CONF_CASE(reply_without_caller),
#endif
};
const struct conf_area conf_area_syscall = CONF_AREA("syscall", cases);
