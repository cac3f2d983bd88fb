/* SPDX-License-Identifier: BSD-2-Clause */
/* The MCS IPC fastpath (core/kernel/fastpath.c, docs/mcs.md#the-fastpath) against the MCS
 * slowpath, differentially, as tests/unit/check_fastpath.c does for the base configuration: each
 * case sets up a Call or ReplyRecv between puppet threads with scheduling contexts and reply
 * objects, snapshots the machine (simulated RAM with every object, ks, the scheduler's state with
 * the clock, what is owed and the release queue), runs fastpath_call() / fastpath_reply_recv(),
 * snapshots the result, goes back, runs kernel_handle_syscall_slowpath() and the exit, and requires
 * the two results to be byte for byte identical. What the fastpath leaves must be final (the exit
 * after it changes nothing, as aarch64 skips it); a case it declines must leave the machine as it
 * was. Every slowpath result passes the invariant checker. Taken cases are asserted taken and the
 * conditions seL4-MCS's fastpath leaves to the slowpath are asserted declined. */
#include "mcs_puppets.h"

#include <stdio.h>

#include <kaal/fastpath.h>
#include <kaal/sched.h>
#include <kaal/sporadic.h>

/* ---- the differential run ---- */

#define FIELD(f)                                                  \
    {                                                             \
#f, offsetof(struct tcb, f), sizeof(((struct tcb *)0)->f) \
    }
static const struct {
    const char *name;
    size_t offset, size;
} tcb_fields[] = {
    FIELD(state),    FIELD(priority), FIELD(sched_next),   FIELD(sched_prev),
    FIELD(ep_next),  FIELD(ep_prev),  FIELD(sched_queued), FIELD(sched_context),
    FIELD(yield_to), FIELD(reply),    FIELD(fault),        FIELD(arch.regs),
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
        const char *name = "?";
        for (size_t i = 0; i < sizeof(tcb_fields) / sizeof(tcb_fields[0]); i++) {
            if (off >= tcb_fields[i].offset && off < tcb_fields[i].offset + tcb_fields[i].size) {
                name = tcb_fields[i].name;
            }
        }
        snprintf(buf, sizeof(buf), "TCB %#llx (priority %llu) +%zu: %s", (unsigned long long)base,
                 (unsigned long long)t->priority, off, name);
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

/* The current thread executes `svc #0` with x0 = cptr, x1 = info, MR i = base + i (i < n; the
 * rest sentinels), x6 = x6, x7 = sysno, as the port's entry leaves it. */
static void enter(int64_t sysno, uint64_t cptr, uint64_t info, uint64_t x6, unsigned n,
                  uint64_t base)
{
    struct tcb *t = ks.cur_thread;
    ck_assert_msg(t != NULL && thread_state_type(t) == ThreadState_Running,
                  "no running current thread");
    hal_reg_set(&t->arch, REG_X0, cptr);
    hal_reg_set(&t->arch, REG_X1, info);
    for (unsigned i = 0; i < 4; i++) {
        hal_reg_set(&t->arch, REG_X2 + i, i < n ? base + i : SENT(2 + i));
    }
    hal_reg_set(&t->arch, REG_X6, x6);
    hal_reg_set(&t->arch, REG_X7, (uint64_t)sysno);
    hostsim_syscall_enter(VTOP(t));
}

enum want { TAKEN, DECLINED };

/* Run the system call entered with enter() through the fastpath and, from the same state, through
 * the slowpath (see the top of the file). Leaves the slowpath's result. */
static void differential(int64_t sysno, enum want want)
{
    if (CONFIG_NUM_DOMAINS > 1) {
        want = DECLINED; /* the fastpath leaves every case to the slowpath with several domains */
    }
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
        assert_same(fast, "the exit path after the fastpath (which aarch64 skips) changed state");
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
    assert_inv();
    if (taken) {
        assert_same(
            fast, "fastpath and slowpath results differ (slowpath value, expected fastpath value)");
    }
    hostsim_snapshot_free(fast);
    hostsim_snapshot_free(before);
}

static void call_diff(uint64_t cptr, unsigned n, enum want want)
{
    enter(seL4_SysCall, cptr, info_of(0x51 + n, 0, n), SENT(6), n, 0xca110000ull + 0x100 * n);
    differential(seL4_SysCall, want);
}

static void reply_recv_diff(uint64_t cptr, uint64_t reply, unsigned n, enum want want)
{
    enter(seL4_SysReplyRecv, cptr, info_of(0x61 + n, 0, n), reply, n, 0x4e9170000ull + 0x100 * n);
    differential(seL4_SysReplyRecv, want);
}

/* ---- scenario helpers ---- */

/* A running client of priority prio on a round-robin SC of its own: it is current after this. */
static uint64_t client(uint64_t prio)
{
    uint64_t c = make_thread(prio, NONE_SLOT, make_sc(true));
    resume(c);
    assert_current(c);
    return c;
}

/* Thread t (current) Calls cptr through the whole kernel (either path) and blocks. */
static void call_as(uint64_t t, uint64_t cptr)
{
    uint64_t regs[8];
    fill(regs, 0x700);
    ck_assert_int_eq(sys_as(t, seL4_SysCall, cptr, info_of(1, 0, 1), 0, regs), HOSTSIM_BLOCKED);
}

/* A system call as the current thread through its IPC buffer, which must succeed. */
static void ok_as_current(uint64_t cptr, uint64_t label, unsigned n, const uint64_t *mrs,
                          unsigned ncaps, const uint64_t *caps)
{
    struct ktest_reply r = ktest_syscall_as_current(seL4_SysCall, cptr, label, n, mrs, ncaps, caps);
    ck_assert_int_eq(r.status, HOSTSIM_OK);
    ck_assert_uint_eq(r.label, 0);
}

/* ---- Call: cases the fastpath takes ---- */

/* A passive server (200) waits with reply0; a client (100) calls with 0..4 words. */
START_TEST(test_call_passive_lengths)
{
    unsigned n = (unsigned)_i;
    uint64_t badged = alloc_slot();
    OK(ktest_cnode_mint(ROOT, badged, 64, ROOT, ep, 64, seL4_AllRights, 0xb00 + n));
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t c = client(100);
    struct sched_context *sc = tcb_ptr(c)->sched_context;
    call_diff(badged, n, TAKEN);
    assert_current(s);
    ck_assert_ptr_eq(tcb_ptr(s)->sched_context, sc);
    ck_assert_ptr_eq(sc->reply, reply_ptr(reply0));
    ck_assert_uint_eq(reg_of(s, REG_X0), 0xb00 + n);
    ck_assert_uint_eq(length_of(reg_of(s, REG_X1)), n);
}
END_TEST

/* The endpoint cap with Grant only, GrantReply only, both; the server of equal or higher
 * priority. */
START_TEST(test_call_rights_priorities)
{
    static const uint64_t rights[] = {seL4_CanWrite | seL4_CanGrant,
                                      seL4_CanWrite | seL4_CanGrantReply, seL4_AllRights};
    uint64_t cap = copy_cap(ep, rights[_i % 3]);
    passive_receiver(_i / 3 ? 100 : 250, ep, reply0, false);
    client(100);
    call_diff(cap, 2, TAKEN);
}
END_TEST

/* A passive server calls another one on the donated SC: the call stack grows to two. */
START_TEST(test_call_nested)
{
    uint64_t ep2 = retype_obj(seL4_EndpointObject, 0);
    uint64_t reply1 = retype_obj(seL4_ReplyObject, 0);
    uint64_t s1 = passive_receiver(150, ep, reply0, false);
    uint64_t s2 = passive_receiver(200, ep2, reply1, false);
    uint64_t c = client(100);
    struct sched_context *sc = tcb_ptr(c)->sched_context;
    call_as(c, ep);
    assert_current(s1);
    call_diff(ep2, 3, TAKEN);
    assert_current(s2);
    ck_assert_ptr_eq(sc->reply, reply_ptr(reply1));
    ck_assert_ptr_eq(reply_ptr(reply1)->prev, reply_ptr(reply0));
    ck_assert_ptr_eq(reply_ptr(reply0)->next, reply_ptr(reply1));
    ck_assert_ptr_null(reply_ptr(reply0)->sc);
}
END_TEST

/* Two passive servers wait: the first in the queue takes the call, the second stays. */
START_TEST(test_call_queued_servers)
{
    uint64_t reply1 = retype_obj(seL4_ReplyObject, 0);
    uint64_t s1 = passive_receiver(200, ep, reply0, false);
    uint64_t s2 = passive_receiver(200, ep, reply1, false);
    client(100);
    call_diff(ep, 1, TAKEN);
    assert_current(s1);
    ck_assert_uint_eq(state_of(s2), ThreadState_BlockedOnReceive);
}
END_TEST

/* Time has passed since the last entry, but the budget covers it: charged as the slowpath does. */
START_TEST(test_call_time_charged)
{
    passive_receiver(200, ep, reply0, false);
    uint64_t c = make_thread(100, NONE_SLOT, make_sc_with(1000, 10000));
    resume(c);
    hostsim_clock_advance(5000);
    call_diff(ep, 2, TAKEN);
    ck_assert_uint_eq(sched_cur_time(), hostsim_clock_now());
    ck_assert_uint_ge(sched_consumed(), 5000);
}
END_TEST

/* ---- Call: cases the fastpath leaves to the slowpath ---- */

/* The server has an SC of its own (no donation: the SC would change). */
START_TEST(test_call_decline_active_server)
{
    uint64_t s = make_thread(200, NONE_SLOT, make_sc(true));
    resume(s);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(s, seL4_SysRecv, ep, 0, reply0, regs), HOSTSIM_BLOCKED);
    client(100);
    call_diff(ep, 1, DECLINED);
    assert_current(s);
}
END_TEST

/* The server waits without a reply object (Wait): the caller is left Inactive. */
START_TEST(test_call_decline_no_reply_object)
{
    passive_receiver(200, ep, NONE_SLOT, true);
    uint64_t c = client(100);
    call_diff(ep, 1, DECLINED);
    ck_assert_uint_eq(state_of(c), ThreadState_Inactive);
}
END_TEST

/* Caps the fastpath does not take: no Grant nor GrantReply, no Write, a notification. */
START_TEST(test_call_decline_cap)
{
    uint64_t n = retype_obj(seL4_NotificationObject, 0);
    uint64_t caps[] = {copy_cap(ep, seL4_CanWrite | seL4_CanRead), copy_cap(ep, seL4_CanRead), n};
    passive_receiver(200, ep, reply0, false);
    client(100);
    call_diff(caps[_i], 1, DECLINED);
}
END_TEST

/* A message with extra caps or more words than the registers. */
START_TEST(test_call_decline_message)
{
    passive_receiver(200, ep, reply0, false);
    client(100);
    enter(seL4_SysCall, ep, _i ? info_of(1, 1, 1) : info_of(1, 0, 5), SENT(6), 4, 0x900);
    differential(seL4_SysCall, DECLINED);
}
END_TEST

/* The server is less urgent than the caller. */
START_TEST(test_call_decline_lower_priority_server)
{
    passive_receiver(100, ep, reply0, false);
    client(150);
    call_diff(ep, 1, DECLINED);
}
END_TEST

/* The caller carries a fault (the receiver would get a fault message). */
START_TEST(test_call_decline_fault)
{
    passive_receiver(200, ep, reply0, false);
    uint64_t c = client(100);
    tcb_ptr(c)->fault[0] = seL4_Fault_UnknownSyscall;
    tcb_ptr(c)->fault[1] = 77;
    call_diff(ep, 1, DECLINED);
}
END_TEST

/* The head refill cannot pay for what was used plus one more kernel entry: the slowpath ends the
 * caller's time (a sporadic SC waits for its next refill). The deadline is not reached yet. */
START_TEST(test_call_decline_budget)
{
    passive_receiver(200, ep, reply0, false);
    uint64_t c = make_thread(100, NONE_SLOT, make_sc_with(1000, 10000));
    resume(c);
    uint64_t budget = mcs_us_to_ticks(1000);
    hostsim_clock_advance(budget - mcs_min_budget_ticks() + 1);
    assert_current(c);
    call_diff(ep, 1, DECLINED);
    ck_assert_uint_eq(state_of(c), ThreadState_Restart);
}
END_TEST

/* Another thread's refill in the release queue is due (within a kernel WCET): the slowpath's exit
 * wakes it. With the release further away the same call is taken. */
START_TEST(test_call_release_due)
{
    /* y yields: its sporadic SC waits in the release queue for its next period. */
    uint64_t y = make_thread(50, NONE_SLOT, make_sc_with(1000, 10000));
    uint64_t start = hostsim_clock_now();
    resume(y);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(y, seL4_SysYield, 0, 0, 0, regs), HOSTSIM_OK);
    assert_current(seL4_CapInitThreadTCB);
    struct sched_context *ysc = tcb_ptr(y)->sched_context;
    ck_assert(ysc->in_release_queue);
    uint64_t release = refill_head(ysc)->release;
    ck_assert_uint_ge(release, start + mcs_us_to_ticks(10000) - mcs_us_to_ticks(1000));
    passive_receiver(200, ep, reply0, false);
    client(100);
    uint64_t margin = _i ? 100 : 10 * mcs_us_to_ticks(MCS_KERNEL_WCET_US);
    hostsim_clock_advance(release - margin - hostsim_clock_now());
    call_diff(ep, 1, _i ? DECLINED : TAKEN);
    ck_assert(ysc->in_release_queue == !_i);
}
END_TEST

/* ---- ReplyRecv: cases the fastpath takes ---- */

/* A passive server answers its caller with 0..4 words and waits again with the same reply object;
 * the caller is of equal priority, or lower (and still the most urgent runnable thread). */
START_TEST(test_reply_recv_passive)
{
    unsigned n = (unsigned)_i % 5;
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t c = client(_i / 5 ? 100 : 200);
    struct sched_context *sc = tcb_ptr(c)->sched_context;
    call_as(c, ep);
    assert_current(s);
    reply_recv_diff(ep, reply0, n, TAKEN);
    assert_current(c);
    ck_assert_ptr_eq(tcb_ptr(c)->sched_context, sc);
    ck_assert_ptr_null(tcb_ptr(s)->sched_context);
    ck_assert_ptr_eq(reply_ptr(reply0)->tcb, tcb_ptr(s));
    ck_assert_uint_eq(length_of(reg_of(c, REG_X1)), n);
}
END_TEST

/* The server goes back behind another waiting server of its priority or higher. */
START_TEST(test_reply_recv_queue_tail)
{
    uint64_t reply1 = retype_obj(seL4_ReplyObject, 0);
    uint64_t s1 = passive_receiver(200, ep, reply0, false);
    uint64_t s2 = passive_receiver(_i ? 250 : 200, ep, reply1, false);
    uint64_t c = client(100);
    call_as(c, ep);
    assert_current(_i ? s2 : s1);
    reply_recv_diff(ep, _i ? reply1 : reply0, 1, _i ? DECLINED : TAKEN);
}
END_TEST

/* The inner server of a nested call answers: the stack shrinks to one, the SC goes to the outer
 * server. */
START_TEST(test_reply_recv_nested)
{
    uint64_t ep2 = retype_obj(seL4_EndpointObject, 0);
    uint64_t reply1 = retype_obj(seL4_ReplyObject, 0);
    uint64_t s1 = passive_receiver(150, ep, reply0, false);
    uint64_t s2 = passive_receiver(200, ep2, reply1, false);
    uint64_t c = client(100);
    struct sched_context *sc = tcb_ptr(c)->sched_context;
    call_as(c, ep);
    call_as(s1, ep2);
    assert_current(s2);
    reply_recv_diff(ep2, reply1, 2, TAKEN);
    assert_current(s1);
    ck_assert_ptr_eq(sc->reply, reply_ptr(reply0));
    ck_assert_ptr_eq(reply_ptr(reply0)->sc, sc);
    ck_assert_ptr_null(reply_ptr(reply0)->next);
}
END_TEST

/* ---- ReplyRecv: cases the fastpath leaves to the slowpath ---- */

/* The caller is less urgent than a runnable thread the server made ready meanwhile. */
START_TEST(test_reply_recv_decline_not_highest)
{
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t x = make_thread(150, NONE_SLOT, make_sc(true));
    uint64_t c = client(100);
    call_as(c, ep);
    assert_current(s);
    ok_as_current(x, TCBResume, 0, NULL, 0, NULL);
    assert_current(s);
    reply_recv_diff(ep, reply0, 1, DECLINED);
    assert_current(x);
}
END_TEST

/* The server has an SC of its own: the reply object is on no stack, the SC stays. */
START_TEST(test_reply_recv_decline_active_server)
{
    uint64_t s = make_thread(200, NONE_SLOT, make_sc(true));
    resume(s);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(s, seL4_SysRecv, ep, 0, reply0, regs), HOSTSIM_BLOCKED);
    uint64_t c = client(100);
    call_as(c, ep);
    assert_current(s);
    reply_recv_diff(ep, reply0, 1, DECLINED);
}
END_TEST

/* x6 names no reply object the current SC's stack is headed by: a reply object nobody waits on,
 * an endpoint cap, an empty slot. */
START_TEST(test_reply_recv_decline_reply_cap)
{
    uint64_t fresh = retype_obj(seL4_ReplyObject, 0);
    uint64_t x6[] = {fresh, ep, NONE_SLOT};
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t c = client(100);
    call_as(c, ep);
    assert_current(s);
    reply_recv_diff(ep, x6[_i], 1, DECLINED);
}
END_TEST

/* The caller got an SC of its own while it waited: the donated one stays with the server. */
START_TEST(test_reply_recv_decline_caller_has_sc)
{
    uint64_t sc2 = make_sc(true);
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t c = client(100);
    call_as(c, ep);
    assert_current(s);
    /* The server binds a configured SC to c (it shares the root's CSpace). */
    uint64_t bind_caps[1] = {c};
    ok_as_current(sc2, SchedContextBind, 0, NULL, 1, bind_caps);
    ck_assert_ptr_nonnull(tcb_ptr(c)->sched_context);
    assert_current(s);
    reply_recv_diff(ep, reply0, 1, DECLINED);
}
END_TEST

/* The caller faulted: its handler (passive, on the faulting thread's SC) answers a fault. */
START_TEST(test_reply_recv_decline_fault_reply)
{
    uint64_t h = passive_receiver(200, ep, reply0, false);
    uint64_t f = make_thread(100, copy_cap(ep, seL4_AllRights), make_sc(true));
    resume(f);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(f, -99, 0, 0, 0, regs), HOSTSIM_BLOCKED); /* an unknown system call */
    assert_current(h);
    ck_assert_uint_eq(tcb_ptr(f)->fault[0], seL4_Fault_UnknownSyscall);
    reply_recv_diff(ep, reply0, 0, DECLINED);
}
END_TEST

/* A sender waits on the endpoint (it would be received at once), or the server's bound
 * notification is active (its signal is taken first). */
START_TEST(test_reply_recv_decline_pending)
{
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t n = retype_obj(seL4_NotificationObject, 0);
    uint64_t n2 = retype_obj(seL4_NotificationObject, 0);
    if (_i) {
        uint64_t caps[1] = {n};
        OK(ktest_call(s, TCBBindNotification, 0, NULL, 1, caps));
    }
    uint64_t z = make_thread(250, NONE_SLOT, make_sc(true));
    uint64_t c = client(100);
    call_as(c, ep);
    assert_current(s);
    ok_as_current(z, TCBResume, 0, NULL, 0, NULL); /* z runs at once */
    assert_current(z);
    uint64_t regs[8] = {0};
    if (_i) {
        ck_assert_int_eq(sys_as(z, seL4_SysSend, n, 0, 0, regs), HOSTSIM_OK);
        ck_assert_int_eq(sys_as(z, seL4_SysWait, n2, 0, 0, regs), HOSTSIM_BLOCKED);
    } else {
        ck_assert_int_eq(sys_as(z, seL4_SysSend, ep, info_of(1, 0, 0), 0, regs), HOSTSIM_BLOCKED);
    }
    assert_current(s);
    reply_recv_diff(ep, reply0, 1, DECLINED);
}
END_TEST

/* A CSpace of two levels for a server: L1 (16 slots, guard 0x5a in 8 bits), its slot 3 an L2 (64
 * slots, a 46-bit guard 0), so 8 + 4 + 46 + 6 = 64 bits; L2 slot 0 the endpoint, slot 1 reply0.
 * Returns the root slot of the guarded L1 cap. */
#define CS_GUARD 0x5aull
#define CS_L2(slot) ((CS_GUARD << 56) | (3ull << 52) | (uint64_t)(slot))
static uint64_t two_level_cspace(void)
{
    uint64_t l1 = retype_obj(seL4_CapTableObject, 4);
    uint64_t l2 = retype_obj(seL4_CapTableObject, 6);
    OK(ktest_cnode_mint(l1, 3, 4, ROOT, l2, 64, seL4_AllRights,
                        seL4_CNode_CapData_new(0, 46).words[0]));
    OK(ktest_cnode_copy(l2, 0, 6, ROOT, ep, 64, seL4_AllRights));
    OK(ktest_cnode_copy(l2, 1, 6, ROOT, reply0, 64, seL4_AllRights));
    uint64_t cs = alloc_slot();
    OK(ktest_cnode_mint(ROOT, cs, 64, ROOT, l1, 64, seL4_AllRights,
                        seL4_CNode_CapData_new(CS_GUARD, 8).words[0]));
    return cs;
}

/* The server's CSpace has two levels: the fastpath walks it for both caps (x0 and x6); a reply
 * CPtr with a wrong guard is declined. */
START_TEST(test_reply_recv_two_level_cspace)
{
    uint64_t cs = two_level_cspace();
    uint64_t sc = make_sc(true);
    uint64_t s = retype_obj(seL4_TCBObject, 0);
    uint64_t frame = retype_obj(seL4_ARM_SmallPageObject, 0);
    uint64_t words[3] = {0, 0, 0x10000000ull + 0x1000ull * s};
    uint64_t caps[3] = {cs, seL4_CapInitThreadVSpace, frame};
    OK(ktest_call(s, TCBConfigure, 3, words, 3, caps));
    uint64_t sp[2] = {200, 200};
    uint64_t sp_caps[3] = {seL4_CapInitThreadTCB, sc, NONE_SLOT};
    OK(ktest_call(s, TCBSetSchedParams, 2, sp, 3, sp_caps));
    resume(s);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(s, seL4_SysRecv, CS_L2(0), 0, CS_L2(1), regs), HOSTSIM_BLOCKED);
    unbind_sc_from(sc, s);
    uint64_t c = client(100);
    call_as(c, ep);
    assert_current(s);
    uint64_t bad = (0x5bull << 56) | (3ull << 52) | 1ull;
    reply_recv_diff(CS_L2(0), _i ? bad : CS_L2(1), 1, _i ? DECLINED : TAKEN);
}
END_TEST

/* The budget cannot pay for this entry (the server runs on its caller's sporadic SC). */
START_TEST(test_reply_recv_decline_budget)
{
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t c = make_thread(100, NONE_SLOT, make_sc_with(1000, 10000));
    resume(c);
    call_as(c, ep);
    assert_current(s);
    hostsim_clock_advance(mcs_us_to_ticks(1000) - mcs_min_budget_ticks() + 1);
    assert_current(s);
    reply_recv_diff(ep, reply0, 1, DECLINED);
}
END_TEST

/* A test case running test for _i in [0, n). */
static void loop_case(Suite *s, const char *name, const TTest *test, int n)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_loop_test(tc, test, 0, n);
    suite_add_tcase(s, tc);
}

static Suite *suite(void)
{
    Suite *s = suite_create("fastpath_mcs");
    loop_case(s, "call_passive_lengths", test_call_passive_lengths, 5);
    loop_case(s, "call_rights_priorities", test_call_rights_priorities, 6);
    add_case(s, "call_nested", test_call_nested);
    add_case(s, "call_queued_servers", test_call_queued_servers);
    add_case(s, "call_time_charged", test_call_time_charged);
    add_case(s, "call_decline_active_server", test_call_decline_active_server);
    add_case(s, "call_decline_no_reply_object", test_call_decline_no_reply_object);
    loop_case(s, "call_decline_cap", test_call_decline_cap, 3);
    loop_case(s, "call_decline_message", test_call_decline_message, 2);
    add_case(s, "call_decline_lower_priority_server", test_call_decline_lower_priority_server);
    add_case(s, "call_decline_fault", test_call_decline_fault);
    add_case(s, "call_decline_budget", test_call_decline_budget);
    loop_case(s, "call_release_due", test_call_release_due, 2);
    loop_case(s, "reply_recv_passive", test_reply_recv_passive, 10);
    loop_case(s, "reply_recv_queue_tail", test_reply_recv_queue_tail, 2);
    add_case(s, "reply_recv_nested", test_reply_recv_nested);
    add_case(s, "reply_recv_decline_not_highest", test_reply_recv_decline_not_highest);
    add_case(s, "reply_recv_decline_active_server", test_reply_recv_decline_active_server);
    loop_case(s, "reply_recv_decline_reply_cap", test_reply_recv_decline_reply_cap, 3);
    add_case(s, "reply_recv_decline_caller_has_sc", test_reply_recv_decline_caller_has_sc);
    add_case(s, "reply_recv_decline_fault_reply", test_reply_recv_decline_fault_reply);
    loop_case(s, "reply_recv_decline_pending", test_reply_recv_decline_pending, 2);
    add_case(s, "reply_recv_decline_budget", test_reply_recv_decline_budget);
    loop_case(s, "reply_recv_two_level_cspace", test_reply_recv_two_level_cspace, 2);
    return s;
}

int main(void) { return ktest_run(suite()); }
