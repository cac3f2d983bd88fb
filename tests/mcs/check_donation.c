/* SPDX-License-Identifier: BSD-2-Clause */
/* MCS scheduling-context donation through IPC (docs/mcs.md#donation), between puppet threads on the
 * MCS hostsim kernel: passive servers, Send never donating, calls that cannot be answered, stale
 * replies, notification-lent SCs, NBSendRecv / NBSendWait, priority-ordered queues, fault delivery,
 * and what deleting or cancelling an endpoint does to its waiters; the invariant checker runs after
 * every step. */
#include "mcs_puppets.h"

/* ---- passive servers ------------------------------------------------------------------------ */

START_TEST(test_passive_server_runs_on_callers_sc)
{
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t c = make_thread(100, NONE_SLOT, make_sc(true));
    resume(c);
    struct sched_context *csc = tcb_ptr(c)->sched_context;
    ck_assert_ptr_nonnull(csc);
    assert_inv();
    /* c calls: s gets the message and c's SC; c blocks on reply0. */
    uint64_t regs[8];
    fill(regs, 0x100);
    ck_assert_int_eq(sys_as(c, seL4_SysCall, ep, info_of(7, 0, 2), 0, regs), HOSTSIM_BLOCKED);
    assert_current(s);
    struct reply *r = reply_ptr(reply0);
    ck_assert_uint_eq(state_of(c), ThreadState_BlockedOnReply);
    ck_assert_ptr_eq(r->tcb, tcb_ptr(c));
    ck_assert_ptr_eq(tcb_ptr(c)->reply, r);
    ck_assert_ptr_eq(tcb_ptr(s)->sched_context, csc);
    ck_assert_ptr_null(tcb_ptr(c)->sched_context);
    ck_assert_ptr_eq(csc->reply, r);
    ck_assert_ptr_eq(r->sc, csc);
    ck_assert_uint_eq(label_of(reg_of(s, REG_X1)), 7);
    ck_assert_uint_eq(reg_of(s, REG_X2), 0x100);
    assert_inv();
    /* s answers with ReplyRecv: c gets the answer and its SC back; s waits passively again. */
    fill(regs, 0x200);
    ck_assert_int_eq(sys_as(s, seL4_SysReplyRecv, ep, info_of(3, 0, 1), reply0, regs),
                     HOSTSIM_BLOCKED);
    assert_current(c);
    ck_assert_uint_eq(state_of(c), ThreadState_Running);
    ck_assert_ptr_eq(tcb_ptr(c)->sched_context, csc);
    ck_assert_ptr_null(tcb_ptr(s)->sched_context);
    ck_assert_ptr_null(csc->reply);
    ck_assert_ptr_eq(r->tcb, tcb_ptr(s)); /* s waits with it again */
    ck_assert_ptr_null(r->sc);
    ck_assert_uint_eq(state_of(s), ThreadState_BlockedOnReceive);
    ck_assert_uint_eq(label_of(reg_of(c, REG_X1)), 3);
    ck_assert_uint_eq(length_of(reg_of(c, REG_X1)), 1);
    ck_assert_uint_eq(reg_of(c, REG_X2), 0x200);
    ck_assert_uint_eq(reg_of(c, REG_X3), 0x101); /* not covered by the answer */
    assert_inv();
}
END_TEST

START_TEST(test_send_to_passive_server_does_not_donate)
{
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t regs[8];
    fill(regs, 0x10);
    /* The root sends: s gets the message but no SC, so the root keeps running. */
    regs[0] = ep;
    regs[1] = info_of(1, 0, 1);
    regs[6] = 0;
    regs[7] = (uint64_t)seL4_SysSend;
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    assert_current(seL4_CapInitThreadTCB);
    ck_assert_uint_eq(state_of(s), ThreadState_Running);
    ck_assert_ptr_null(tcb_ptr(s)->sched_context);
    ck_assert_ptr_null(reply_ptr(reply0)->tcb); /* a plain message frees the reply object */
    ck_assert_uint_eq(reg_of(s, REG_X2), 0x10);
    assert_inv();
}
END_TEST

START_TEST(test_call_without_reply_object_leaves_caller_inactive)
{
    /* The server waits with Wait (no reply object): a Call cannot be answered. */
    uint64_t s = passive_receiver(200, ep, NONE_SLOT, true);
    uint64_t c = make_thread(100, NONE_SLOT, make_sc(true));
    resume(c);
    struct sched_context *csc = tcb_ptr(c)->sched_context;
    uint64_t regs[8];
    fill(regs, 0);
    ck_assert_int_eq(sys_as(c, seL4_SysCall, ep, info_of(1, 0, 0), 0, regs), HOSTSIM_STOPPED);
    ck_assert_uint_eq(state_of(c), ThreadState_Inactive);
    ck_assert_ptr_eq(tcb_ptr(c)->sched_context, csc); /* nothing donated */
    ck_assert_ptr_null(tcb_ptr(s)->sched_context);
    ck_assert_uint_eq(state_of(s), ThreadState_Running);
    assert_inv();
}
END_TEST

START_TEST(test_call_through_cap_without_grant_leaves_caller_inactive)
{
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t w = copy_cap(ep, seL4_CanWrite);
    uint64_t c = make_thread(100, NONE_SLOT, make_sc(true));
    resume(c);
    uint64_t regs[8];
    fill(regs, 0);
    ck_assert_int_eq(sys_as(c, seL4_SysCall, w, info_of(1, 0, 0), 0, regs), HOSTSIM_STOPPED);
    ck_assert_ptr_null(reply_ptr(reply0)->tcb);
    ck_assert_ptr_null(tcb_ptr(s)->sched_context);
    assert_inv();
}
END_TEST

START_TEST(test_stale_reply)
{
    /* Invoking a reply cap nobody waits on does nothing; a Call on it gets the empty reply. */
    uint64_t regs[8] = {reply0, info_of(5, 0, 1), 1, 2, 3, 4, 0, (uint64_t)seL4_SysCall};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    ck_assert_uint_eq(label_of(regs[1]), 0);
    ck_assert_uint_eq(length_of(regs[1]), 0);
    uint64_t s[8] = {reply0, info_of(5, 0, 1), 1, 2, 3, 4, 0, (uint64_t)seL4_SysSend};
    ck_assert_int_eq(hostsim_root_syscall(s, NULL), HOSTSIM_OK);
    assert_inv();
}
END_TEST

/* ---- notifications lend their SC ------------------------------------------------------------ */

START_TEST(test_notification_lends_sc_to_passive_waiter)
{
    uint64_t n = retype_obj(seL4_NotificationObject, 0);
    uint64_t nsc = make_sc(true);
    bind_sc(nsc, n);
    uint64_t w = passive_receiver(200, n, NONE_SLOT, true);
    ck_assert_uint_eq(state_of(w), ThreadState_BlockedOnNotification);
    /* The root signals: w runs on the notification's SC. */
    uint64_t regs[8] = {n, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysSend};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    assert_current(w);
    ck_assert_ptr_eq(tcb_ptr(w)->sched_context, sc_ptr(nsc));
    ck_assert_ptr_eq(sc_ptr(nsc)->tcb, tcb_ptr(w));
    assert_inv();
    /* w waits again: the SC goes back to the notification. */
    uint64_t wr[8] = {0};
    ck_assert_int_eq(sys_as(w, seL4_SysWait, n, 0, 0, wr), HOSTSIM_BLOCKED);
    ck_assert_ptr_null(tcb_ptr(w)->sched_context);
    ck_assert_ptr_null(sc_ptr(nsc)->tcb);
    assert_current(seL4_CapInitThreadTCB);
    assert_inv();
    /* A pending signal taken by Poll also lends the SC. */
}
END_TEST

START_TEST(test_bound_notification_lends_sc_to_passive_server)
{
    uint64_t n = retype_obj(seL4_NotificationObject, 0);
    uint64_t nsc = make_sc(true);
    bind_sc(nsc, n);
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t caps[1] = {n};
    OK(ktest_call(s, TCBBindNotification, 0, NULL, 1, caps));
    /* Signal: s leaves its endpoint receive (reply0 freed) and runs on the notification's SC. */
    uint64_t regs[8] = {n, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysSend};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    assert_current(s);
    ck_assert_ptr_eq(tcb_ptr(s)->sched_context, sc_ptr(nsc));
    ck_assert_ptr_null(reply_ptr(reply0)->tcb);
    assert_inv();
    /* s receives on the endpoint again: it hands the SC back and waits passively. */
    uint64_t sr[8] = {0};
    ck_assert_int_eq(sys_as(s, seL4_SysRecv, ep, 0, reply0, sr), HOSTSIM_BLOCKED);
    ck_assert_ptr_null(tcb_ptr(s)->sched_context);
    ck_assert_ptr_null(sc_ptr(nsc)->tcb);
    ck_assert_ptr_eq(reply_ptr(reply0)->tcb, tcb_ptr(s));
    assert_inv();
}
END_TEST

START_TEST(test_busy_notification_sc_is_not_lent)
{
    uint64_t n = retype_obj(seL4_NotificationObject, 0);
    uint64_t nsc = make_sc(true);
    bind_sc(nsc, n);
    uint64_t w1 = passive_receiver(200, n, NONE_SLOT, true);
    uint64_t w2 = passive_receiver(190, n, NONE_SLOT, true);
    uint64_t regs[8] = {n, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysSend};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    assert_current(w1); /* the queue is priority ordered: w1 (200) first */
    /* w1 signals again: w2 wakes, but the SC is w1's now: w2 is runnable without time. */
    uint64_t wr[8] = {n, 0, 0, 0, 0, 0, 0, 0};
    ck_assert_int_eq(sys_as(w1, seL4_SysSend, n, 0, 0, wr), HOSTSIM_OK);
    assert_current(w1);
    ck_assert_uint_eq(state_of(w2), ThreadState_Running);
    ck_assert_ptr_null(tcb_ptr(w2)->sched_context);
    assert_inv();
}
END_TEST

/* ---- NBSendRecv and NBSendWait -------------------------------------------------------------- */

START_TEST(test_nbsendrecv_and_nbsendwait_donate_one_way)
{
    uint64_t s = passive_receiver(200, ep, reply0, false);
    uint64_t ep2 = retype_obj(seL4_EndpointObject, 0);
    uint64_t r2 = retype_obj(seL4_ReplyObject, 0);
    uint64_t c = make_thread(100, NONE_SLOT, make_sc(true));
    resume(c);
    struct sched_context *csc = tcb_ptr(c)->sched_context;
    /* c: NBSendRecv to ep (x8), then receive on ep2 with r2: s gets c's SC, one way. */
    uint64_t regs[8];
    fill(regs, 0x40);
    assert_current(c);
    regs[0] = ep2;
    regs[1] = info_of(6, 0, 2);
    regs[6] = r2;
    regs[7] = (uint64_t)seL4_SysNBSendRecv;
    hal_reg_set(&tcb_ptr(c)->arch, REG_NBSEND_RECV_DEST, ep);
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_BLOCKED);
    assert_current(s);
    ck_assert_ptr_eq(tcb_ptr(s)->sched_context, csc);
    ck_assert_ptr_null(tcb_ptr(c)->sched_context);
    ck_assert_uint_eq(state_of(c), ThreadState_BlockedOnReceive);
    ck_assert_ptr_eq(reply_ptr(r2)->tcb, tcb_ptr(c));
    ck_assert_ptr_null(reply_ptr(reply0)->tcb); /* no call: s's reply object is free */
    ck_assert_uint_eq(label_of(reg_of(s, REG_X1)), 6);
    ck_assert_uint_eq(reg_of(s, REG_X2), 0x40);
    ck_assert_ptr_null(csc->reply);
    assert_inv();
    /* s: NBSendWait to ep2 (x6), then Wait on ep: c gets the SC back, s waits passively. */
    fill(regs, 0x50);
    ck_assert_int_eq(sys_as(s, seL4_SysNBSendWait, ep, info_of(8, 0, 1), ep2, regs),
                     HOSTSIM_BLOCKED);
    assert_current(c);
    ck_assert_ptr_eq(tcb_ptr(c)->sched_context, csc);
    ck_assert_ptr_null(tcb_ptr(s)->sched_context);
    ck_assert_uint_eq(state_of(s), ThreadState_BlockedOnReceive);
    ck_assert_ptr_null(tcb_ptr(s)->reply);
    ck_assert_ptr_null(reply_ptr(r2)->tcb);
    ck_assert_uint_eq(label_of(reg_of(c, REG_X1)), 8);
    ck_assert_uint_eq(reg_of(c, REG_X2), 0x50);
    assert_inv();
}
END_TEST

/* ---- queue order ---------------------------------------------------------------------------- */

START_TEST(test_queues_are_priority_ordered)
{
    /* Senders of priorities 150, 170, 160, 170 queue on ep; the root receives them in the order
     * 170 (first), 170 (second), 160, 150. */
    static const uint64_t prio[4] = {150, 170, 160, 170};
    static const uint64_t order[4] = {1, 3, 2, 0};
    uint64_t t[4];
    for (int i = 0; i < 4; i++) {
        uint64_t b = alloc_slot();
        OK(ktest_cnode_mint(ROOT, b, 64, ROOT, ep, 64, seL4_AllRights, (uint64_t)i + 1));
        t[i] = make_thread(prio[i], NONE_SLOT, make_sc(true));
        resume(t[i]);
        uint64_t regs[8] = {0};
        ck_assert_int_eq(sys_as(t[i], seL4_SysSend, b, info_of(0, 0, 0), 0, regs), HOSTSIM_BLOCKED);
    }
    assert_inv();
    for (int i = 0; i < 4; i++) {
        uint64_t regs[8] = {ep, 0, 0, 0, 0, 0, reply0, (uint64_t)seL4_SysRecv};
        ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
        ck_assert_uint_eq(regs[0], order[i] + 1);
        /* the released sender runs; it stops (a Wait on a null cap) so the root goes on */
        assert_current(t[order[i]]);
        uint64_t r3[8] = {0};
        ck_assert_int_eq(sys_as(t[order[i]], seL4_SysWait, NONE_SLOT, 0, 0, r3), HOSTSIM_STOPPED);
    }
    assert_inv();
}
END_TEST

START_TEST(test_priority_change_reorders_queue)
{
    uint64_t t[2];
    for (int i = 0; i < 2; i++) {
        uint64_t b = alloc_slot();
        OK(ktest_cnode_mint(ROOT, b, 64, ROOT, ep, 64, seL4_AllRights, (uint64_t)i + 1));
        t[i] = make_thread(150, NONE_SLOT, make_sc(true));
        resume(t[i]);
        uint64_t regs[8] = {0};
        ck_assert_int_eq(sys_as(t[i], seL4_SysSend, b, info_of(0, 0, 0), 0, regs), HOSTSIM_BLOCKED);
    }
    /* t[1] is raised above t[0]: it moves to the head of the queue. */
    uint64_t prio = 160, auth = seL4_CapInitThreadTCB;
    OK(ktest_call(t[1], TCBSetPriority, 1, &prio, 1, &auth));
    assert_inv();
    uint64_t regs[8] = {ep, 0, 0, 0, 0, 0, reply0, (uint64_t)seL4_SysRecv};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    ck_assert_uint_eq(regs[0], 2);
}
END_TEST

/* ---- faults --------------------------------------------------------------------------------- */

START_TEST(test_fault_donates_to_passive_handler)
{
    uint64_t fep = retype_obj(seL4_EndpointObject, 0);
    uint64_t h = passive_receiver(200, fep, reply0, false);
    uint64_t t = make_thread(100, fep, make_sc(true));
    resume(t);
    struct sched_context *tsc = tcb_ptr(t)->sched_context;
    assert_current(t);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_DATA, 0x1234, 0x92000046),
                     HOSTSIM_BLOCKED);
    assert_current(h);
    ck_assert_ptr_eq(tcb_ptr(h)->sched_context, tsc);
    ck_assert_uint_eq(state_of(t), ThreadState_BlockedOnReply);
    ck_assert_uint_eq(label_of(reg_of(h, REG_X1)), seL4_Fault_VMFault);
    ck_assert_uint_eq(reg_of(h, REG_X3), 0x1234);
    assert_inv();
    /* h answers (a VM fault's answer restarts the thread): t runs again on its SC. */
    uint64_t regs[8];
    fill(regs, 0);
    ck_assert_int_eq(sys_as(h, seL4_SysReplyRecv, fep, info_of(0, 0, 0), reply0, regs),
                     HOSTSIM_BLOCKED);
    assert_current(t);
    ck_assert_ptr_eq(tcb_ptr(t)->sched_context, tsc);
    ck_assert_uint_eq(state_of(t), ThreadState_Running);
    assert_inv();
}
END_TEST

START_TEST(test_fault_without_handler_stops_thread)
{
    uint64_t t = make_thread(100, NONE_SLOT, make_sc(true));
    resume(t);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_DATA, 0x1234, 0x92000046),
                     HOSTSIM_STOPPED);
    ck_assert_uint_eq(state_of(t), ThreadState_Inactive);
    assert_inv();
}
END_TEST

START_TEST(test_fault_to_handler_without_reply_object_stops_thread)
{
    uint64_t fep = retype_obj(seL4_EndpointObject, 0);
    uint64_t h = passive_receiver(200, fep, NONE_SLOT, true);
    uint64_t t = make_thread(100, fep, make_sc(true));
    resume(t);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_DATA, 0x1234, 0x92000046),
                     HOSTSIM_STOPPED);
    ck_assert_uint_eq(state_of(h), ThreadState_Running); /* has the message, but no SC */
    ck_assert_ptr_null(tcb_ptr(h)->sched_context);
    assert_inv();
}
END_TEST

START_TEST(test_timeout_fault_never_donates)
{
    /* h, a passive handler, waits on tep with reply0; a (sporadic: 1 ms every 10 ms, timeout
     * endpoint tep) uses its whole budget: h gets the timeout fault but not a's SC. */
    uint64_t tep = retype_obj(seL4_EndpointObject, 0);
    uint64_t h = passive_receiver(200, tep, reply0, false);
    uint64_t sa = make_sc_with(1000, 10000);
    uint64_t a = make_thread(150, NONE_SLOT, sa);
    uint64_t caps[1] = {tep};
    OK(ktest_call(a, TCBSetTimeoutEndpoint, 0, NULL, 1, caps));
    resume(a);
    assert_current(a);
    hostsim_clock_advance(mcs_us_to_ticks(1000));
    ck_assert_uint_eq(state_of(a), ThreadState_BlockedOnReply);
    ck_assert_ptr_eq(reply_ptr(reply0)->tcb, tcb_ptr(a));
    ck_assert_ptr_null(reply_ptr(reply0)->sc); /* on no stack: nothing was donated */
    ck_assert_ptr_eq(tcb_ptr(a)->sched_context, sc_ptr(sa));
    ck_assert_ptr_null(tcb_ptr(h)->sched_context);
    ck_assert_uint_eq(state_of(h), ThreadState_Running); /* has the message, no time to run */
    ck_assert_uint_eq(label_of(reg_of(h, REG_X1)), seL4_Fault_Timeout);
    ck_assert_uint_eq(reg_of(h, REG_X2), 0x5c); /* the SC's badge */
    assert_current(seL4_CapInitThreadTCB);
    assert_inv();
    /* The root answers for h (label 0: restart): a restarts once its next refill is due. */
    uint64_t regs[8] = {reply0, info_of(0, 0, 0), 0, 0, 0, 0, 0, (uint64_t)seL4_SysSend};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    ck_assert_uint_eq(state_of(a), ThreadState_Restart);
    ck_assert_ptr_null(reply_ptr(reply0)->tcb);
    assert_inv();
}
END_TEST

/* ---- deleting and cancelling queued waiters -------------------------------------------------- */

START_TEST(test_delete_endpoint_releases_receivers)
{
    uint64_t r1 = retype_obj(seL4_ReplyObject, 0);
    uint64_t p = passive_receiver(150, ep, r1, false); /* passive, with reply object r1 */
    uint64_t a = make_thread(200, NONE_SLOT, make_sc(true));
    resume(a);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(a, seL4_SysRecv, ep, 0, reply0, regs), HOSTSIM_BLOCKED);
    assert_inv();
    /* The endpoint's last cap goes: both receivers restart, their reply objects are free. */
    OK(ktest_cnode_delete(ROOT, ep, 64));
    ck_assert_ptr_null(reply_ptr(r1)->tcb);
    ck_assert_ptr_null(reply_ptr(reply0)->tcb);
    ck_assert_ptr_null(tcb_ptr(p)->reply);
    assert_current(a); /* a has an SC and the higher priority: it runs its Recv again */
    ck_assert_uint_eq(state_of(p), ThreadState_Restart); /* passive: waits for time */
    assert_inv();
}
END_TEST

START_TEST(test_delete_endpoint_stops_fault_sender)
{
    uint64_t fep = retype_obj(seL4_EndpointObject, 0);
    uint64_t t = make_thread(200, fep, make_sc(true));
    resume(t);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_DATA, 0x1234, 0x92000046),
                     HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(t), ThreadState_BlockedOnSend); /* nobody takes its fault yet */
    /* Revoke takes the handler copy in t's TCB, the delete then finalises the endpoint: a thread
     * that was delivering a fault cannot redo it and stops. */
    OK(ktest_cnode_revoke(ROOT, fep, 64));
    OK(ktest_cnode_delete(ROOT, fep, 64));
    ck_assert_uint_eq(state_of(t), ThreadState_Inactive);
    assert_current(seL4_CapInitThreadTCB);
    assert_inv();
}
END_TEST

START_TEST(test_cancel_badged_sends_restarts_senders)
{
    uint64_t b[2], t[2];
    for (int i = 0; i < 2; i++) {
        b[i] = alloc_slot();
        OK(ktest_cnode_mint(ROOT, b[i], 64, ROOT, ep, 64, seL4_AllRights, (uint64_t)i + 1));
        t[i] = make_thread(150, NONE_SLOT, make_sc(true));
        resume(t[i]);
        uint64_t regs[8] = {0};
        ck_assert_int_eq(sys_as(t[i], seL4_SysSend, b[i], info_of(0, 0, 0), 0, regs),
                         HOSTSIM_BLOCKED);
    }
    OK(ktest_cnode_cancel_badged_sends(ROOT, b[0], 64));
    assert_current(t[0]); /* released with its SC, it runs its Send again */
    ck_assert_uint_eq(state_of(t[1]), ThreadState_BlockedOnSend);
    assert_inv();
}
END_TEST

START_TEST(test_delete_notification_releases_waiters)
{
    uint64_t n = retype_obj(seL4_NotificationObject, 0);
    uint64_t w = passive_receiver(150, n, NONE_SLOT, true);
    uint64_t a = make_thread(200, NONE_SLOT, make_sc(true));
    resume(a);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(a, seL4_SysWait, n, 0, 0, regs), HOSTSIM_BLOCKED);
    OK(ktest_cnode_delete(ROOT, n, 64));
    assert_current(a);
    ck_assert_uint_eq(state_of(w), ThreadState_Restart);
    ck_assert_ptr_null(tcb_ptr(w)->sched_context);
    assert_inv();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("donation");
    add_case(s, "passive_server", test_passive_server_runs_on_callers_sc);
    add_case(s, "send_no_donation", test_send_to_passive_server_does_not_donate);
    add_case(s, "call_without_reply_object", test_call_without_reply_object_leaves_caller_inactive);
    add_case(s, "call_without_grant", test_call_through_cap_without_grant_leaves_caller_inactive);
    add_case(s, "stale_reply", test_stale_reply);
    add_case(s, "ntfn_lends_sc", test_notification_lends_sc_to_passive_waiter);
    add_case(s, "bound_ntfn_lends_sc", test_bound_notification_lends_sc_to_passive_server);
    add_case(s, "busy_ntfn_sc", test_busy_notification_sc_is_not_lent);
    add_case(s, "nbsendrecv", test_nbsendrecv_and_nbsendwait_donate_one_way);
    add_case(s, "queue_order", test_queues_are_priority_ordered);
    add_case(s, "queue_reorder", test_priority_change_reorders_queue);
    add_case(s, "fault_donates", test_fault_donates_to_passive_handler);
    add_case(s, "fault_no_handler", test_fault_without_handler_stops_thread);
    add_case(s, "fault_no_reply_object", test_fault_to_handler_without_reply_object_stops_thread);
    add_case(s, "timeout_fault_never_donates", test_timeout_fault_never_donates);
    add_case(s, "delete_endpoint_receivers", test_delete_endpoint_releases_receivers);
    add_case(s, "delete_endpoint_fault_sender", test_delete_endpoint_stops_fault_sender);
    add_case(s, "cancel_badged_sends", test_cancel_badged_sends_restarts_senders);
    add_case(s, "delete_notification_waiters", test_delete_notification_releases_waiters);
    return ktest_run(s);
}
