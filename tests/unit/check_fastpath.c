/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fastpath (core/kernel/fastpath.c) against the slowpath, differentially: each case sets
 * up a Call or ReplyRecv by puppet threads, snapshots the whole machine (simulated RAM, which holds
 * every kernel object with its registers, caps and MDB links; the kernel globals ks; the
 * scheduler's state), runs fastpath_call() / fastpath_reply_recv() directly, snapshots the result,
 * goes back to the first snapshot and runs kernel_handle_syscall_slowpath() plus the exit path, and
 * requires the two results to be byte for byte identical (hostsim_snapshot_compare). The state the
 * fastpath leaves must also be final: on aarch64 it resumes the other thread without the scheduler
 * pass, so running kernel_exit() after it must change nothing. A case the fastpath declines must
 * leave the machine exactly as it was. Every slowpath result passes the invariant checker.
 *
 * The cases the fastpath must take (docs/performance.md, "The fastpath") are asserted taken; the
 * conditions it must decline are asserted declined; a few conditions the fastpath may handle
 * either way (the other thread's VSpace or FPU) only require equal states. */
#include "puppets.h"

#include <stdio.h>

#include <kaal/gen_config.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

/* The base configuration's fastpath; the MCS one has its own test (tests/mcs/check_fastpath_mcs.c:
 * reply objects, donation, charging). */
#if defined(CONFIG_FASTPATH) && !defined(CONFIG_KERNEL_MCS)
#include <kaal/fastpath.h>
#include <kaal/invariants.h>
#include <kaal/sched.h>
#include <kaal/structures.h>

static uint64_t ep; /* an endpoint with all rights, made by every test's setup */

static void setup(void)
{
    puppet_setup();
    ep = retype_obj(seL4_EndpointObject, 0);
}

static TCase *tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

/* ---- describing a difference ---- */

#define FIELD(f)                                                  \
    {                                                             \
#f, offsetof(struct tcb, f), sizeof(((struct tcb *)0)->f) \
    }
static const struct {
    const char *name;
    size_t offset, size;
} tcb_fields[] = {
    FIELD(state),         FIELD(priority),
    FIELD(mcp),           FIELD(domain),
    FIELD(time_slice),    FIELD(flags),
    FIELD(sched_next),    FIELD(sched_prev),
    FIELD(sched_queued),  FIELD(debug_next),
    FIELD(debug_prev),    FIELD(ep_next),
    FIELD(ep_prev),       FIELD(bound_notification),
    FIELD(fault_handler), FIELD(ipc_buffer),
    FIELD(fault),         FIELD(lookup_failure),
    FIELD(name),          FIELD(arch.fpsimd),
};

/* Where physical address pa is: a field of a TCB the scheduler knows, or just the address. */
static const char *describe(uint64_t pa)
{
    static char buf[200];
    for (struct tcb *t = sched_debug_first_thread(); t != NULL; t = t->debug_next) {
        uint64_t base = VTOP(t);
        if (pa < base || pa >= base + sizeof(struct tcb)) {
            continue;
        }
        size_t off = pa - base;
        int n = snprintf(
            buf, sizeof(buf), "TCB %#llx (%s, priority %llu) +%zu: ", (unsigned long long)base,
            t == ks.root_thread ? "root" : "puppet", (unsigned long long)t->priority, off);
        size_t left = sizeof(buf) - (size_t)n;
        if (off < sizeof(t->ctes)) {
            snprintf(buf + n, left, "ctes[%zu] word %zu (cap 0-1, mdb 2-3)", off / sizeof(cte_t),
                     off % sizeof(cte_t) / 8);
        } else if (off >= offsetof(struct tcb, arch.regs) &&
                   off < offsetof(struct tcb, arch.regs) + sizeof(t->arch.regs)) {
            snprintf(buf + n, left, "register %zu (x0..x30, sp, nextIP, spsr, faultIP, ...)",
                     (off - offsetof(struct tcb, arch.regs)) / 8);
        } else {
            snprintf(buf + n, left, "?");
            for (size_t i = 0; i < sizeof(tcb_fields) / sizeof(tcb_fields[0]); i++) {
                if (off >= tcb_fields[i].offset &&
                    off < tcb_fields[i].offset + tcb_fields[i].size) {
                    snprintf(buf + n, left, "%s", tcb_fields[i].name);
                }
            }
        }
        return buf;
    }
    snprintf(buf, sizeof(buf), "physical address %#llx", (unsigned long long)pa);
    return buf;
}

/* The machine now equals snapshot s, or the test fails naming the first difference. */
static void assert_same(const struct hostsim_snapshot *s, const char *what)
{
    struct hostsim_snapshot_diff d;
    int r = hostsim_snapshot_compare(s, &d);
    ck_assert_msg(r != -1, "%s: snapshot of another machine", what);
    if (r != 0) {
        char where[256];
        if (strcmp(d.area, "RAM") == 0) {
            snprintf(where, sizeof(where), "%s", describe(d.offset));
        } else {
            snprintf(where, sizeof(where), "%s +%llu", d.area, (unsigned long long)d.offset);
        }
        ck_abort_msg("%s: first difference at %s: %#llx, expected %#llx", what, where,
                     (unsigned long long)d.now, (unsigned long long)d.then);
    }
}

/* ---- the differential run ---- */

static void check_invariants(void)
{
    char why[512];
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)),
                  "kernel invariants after the slowpath: %s", why);
}

/* The current thread executes `svc #0` with x0 = cptr, x1 = info, MR i = base + i for i < n (MR4..
 * into its IPC buffer, if any), unused message registers and x6 sentinels, x7 = sysno: its
 * registers as the port's entry leaves them (FaultIP = the svc, NextIP = the next instruction). */
static void enter(int64_t sysno, uint64_t cptr, uint64_t info, unsigned n, uint64_t base)
{
    struct tcb *t = ks.cur_thread;
    ck_assert_msg(t != NULL && thread_state_type(t) == ThreadState_Running,
                  "no running current thread");
    hal_reg_set(&t->arch, REG_X0, cptr);
    hal_reg_set(&t->arch, REG_X1, info);
    for (unsigned i = 0; i < 4; i++) {
        hal_reg_set(&t->arch, REG_X2 + i, i < n ? base + i : SENT(2 + i));
    }
    hal_reg_set(&t->arch, REG_X6, SENT(6));
    hal_reg_set(&t->arch, REG_X7, (uint64_t)sysno);
    seL4_IPCBuffer *b = hostsim_thread_ipc_buffer(VTOP(t));
    for (unsigned i = 4; i < n && i < seL4_MsgMaxLength && b != NULL; i++) {
        b->msg[i] = base + i;
    }
    hostsim_syscall_enter(VTOP(t));
}

enum want { TAKEN, DECLINED, EITHER };

/* Run the system call entered with enter() through the fastpath and, from the same state, through
 * the slowpath; see the top of the file. Leaves the slowpath's result. Returns whether the
 * fastpath took the call. */
static bool differential(int64_t sysno, enum want want)
{
    if (CONFIG_NUM_DOMAINS > 1 && want == TAKEN) {
        want = DECLINED; /* the fastpath leaves every case to the slowpath with several domains */
    }
    ck_assert(sysno == seL4_SysCall || sysno == seL4_SysReplyRecv);
    ck_assert_msg(hal_irq_get_active() == HAL_IRQ_NONE,
                  "an interrupt is pending: the port would take it first");
    struct hostsim_snapshot *before = hostsim_snapshot_take();
    ck_assert_ptr_nonnull(before);
    bool taken = sysno == seL4_SysCall ? fastpath_call() : fastpath_reply_recv();
    struct hostsim_snapshot *fast = NULL;
    if (taken) {
        fast = hostsim_snapshot_take();
        ck_assert_ptr_nonnull(fast);
        kernel_exit();
        assert_same(fast,
                    "the exit path after the fastpath (which aarch64 skips) changed the state");
        ck_assert_int_eq(hostsim_snapshot_restore(before), 0);
        assert_same(before, "restoring the snapshot");
    } else {
        assert_same(before, "the fastpath declined but changed the state");
    }
    ck_assert_msg(want != TAKEN || taken, "the fastpath declined a case it covers");
    ck_assert_msg(want != DECLINED || !taken,
                  "the fastpath took a case it must leave to the slowpath");
    kernel_handle_syscall_slowpath(sysno);
    kernel_exit();
    check_invariants();
    if (taken) {
        assert_same(
            fast, "fastpath and slowpath results differ (slowpath value, expected fastpath value)");
    }
    hostsim_snapshot_free(fast);
    hostsim_snapshot_free(before);
    return taken;
}

/* ---- scenario helpers ---- */

static struct tcb *cur(void) { return ks.cur_thread; }

/* The current thread resumes thread t through the TCB cap in the CSpace they share; then `then`
 * is current. */
static void resume_as_current(uint64_t t, uint64_t then)
{
    uint64_t regs[8] = {t, info_of(TCBResume, 0, 0), 0, 0, 0, 0, 0, (uint64_t)seL4_SysCall};
    ck_assert(hostsim_syscall_as_current(regs, NULL) == HOSTSIM_OK);
    assert_current(then);
}

/* Thread t (current) blocks in Recv on cptr; another thread becomes current. */
static void block_recv(uint64_t t, uint64_t cptr)
{
    uint64_t regs[8];
    fill_msg(regs, t, 0, 0);
    ck_assert_int_eq(sys_as(t, seL4_SysRecv, cptr, SENT(1), regs), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(t), ThreadState_BlockedOnReceive);
}

/* A thread of priority prio (above the root's) that waits in Recv on cptr. */
static uint64_t receiver(uint64_t prio, uint64_t cptr, bool with_buffer)
{
    uint64_t t = start_thread(prio, 0, with_buffer);
    block_recv(t, cptr);
    return t;
}

/* A thread with CSpace root `cnode` (a root slot, used as it is) and VSpace `vspace`, not started.
 */
static uint64_t make_thread_in(uint64_t prio, uint64_t cnode, uint64_t vspace, bool with_buffer)
{
    uint64_t tcb = retype_obj(seL4_TCBObject, 0);
    uint64_t frame = retype_obj(seL4_ARM_SmallPageObject, 0);
    uint64_t words[4] = {0, 0, 0, with_buffer ? 0x10000000ull + 0x1000ull * tcb : 0};
    uint64_t caps[3] = {cnode, vspace, frame};
    OK(ktest_call(tcb, TCBConfigure, 4, words, 3, caps));
    uint64_t auth = seL4_CapInitThreadTCB;
    OK(ktest_call(tcb, TCBSetPriority, 1, &prio, 1, &auth));
    return tcb;
}

/* A VSpace of its own with an ASID from the root's pool. */
static uint64_t new_vspace(void)
{
    uint64_t vs = retype_obj(seL4_ARM_VSpaceObject, 0);
    uint64_t caps[1] = {vs};
    OK(ktest_call(seL4_CapInitThreadASIDPool, ARMASIDPoolAssign, 0, NULL, 1, caps));
    return vs;
}

/* A thread in a VSpace of its own; with `invalid` the VSpace cap is revoked after configuration,
 * which deletes the thread's copy (the thread has no VSpace any more). */
static uint64_t make_thread_own_vspace(uint64_t prio, bool invalid)
{
    uint64_t vs = new_vspace();
    uint64_t t = make_thread_in(prio, ROOT, vs, true);
    if (invalid) {
        OK(ktest_cnode_revoke(ROOT, vs, 64));
        ck_assert_uint_eq(cap_get_cap_type(tcb_ptr(t)->ctes[TCB_VTABLE].cap), cap_null_cap);
    }
    return t;
}

/* Thread t's FPU in use: its FP/SIMD state is not zero; with fpu_disabled also the TCB flag. */
static void use_fpu(uint64_t t, bool fpu_disabled)
{
    struct tcb *p = tcb_ptr(t);
    for (unsigned i = 0; i < sizeof(p->arch.fpsimd) / sizeof(p->arch.fpsimd[0]); i++) {
        p->arch.fpsimd[i] = 0xf00d0000ull + i;
    }
    if (fpu_disabled) {
        uint64_t mrs[2] = {0, seL4_TCBFlag_fpuDisabled};
        OK(ktest_call(t, TCBSetFlags, 2, mrs, 0, NULL));
    }
}

/* A two-level CSpace. L1: 16 slots, guard 0x5a in 8 bits. L1 slot 3: L2 (64 slots) with a 46-bit
 * guard 0, so 8 + 4 + 46 + 6 = 64 bits; L1 slot 4: the same L2 with a 50-bit guard (too deep: 68
 * bits); L1 slot 5: a notification cap; L1 slot 6: an endpoint cap (the lookup stops there, with
 * bits left). L2 slots 0..9: the endpoint cap ep_cap (a root slot); L2 slot 10 stays empty (the
 * too-deep CPtr's L2 guard bits and index are all zero, and a lookup that got the level wrong would
 * find an endpoint, so only the depth check rejects it). Returns
 * the root slot of the guarded L1 cap, the CSpace root for make_thread_in. */
#define CS_GUARD 0x5aull
#define CS_L2(slot) ((CS_GUARD << 56) | (3ull << 52) | (uint64_t)(slot))
#define CS_L2_BAD_GUARD ((0x5bull << 56) | (3ull << 52) | 9ull)
#define CS_L2_TOO_DEEP ((CS_GUARD << 56) | (4ull << 52))
#define CS_L1(slot) ((CS_GUARD << 56) | ((uint64_t)(slot) << 52))
static uint64_t two_level_cspace(uint64_t ep_cap)
{
    uint64_t l1 = retype_obj(seL4_CapTableObject, 4);
    uint64_t l2 = retype_obj(seL4_CapTableObject, 6);
    uint64_t ntfn = retype_obj(seL4_NotificationObject, 0);
    OK(ktest_cnode_mint(l1, 3, 4, ROOT, l2, 64, seL4_AllRights,
                        seL4_CNode_CapData_new(0, 46).words[0]));
    OK(ktest_cnode_mint(l1, 4, 4, ROOT, l2, 64, seL4_AllRights,
                        seL4_CNode_CapData_new(0, 50).words[0]));
    OK(ktest_cnode_copy(l1, 5, 4, ROOT, ntfn, 64, seL4_AllRights));
    OK(ktest_cnode_copy(l1, 6, 4, ROOT, ep_cap, 64, seL4_AllRights));
    for (uint64_t i = 0; i < 10; i++) {
        OK(ktest_cnode_copy(l2, i, 6, ROOT, ep_cap, 64, seL4_AllRights));
    }
    return mint(l1, seL4_AllRights, seL4_CNode_CapData_new(CS_GUARD, 8).words[0]);
}

/* The current thread Calls cptr with n words; the result is the differential's. */
static bool call_diff(uint64_t cptr, uint64_t label, unsigned n, unsigned ncaps, enum want want)
{
    enter(seL4_SysCall, cptr, info_of(label, ncaps, n), n, 0xca110000ull + 0x100 * n);
    return differential(seL4_SysCall, want);
}

static bool reply_recv_diff(uint64_t cptr, uint64_t label, unsigned n, unsigned ncaps,
                            enum want want)
{
    enter(seL4_SysReplyRecv, cptr, info_of(label, ncaps, n), n, 0x4e9170000ull + 0x100 * n);
    return differential(seL4_SysReplyRecv, want);
}

/* A message info word as a thread may pass it: any label (52 bits), and capsUnwrapped bits set
 * (the kernel ignores them on the way in and sets them on the way out). The fastpath takes only
 * capsUnwrapped 0 (what libsel4 sends), so it can pass the word on unchanged; the slowpath clears
 * the bits. */
static uint64_t raw_info(uint64_t label, uint64_t unwrapped, unsigned n)
{
    seL4_MessageInfo_t info = seL4_MessageInfo_new(label, 0, 0, n);
    return seL4_MessageInfo_set_capsUnwrapped(info, unwrapped).words[0];
}

/* ---- Call: cases the fastpath takes ---- */

/* Receiver (priority 200) waits on ep; a caller (100) sends n words with a badged cap. */
START_TEST(test_call_lengths)
{
    unsigned n = (unsigned)_i;
    uint64_t badged = mint(ep, seL4_AllRights, 0x1234 + n);
    uint64_t r = receiver(200, ep, true);
    start_thread(100, 0, true);
    call_diff(badged, 0x77 + n, n, 0, TAKEN);
    assert_current(r);
    ck_assert_uint_eq(reg_of(r, REG_X0), 0x1234 + n);
    ck_assert_uint_eq(length_of(reg_of(r, REG_X1)), n);
}
END_TEST

/* The caller's cap rights (Grant, GrantReply, both; Read or not) and badge, crossed with the
 * receiver's Recv cap with or without Grant (the reply cap's Grant bit). */
START_TEST(test_call_rights)
{
    static const uint64_t rights[] = {
        seL4_AllRights,
        seL4_CanWrite | seL4_CanGrant,
        seL4_CanWrite | seL4_CanGrantReply,
        seL4_CanWrite | seL4_CanRead | seL4_CanGrantReply,
    };
    static const uint64_t badges[] = {0, 1, 0xfffffffffffffull, 0xabcdef};
    uint64_t call_cap = mint(ep, rights[_i % 4], badges[_i % 4]);
    uint64_t recv_cap = mint(ep, _i / 4 ? seL4_CanRead : seL4_AllRights, 0);
    uint64_t r = receiver(200, recv_cap, true);
    start_thread(100, 0, true);
    call_diff(call_cap, 0xfff, 2, 0, TAKEN);
    ck_assert_uint_eq(cap_reply_cap_get_can_grant(tcb_ptr(r)->ctes[TCB_CALLER].cap),
                      _i / 4 ? 0 : 1);
}
END_TEST

/* The caller's message info has the largest label (taken), or capsUnwrapped bits (declined). */
START_TEST(test_call_raw_info)
{
    uint64_t r = receiver(200, ep, true);
    start_thread(100, 0, true);
    uint64_t unwrapped = _i & 2 ? 7 : 0;
    enter(seL4_SysCall, ep, raw_info(_i & 1 ? MASK(52) : 0x55, unwrapped, 2), 2, 0x800);
    differential(seL4_SysCall, unwrapped ? DECLINED : TAKEN);
    ck_assert_uint_eq(unwrapped_of(reg_of(r, REG_X1)), 0);
    ck_assert_uint_eq(seL4_MessageInfo_get_label((seL4_MessageInfo_t){{reg_of(r, REG_X1)}}),
                      _i & 1 ? MASK(52) : 0x55);
}
END_TEST

/* Another thread of the caller's priority is runnable (in the ready queue): the receiver, of the
 * same priority, still runs at once. */
START_TEST(test_call_ready_queue)
{
    receiver(100, ep, true);
    uint64_t c = make_thread(100, 0, true);
    uint64_t x = start_thread(100, 0, true);
    resume_as_current(c, x); /* equal priority: c is queued, x keeps running */
    uint64_t regs[8];
    fill_msg(regs, x, 0, 0);
    ck_assert_int_eq(sys_as(x, seL4_SysYield, 0, 0, regs), HOSTSIM_OK);
    assert_current(c);
    call_diff(ep, 1, 2, 0, TAKEN);
    ck_assert(tcb_ptr(x)->sched_queued);
}
END_TEST

/* Receiver priority equal to the caller's, and the highest. */
START_TEST(test_call_priorities)
{
    static const uint64_t prios[][2] = {{100, 100}, {255, 11}, {101, 100}};
    receiver(prios[_i][0], ep, true);
    start_thread(prios[_i][1], 0, true);
    call_diff(ep, 1, 1, 0, TAKEN);
}
END_TEST

/* Without an IPC buffer: the receiver's, the caller's. */
START_TEST(test_call_no_buffers)
{
    receiver(200, ep, _i != 0);
    start_thread(100, 0, _i == 0);
    call_diff(ep, 1, 4, 0, TAKEN);
}
END_TEST

/* The receiver runs in another address space. */
START_TEST(test_call_other_vspace)
{
    uint64_t r = make_thread_own_vspace(200, false);
    resume(r);
    block_recv(r, ep);
    start_thread(100, 0, true);
    call_diff(ep, 3, 3, 0, TAKEN);
}
END_TEST

/* More receivers queued: the first is dequeued, the endpoint stays in the receive state. */
START_TEST(test_call_queued_receivers)
{
    uint64_t r1 = receiver(200, ep, true);
    uint64_t r2 = receiver(210, ep, true);
    uint64_t r3 = receiver(220, ep, true);
    start_thread(100, 0, true);
    call_diff(ep, 1, 2, 0, TAKEN);
    assert_current(r1);
    ck_assert_uint_eq(state_of(r2), ThreadState_BlockedOnReceive);
    ck_assert_uint_eq(state_of(r3), ThreadState_BlockedOnReceive);
}
END_TEST

/* The root thread calls (after a first Call, made by the slowpath, gave it a master reply cap). */
START_TEST(test_call_root_second_time)
{
    uint64_t r = receiver(200, ep, true);
    uint64_t regs[8] = {ep, info_of(1, 0, 0), 0, 0, 0, 0, 0, (uint64_t)seL4_SysCall};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_BLOCKED);
    uint64_t rr[8];
    fill_msg(rr, r, 0, 0);
    ck_assert_int_eq(sys_as(r, seL4_SysReplyRecv, ep, info_of(0, 0, 0), rr), HOSTSIM_BLOCKED);
    assert_current(seL4_CapInitThreadTCB);
    ck_assert_uint_eq(cap_get_cap_type(ks.root_thread->ctes[TCB_REPLY].cap), cap_reply_cap);
    call_diff(ep, 2, 4, 0, TAKEN);
}
END_TEST

/* The caller's CSpace has two levels and a guard: the endpoint cap in L2, or in L1 with bits left.
 */
START_TEST(test_call_two_level_cspace)
{
    uint64_t cs = two_level_cspace(ep);
    receiver(200, ep, true);
    resume(make_thread_in(100, cs, seL4_CapInitThreadVSpace, true));
    call_diff(_i ? CS_L1(6) : CS_L2(9), 5, 4, 0, TAKEN);
}
END_TEST

/* Conditions the fastpath may cover or not: the receiver has no valid VSpace, uses the FPU, has
 * the FPU disabled; the caller uses the FPU. */
START_TEST(test_call_vspace_fpu_either)
{
    uint64_t r = _i == 0 ? make_thread_own_vspace(200, true) : make_thread(200, 0, true);
    if (_i == 1 || _i == 2) {
        use_fpu(r, _i == 2);
    }
    resume(r);
    block_recv(r, ep);
    uint64_t c = start_thread(100, 0, true);
    if (_i == 3) {
        use_fpu(c, false);
    }
    call_diff(ep, 1, 3, 0, EITHER);
}
END_TEST

/* ---- Call: conditions the fastpath declines ---- */

START_TEST(test_call_decline_message)
{
    /* Extra caps (1..3, the cap in the buffer), or more than four words (5, the maximum, beyond).
     */
    static const unsigned cases[][2] = {{1, 1}, {3, 0}, {0, 5}, {0, 120}, {0, 127}};
    receiver(200, ep, true);
    uint64_t c = start_thread(100, 0, true);
    buf_of(c)->caps_or_badges[0] = ep;
    buf_of(c)->caps_or_badges[1] = ep;
    buf_of(c)->caps_or_badges[2] = ep;
    call_diff(ep, 1, cases[_i][1], cases[_i][0], DECLINED);
}
END_TEST

START_TEST(test_call_decline_lookup)
{
    uint64_t empty = alloc_slot();
    receiver(200, ep, true);
    start_thread(100, 0, true);
    /* An empty slot; a CPtr whose guard (the root CNode's 52 zero bits) does not match. */
    call_diff(_i ? (1ull << 63) | ep : empty, 1, 1, 0, DECLINED);
}
END_TEST

START_TEST(test_call_decline_lookup_two_level)
{
    static const uint64_t cptrs[] = {CS_L2_BAD_GUARD, CS_L2(10), CS_L2_TOO_DEEP, CS_L1(5),
                                     CS_L1(7)};
    uint64_t cs = two_level_cspace(ep);
    receiver(200, ep, true);
    resume(make_thread_in(100, cs, seL4_CapInitThreadVSpace, true));
    call_diff(cptrs[_i], 1, 1, 0, DECLINED);
}
END_TEST

/* The cap: not an endpoint; no Send right; neither Grant nor GrantReply. */
START_TEST(test_call_decline_cap)
{
    uint64_t cap;
    if (_i == 0) {
        cap = retype_obj(seL4_NotificationObject, 0);
    } else if (_i == 1) {
        cap = mint(ep, seL4_CanRead | seL4_CanGrant | seL4_CanGrantReply, 5);
    } else if (_i == 2) {
        cap = mint(ep, seL4_CanWrite | seL4_CanRead, 5);
    } else {
        cap = seL4_CapInitThreadTCB; /* an invocation: another kernel object */
    }
    receiver(200, ep, true);
    start_thread(100, 0, true);
    call_diff(cap, 1, 1, 0, DECLINED);
}
END_TEST

/* Nobody waits: the endpoint is idle, or senders are queued on it. */
START_TEST(test_call_decline_no_receiver)
{
    if (_i) {
        uint64_t s = start_thread(150, 0, true);
        uint64_t regs[8];
        fill_msg(regs, s, 0x10, 1);
        ck_assert_int_eq(sys_as(s, seL4_SysSend, ep, info_of(1, 0, 1), regs), HOSTSIM_BLOCKED);
    }
    start_thread(100, 0, true);
    call_diff(ep, 1, 1, 0, DECLINED);
}
END_TEST

START_TEST(test_call_decline_lower_priority_receiver)
{
    receiver(_i ? 11 : 99, ep, true);
    start_thread(100, 0, true);
    call_diff(ep, 1, 1, 0, DECLINED);
}
END_TEST

/* The caller has a fault word left from a fault it sent, then was resumed: a Call from it carries
 * that fault (seL4 sends tcbFault while it is set), which only the slowpath does. */
START_TEST(test_call_decline_stale_fault)
{
    uint64_t fault_ep = retype_obj(seL4_EndpointObject, 0); /* nobody receives on it */
    receiver(200, ep, true);
    uint64_t c = make_thread(100, fault_ep, true);
    resume(c);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_DATA, 0xdead000, 0x92000007),
                     HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(c), ThreadState_BlockedOnSend);
    resume(c); /* cancels the fault IPC; the fault word stays */
    ck_assert_uint_ne(tcb_ptr(c)->fault[0], seL4_Fault_NullFault);
    assert_current(c);
    call_diff(ep, 1, 2, 0, DECLINED);
}
END_TEST

/* The root thread has no master reply cap before its first Call. */
START_TEST(test_call_decline_no_master_reply)
{
    receiver(200, ep, true);
    assert_current(seL4_CapInitThreadTCB);
    ck_assert_uint_eq(cap_get_cap_type(ks.root_thread->ctes[TCB_REPLY].cap), cap_null_cap);
    call_diff(ep, 1, 2, 0, DECLINED);
}
END_TEST

/* ---- ReplyRecv ---- */

/* Server s (priority sp) waits in Recv on recv_cap; client c (cp) Calls call_cap with two words;
 * s is then current with a reply cap to c. */
static void serve(uint64_t *s, uint64_t *c, uint64_t sp, uint64_t cp, uint64_t recv_cap,
                  uint64_t call_cap)
{
    *s = receiver(sp, recv_cap, true);
    *c = start_thread(cp, 0, true);
    uint64_t regs[8];
    fill_msg(regs, *c, 0x500, 2);
    ck_assert_int_eq(sys_as(*c, seL4_SysCall, call_cap, info_of(3, 0, 2), regs), HOSTSIM_BLOCKED);
    assert_current(*s);
    ck_assert_uint_eq(cap_get_cap_type(cur()->ctes[TCB_CALLER].cap), cap_reply_cap);
}

START_TEST(test_reply_recv_lengths)
{
    unsigned n = (unsigned)_i;
    uint64_t s, c;
    serve(&s, &c, 100, 200, ep, ep);
    reply_recv_diff(ep, 0x99 + n, n, 0, TAKEN);
    assert_current(c);
    ck_assert_uint_eq(length_of(reg_of(c, REG_X1)), n);
    ck_assert_uint_eq(state_of(s), ThreadState_BlockedOnReceive);
}
END_TEST

/* The server's message info has the largest label (taken), or capsUnwrapped bits (declined). */
START_TEST(test_reply_recv_raw_info)
{
    uint64_t s, c;
    serve(&s, &c, 100, 200, ep, ep);
    uint64_t unwrapped = _i & 2 ? 5 : 0;
    enter(seL4_SysReplyRecv, ep, raw_info(_i & 1 ? MASK(52) : 0x55, unwrapped, 3), 3, 0x900);
    differential(seL4_SysReplyRecv, unwrapped ? DECLINED : TAKEN);
    ck_assert_uint_eq(unwrapped_of(reg_of(c, REG_X1)), 0);
    ck_assert_uint_eq(seL4_MessageInfo_get_label((seL4_MessageInfo_t){{reg_of(c, REG_X1)}}),
                      _i & 1 ? MASK(52) : 0x55);
}
END_TEST

/* Another thread of the server's priority is runnable (in the ready queue) when it replies. */
START_TEST(test_reply_recv_ready_queue)
{
    uint64_t x = make_thread(100, 0, true);
    uint64_t s, c;
    serve(&s, &c, 100, 200, ep, ep);
    resume_as_current(x, s); /* equal priority: x is queued, s keeps running */
    ck_assert(tcb_ptr(x)->sched_queued);
    reply_recv_diff(ep, 1, 2, 0, TAKEN);
    assert_current(c);
}
END_TEST

/* The client's priority: equal to the server's, above it, the highest. */
START_TEST(test_reply_recv_priorities)
{
    static const uint64_t prios[][2] = {{100, 100}, {100, 200}, {11, 255}};
    uint64_t s, c;
    serve(&s, &c, prios[_i][0], prios[_i][1], ep, ep);
    reply_recv_diff(ep, 1, 1, 0, TAKEN);
}
END_TEST

/* The server received through a cap with Grant (the reply cap grants) or without; it waits again
 * through a cap with or without Grant, badged or not, on the same endpoint or another one. */
START_TEST(test_reply_recv_rights)
{
    uint64_t ep2 = retype_obj(seL4_EndpointObject, 0);
    uint64_t first = mint(ep, _i & 1 ? seL4_CanRead : seL4_AllRights, 0);
    uint64_t again =
        mint(_i & 4 ? ep2 : ep, _i & 2 ? seL4_CanRead : seL4_AllRights, _i & 2 ? 0 : 0x42);
    uint64_t s, c;
    serve(&s, &c, 100, 200, first, ep);
    ck_assert_uint_eq(cap_reply_cap_get_can_grant(cur()->ctes[TCB_CALLER].cap), _i & 1 ? 0 : 1);
    reply_recv_diff(again, 7, 3, 0, TAKEN);
}
END_TEST

/* Other servers already wait on the endpoint the server waits on next (it was called on another
 * one): it joins the queue at its tail. */
START_TEST(test_reply_recv_queued_receivers)
{
    uint64_t ep2 = retype_obj(seL4_EndpointObject, 0);
    for (uint64_t i = 0; i < (uint64_t)_i + 1; i++) {
        receiver(150 + i, ep, true);
    }
    uint64_t s, c;
    serve(&s, &c, 100, 120, ep2, ep2);
    reply_recv_diff(ep, 1, 2, 0, TAKEN);
    endpoint_t *e = PTOV(endpoint_t, cap_endpoint_cap_get_ptr(root_slot(ep)->cap));
    ck_assert_uint_eq(endpoint_get_queue_tail(*e), thread_of(s));
}
END_TEST

/* The server has a bound notification that is idle (no signal pending). */
START_TEST(test_reply_recv_bound_idle)
{
    uint64_t ntfn = retype_obj(seL4_NotificationObject, 0);
    uint64_t s = make_thread(100, 0, true);
    OK(ktest_call(s, TCBBindNotification, 0, NULL, 1, &ntfn));
    resume(s);
    block_recv(s, ep);
    uint64_t c = start_thread(200, 0, true);
    uint64_t regs[8];
    fill_msg(regs, c, 0x500, 2);
    ck_assert_int_eq(sys_as(c, seL4_SysCall, ep, info_of(3, 0, 2), regs), HOSTSIM_BLOCKED);
    assert_current(s);
    reply_recv_diff(ep, 1, 2, 0, TAKEN);
}
END_TEST

/* The client runs in another address space. */
START_TEST(test_reply_recv_other_vspace)
{
    uint64_t s = receiver(100, ep, true);
    uint64_t c = make_thread_own_vspace(200, false);
    resume(c);
    uint64_t regs[8];
    fill_msg(regs, c, 0x500, 2);
    ck_assert_int_eq(sys_as(c, seL4_SysCall, ep, info_of(3, 0, 2), regs), HOSTSIM_BLOCKED);
    assert_current(s);
    reply_recv_diff(ep, 1, 4, 0, TAKEN);
}
END_TEST

/* The server's CSpace has two levels and a guard. */
START_TEST(test_reply_recv_two_level_cspace)
{
    uint64_t cs = two_level_cspace(ep);
    uint64_t s = make_thread_in(100, cs, seL4_CapInitThreadVSpace, true);
    resume(s);
    block_recv(s, CS_L2(9));
    uint64_t c = start_thread(200, 0, true);
    uint64_t regs[8];
    fill_msg(regs, c, 0x500, 2);
    ck_assert_int_eq(sys_as(c, seL4_SysCall, ep, info_of(3, 0, 2), regs), HOSTSIM_BLOCKED);
    assert_current(s);
    reply_recv_diff(_i ? CS_L1(6) : CS_L2(9), 1, 3, 0, TAKEN);
}
END_TEST

/* The client has no valid VSpace, uses the FPU, has it disabled; the server uses the FPU. */
START_TEST(test_reply_recv_vspace_fpu_either)
{
    uint64_t s = receiver(100, ep, true);
    uint64_t c = _i == 0 ? make_thread_own_vspace(200, true) : make_thread(200, 0, true);
    if (_i == 1 || _i == 2) {
        use_fpu(c, _i == 2);
    }
    resume(c);
    uint64_t regs[8];
    fill_msg(regs, c, 0x500, 2);
    ck_assert_int_eq(sys_as(c, seL4_SysCall, ep, info_of(3, 0, 2), regs), HOSTSIM_BLOCKED);
    assert_current(s);
    if (_i == 3) {
        use_fpu(s, false);
    }
    reply_recv_diff(ep, 1, 2, 0, EITHER);
}
END_TEST

/* ---- ReplyRecv: conditions the fastpath declines ---- */

START_TEST(test_reply_recv_decline_message)
{
    static const unsigned cases[][2] = {{1, 1}, {2, 0}, {0, 5}, {0, 120}};
    uint64_t s, c;
    serve(&s, &c, 100, 200, ep, ep);
    buf_of(s)->caps_or_badges[0] = ep;
    buf_of(s)->caps_or_badges[1] = ep;
    reply_recv_diff(ep, 1, cases[_i][1], cases[_i][0], DECLINED);
}
END_TEST

/* The receive cap: an empty slot, a bad guard, not an endpoint, an endpoint without Receive. */
START_TEST(test_reply_recv_decline_cap)
{
    uint64_t empty = alloc_slot();
    uint64_t ntfn = retype_obj(seL4_NotificationObject, 0);
    uint64_t wo = mint(ep, seL4_CanWrite | seL4_CanGrant | seL4_CanGrantReply, 0);
    const uint64_t cptrs[] = {empty, (1ull << 63) | ep, ntfn, wo};
    uint64_t s, c;
    serve(&s, &c, 100, 200, ep, ep);
    reply_recv_diff(cptrs[_i], 1, 1, 0, DECLINED);
}
END_TEST

START_TEST(test_reply_recv_decline_two_level)
{
    static const uint64_t cptrs[] = {CS_L2_BAD_GUARD, CS_L2(10), CS_L2_TOO_DEEP, CS_L1(5)};
    uint64_t cs = two_level_cspace(ep);
    uint64_t s = make_thread_in(100, cs, seL4_CapInitThreadVSpace, true);
    resume(s);
    block_recv(s, CS_L2(9));
    uint64_t c = start_thread(200, 0, true);
    uint64_t regs[8];
    fill_msg(regs, c, 0x500, 2);
    ck_assert_int_eq(sys_as(c, seL4_SysCall, ep, info_of(3, 0, 2), regs), HOSTSIM_BLOCKED);
    assert_current(s);
    reply_recv_diff(cptrs[_i], 1, 1, 0, DECLINED);
}
END_TEST

/* A sender waits on the endpoint the server receives on: the receive takes it at once. */
START_TEST(test_reply_recv_decline_sender_waiting)
{
    uint64_t d = make_thread(150, 0, true);
    uint64_t s, c;
    serve(&s, &c, 100, 120, ep, ep);
    resume_as_current(d, d); /* d runs at once */
    uint64_t regs[8];
    fill_msg(regs, d, 0x700, 1);
    ck_assert_int_eq(sys_as(d, _i ? seL4_SysCall : seL4_SysSend, ep, info_of(1, 0, 1), regs),
                     HOSTSIM_BLOCKED);
    assert_current(s);
    reply_recv_diff(ep, 1, 1, 0, DECLINED);
}
END_TEST

/* A signal is pending on the server's bound notification: the receive returns it. */
START_TEST(test_reply_recv_decline_bound_signal)
{
    uint64_t ntfn = retype_obj(seL4_NotificationObject, 0);
    uint64_t s = make_thread(100, 0, true);
    OK(ktest_call(s, TCBBindNotification, 0, NULL, 1, &ntfn));
    resume(s);
    block_recv(s, ep);
    uint64_t c = start_thread(200, 0, true);
    uint64_t regs[8];
    fill_msg(regs, c, 0x500, 2);
    ck_assert_int_eq(sys_as(c, seL4_SysCall, ep, info_of(3, 0, 2), regs), HOSTSIM_BLOCKED);
    assert_current(s);
    fill_msg(regs, s, 0, 0);
    ck_assert_int_eq(sys_as(s, seL4_SysSend, ntfn, info_of(0, 0, 0), regs),
                     HOSTSIM_OK); /* Signal */
    reply_recv_diff(ep, 1, 1, 0, DECLINED);
}
END_TEST

/* No reply cap in the caller slot: the server never received, or received a Send. */
START_TEST(test_reply_recv_decline_no_reply_cap)
{
    uint64_t s;
    if (_i == 0) {
        s = start_thread(200, 0, true);
    } else {
        s = receiver(200, ep, true);
        uint64_t d = start_thread(100, 0, true);
        uint64_t regs[8];
        fill_msg(regs, d, 0x700, 1);
        ck_assert_int_eq(sys_as(d, seL4_SysSend, ep, info_of(1, 0, 1), regs), HOSTSIM_OK);
    }
    assert_current(s);
    ck_assert_uint_eq(cap_get_cap_type(cur()->ctes[TCB_CALLER].cap), cap_null_cap);
    reply_recv_diff(ep, 1, 1, 0, DECLINED);
}
END_TEST

/* The reply answers a fault (the client's fault went to the server through its fault endpoint). */
START_TEST(test_reply_recv_decline_fault_reply)
{
    uint64_t s = receiver(100, ep, true);
    uint64_t c = make_thread(200, ep, true);
    resume(c);
    if (_i == 0) {
        ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_DATA, 0xdead000, 0x92000007),
                         HOSTSIM_BLOCKED);
    } else {
        uint64_t regs[8];
        fill_msg(regs, c, 0, 0);
        ck_assert_int_eq(sys_as(c, 42, 0, 0, regs), HOSTSIM_BLOCKED); /* an unknown system call */
    }
    assert_current(s);
    ck_assert_uint_eq(cap_get_cap_type(cur()->ctes[TCB_CALLER].cap), cap_reply_cap);
    reply_recv_diff(ep, 0, _i ? 2 : 0, 0, DECLINED);
}
END_TEST

START_TEST(test_reply_recv_decline_lower_priority_client)
{
    uint64_t s, c;
    serve(&s, &c, 200, _i ? 11 : 199, ep, ep);
    reply_recv_diff(ep, 1, 1, 0, DECLINED);
}
END_TEST

/* ---- a round trip: Call and ReplyRecv alternate, each through the differential ---- */

START_TEST(test_round_trips)
{
    uint64_t s = receiver(100, ep, true);
    uint64_t c = start_thread(100, 0, true);
    for (unsigned i = 0; i < 6; i++) {
        assert_current(c);
        call_diff(ep, i, i % 5, 0, TAKEN);
        assert_current(s);
        reply_recv_diff(ep, i, (i + 2) % 5, 0, TAKEN);
    }
}
END_TEST

/* ---- a pseudo-random mix ---- */

static uint64_t rng_state;
static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng_state >> 33) % n);
}

/* Servers wait on two endpoints through caps of assorted rights and badges; clients of assorted
 * priorities start one by one (the root restarts one when it runs again). Whichever thread is
 * current makes its next system call: a server
 * ReplyRecv, a client Call, with a random cap, length (sometimes over four) and extra caps (now and
 * then), each through the differential; the fastpath may take or decline each one. */
START_TEST(test_random_mix)
{
    rng_state = 0x9e3779b97f4a7c15ull * (uint64_t)(_i + 1);
    static const uint64_t rights[] = {seL4_AllRights,
                                      seL4_CanRead | seL4_CanWrite | seL4_CanGrantReply,
                                      seL4_CanWrite | seL4_CanGrant, seL4_CanRead, seL4_CanWrite};
    static const uint64_t prios[] = {50, 100, 100, 150, 200};
    uint64_t ep2 = retype_obj(seL4_EndpointObject, 0);
    uint64_t caps[8];
    for (unsigned i = 0; i < 8; i++) {
        caps[i] = mint(i % 2 ? ep2 : ep, rnd(2) ? seL4_AllRights : rights[rnd(5)],
                       rnd(3) ? rnd(1000) : 0);
    }
    uint64_t servers[3], clients[4];
    for (unsigned i = 0; i < 3; i++) {
        servers[i] = receiver(prios[rnd(5)], i % 2 ? ep2 : ep, true);
    }
    for (unsigned i = 0; i < 4; i++) {
        clients[i] = make_thread(prios[rnd(5)], 0, rnd(4) != 0);
    }
    unsigned started = 0, calls = 0;
    for (unsigned step = 0; step < 60; step++) {
        uint64_t cur_pa = hostsim_current_thread();
        if (cur_pa == 0) {
            break; /* idle */
        }
        if (cur_pa == hostsim_root_thread()) {
            /* Start the next client, or restart one (cancelling its IPC, if it waits). */
            resume(clients[started < 4 ? started++ : rnd(4)]);
            continue;
        }
        bool is_server = false;
        for (unsigned i = 0; i < 3; i++) {
            is_server |= thread_of(servers[i]) == cur_pa;
        }
        unsigned n = rnd(8) == 0 ? 5 + rnd(3) : rnd(5);
        unsigned ncaps = rnd(10) == 0 ? 1 : 0;
        seL4_IPCBuffer *b = hostsim_thread_ipc_buffer(cur_pa);
        if (b != NULL) {
            b->caps_or_badges[0] = caps[rnd(8)];
        }
        uint64_t cptr = rnd(16) == 0 ? alloc_slot() : caps[rnd(8)];
        int64_t sysno = is_server ? seL4_SysReplyRecv : seL4_SysCall;
        enter(sysno, cptr, info_of(rnd(100), ncaps, n), n, 0x10000ull * step);
        differential(sysno, EITHER); /* the fastpath took 2-23 of 37-57 per seed when written */
        calls++;
    }
    ck_assert_uint_gt(calls, 0);
}
END_TEST

static Suite *fastpath_suite(void)
{
    Suite *s = suite_create("fastpath");
    TCase *tc = tcase(s, "call");
    tcase_add_loop_test(tc, test_call_lengths, 0, 5);
    tcase_add_loop_test(tc, test_call_rights, 0, 8);
    tcase_add_loop_test(tc, test_call_priorities, 0, 3);
    tcase_add_loop_test(tc, test_call_raw_info, 0, 4);
    tcase_add_test(tc, test_call_ready_queue);
    tcase_add_loop_test(tc, test_call_no_buffers, 0, 2);
    tcase_add_test(tc, test_call_other_vspace);
    tcase_add_test(tc, test_call_queued_receivers);
    tcase_add_test(tc, test_call_root_second_time);
    tcase_add_loop_test(tc, test_call_two_level_cspace, 0, 2);
    tcase_add_loop_test(tc, test_call_vspace_fpu_either, 0, 4);
    tc = tcase(s, "call_declined");
    tcase_add_loop_test(tc, test_call_decline_message, 0, 5);
    tcase_add_loop_test(tc, test_call_decline_lookup, 0, 2);
    tcase_add_loop_test(tc, test_call_decline_lookup_two_level, 0, 5);
    tcase_add_loop_test(tc, test_call_decline_cap, 0, 4);
    tcase_add_loop_test(tc, test_call_decline_no_receiver, 0, 2);
    tcase_add_loop_test(tc, test_call_decline_lower_priority_receiver, 0, 2);
    tcase_add_test(tc, test_call_decline_stale_fault);
    tcase_add_test(tc, test_call_decline_no_master_reply);
    tc = tcase(s, "reply_recv");
    tcase_add_loop_test(tc, test_reply_recv_lengths, 0, 5);
    tcase_add_loop_test(tc, test_reply_recv_priorities, 0, 3);
    tcase_add_loop_test(tc, test_reply_recv_raw_info, 0, 4);
    tcase_add_test(tc, test_reply_recv_ready_queue);
    tcase_add_loop_test(tc, test_reply_recv_rights, 0, 8);
    tcase_add_loop_test(tc, test_reply_recv_queued_receivers, 0, 2);
    tcase_add_test(tc, test_reply_recv_bound_idle);
    tcase_add_test(tc, test_reply_recv_other_vspace);
    tcase_add_loop_test(tc, test_reply_recv_two_level_cspace, 0, 2);
    tcase_add_loop_test(tc, test_reply_recv_vspace_fpu_either, 0, 4);
    tcase_add_test(tc, test_round_trips);
    tc = tcase(s, "random_mix");
    tcase_add_loop_test(tc, test_random_mix, 0,
                        RUNNING_ON_VALGRIND ? 4 : 16); /* memcheck: 4 of the 16 seeds */
    tc = tcase(s, "reply_recv_declined");
    tcase_add_loop_test(tc, test_reply_recv_decline_message, 0, 4);
    tcase_add_loop_test(tc, test_reply_recv_decline_cap, 0, 4);
    tcase_add_loop_test(tc, test_reply_recv_decline_two_level, 0, 4);
    tcase_add_loop_test(tc, test_reply_recv_decline_sender_waiting, 0, 2);
    tcase_add_test(tc, test_reply_recv_decline_bound_signal);
    tcase_add_loop_test(tc, test_reply_recv_decline_no_reply_cap, 0, 2);
    tcase_add_loop_test(tc, test_reply_recv_decline_fault_reply, 0, 2);
    tcase_add_loop_test(tc, test_reply_recv_decline_lower_priority_client, 0, 2);
    return s;
}

int main(void) { return ktest_run(fastpath_suite()); }

#else /* !CONFIG_FASTPATH || CONFIG_KERNEL_MCS */

/* -Dfastpath=false: there is no fastpath to compare; the conformance suite covers the slowpath.
 * -Dmcs=true: tests/mcs/check_fastpath_mcs.c compares the MCS fastpath. */
START_TEST(test_no_fastpath) { ck_assert(true); }
END_TEST

int main(void)
{
    Suite *s = suite_create("fastpath");
    TCase *tc = tcase_create("disabled");
    tcase_add_test(tc, test_no_fastpath);
    suite_add_tcase(s, tc);
    return ktest_run(s);
}

#endif
