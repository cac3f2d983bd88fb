/* SPDX-License-Identifier: BSD-2-Clause */
/* MCS reply objects and the call stack (docs/mcs.md#reply-objects-the-call-stack-and-donation),
 * between puppet threads on the MCS hostsim kernel: a call chain of three unwinding, answers
 * through an older reply object, deletion and revocation in the middle of a chain (the newest
 * reply object, an older one, the server holding the SC, a caller, the first client, the SC), the
 * receive's reply-cap errors, and one deliberate corruption per rule of the invariant checker's
 * reply section; the checker runs after every step. */
#include "mcs_puppets.h"

/* ---- a call chain of three ------------------------------------------------------------------ */

/* The chain: a (own SC, priority 100) calls passive b (200) on ep with reply object r1, b calls
 * passive c (210) on ep2 with r2; c runs on a's SC, whose call stack is r2 (newest), r1. */
struct chain {
    uint64_t a, b, c, ep2, r1, r2, sc;
};

static struct chain chain3(uint64_t r1)
{
    struct chain ch = {.r1 = r1};
    ch.ep2 = retype_obj(seL4_EndpointObject, 0);
    ch.r2 = retype_obj(seL4_ReplyObject, 0);
    ch.b = passive_receiver(200, ep, ch.r1, false);
    ch.c = passive_receiver(210, ch.ep2, ch.r2, false);
    ch.sc = make_sc(true);
    ch.a = make_thread(100, NONE_SLOT, ch.sc);
    resume(ch.a);
    uint64_t regs[8];
    fill(regs, 0xa0);
    ck_assert_int_eq(sys_as(ch.a, seL4_SysCall, ep, info_of(1, 0, 1), 0, regs), HOSTSIM_BLOCKED);
    assert_current(ch.b);
    fill(regs, 0xb0);
    ck_assert_int_eq(sys_as(ch.b, seL4_SysCall, ch.ep2, info_of(2, 0, 1), 0, regs),
                     HOSTSIM_BLOCKED);
    assert_current(ch.c);
    struct sched_context *sc = sc_ptr(ch.sc);
    struct reply *p1 = reply_ptr(ch.r1), *p2 = reply_ptr(ch.r2);
    ck_assert_ptr_eq(tcb_ptr(ch.c)->sched_context, sc);
    ck_assert_ptr_eq(sc->tcb, tcb_ptr(ch.c));
    ck_assert_ptr_null(tcb_ptr(ch.a)->sched_context);
    ck_assert_ptr_null(tcb_ptr(ch.b)->sched_context);
    ck_assert_ptr_eq(sc->reply, p2);
    ck_assert_ptr_eq(p2->sc, sc);
    ck_assert_ptr_eq(p2->prev, p1);
    ck_assert_ptr_eq(p1->next, p2);
    ck_assert_ptr_null(p1->sc);
    ck_assert_ptr_null(p1->prev);
    ck_assert_ptr_eq(p1->tcb, tcb_ptr(ch.a));
    ck_assert_ptr_eq(p2->tcb, tcb_ptr(ch.b));
    ck_assert_uint_eq(state_of(ch.a), ThreadState_BlockedOnReply);
    ck_assert_uint_eq(state_of(ch.b), ThreadState_BlockedOnReply);
    ck_assert_uint_eq(reg_of(ch.c, REG_X2), 0xb0);
    assert_inv();
    return ch;
}

/* CNode invocation (Delete / Revoke) on a root slot, made by the current thread `who`. */
static enum hostsim_status cnode_op_as(uint64_t who, uint64_t label, uint64_t slot)
{
    uint64_t regs[8] = {0, 0, slot, 64, 0, 0, 0, 0};
    return sys_as(who, seL4_SysCall, ROOT, info_of(label, 0, 2), 0, regs);
}

START_TEST(test_chain_of_three_unwinds)
{
    struct chain ch = chain3(reply0);
    struct sched_context *sc = sc_ptr(ch.sc);
    uint64_t regs[8];
    /* c answers b: the SC goes back one step. */
    fill(regs, 0xc0);
    ck_assert_int_eq(sys_as(ch.c, seL4_SysReplyRecv, ch.ep2, info_of(0, 0, 1), ch.r2, regs),
                     HOSTSIM_BLOCKED);
    assert_current(ch.b);
    ck_assert_ptr_eq(tcb_ptr(ch.b)->sched_context, sc);
    ck_assert_ptr_null(tcb_ptr(ch.c)->sched_context);
    ck_assert_ptr_eq(sc->reply, reply_ptr(ch.r1));
    ck_assert_ptr_eq(reply_ptr(ch.r1)->sc, sc);
    ck_assert_ptr_null(reply_ptr(ch.r1)->next);
    ck_assert_uint_eq(reg_of(ch.b, REG_X2), 0xc0);
    assert_inv();
    /* b answers a: the SC is home. */
    fill(regs, 0xd0);
    ck_assert_int_eq(sys_as(ch.b, seL4_SysReplyRecv, ep, info_of(0, 0, 1), ch.r1, regs),
                     HOSTSIM_BLOCKED);
    assert_current(ch.a);
    ck_assert_ptr_eq(tcb_ptr(ch.a)->sched_context, sc);
    ck_assert_ptr_eq(sc->tcb, tcb_ptr(ch.a));
    ck_assert_ptr_null(sc->reply);
    ck_assert_uint_eq(reg_of(ch.a, REG_X2), 0xd0);
    ck_assert_uint_eq(state_of(ch.b), ThreadState_BlockedOnReceive);
    ck_assert_uint_eq(state_of(ch.c), ThreadState_BlockedOnReceive);
    assert_inv();
}
END_TEST

START_TEST(test_reply_through_older_reply_cuts_chain)
{
    struct chain ch = chain3(reply0);
    struct sched_context *sc = sc_ptr(ch.sc);
    /* c (which shares the CSpace) answers a directly through r1: a is answered, the SC stays. */
    uint64_t regs[8];
    fill(regs, 0xe0);
    ck_assert_int_eq(sys_as(ch.c, seL4_SysSend, ch.r1, info_of(4, 0, 1), 0, regs), HOSTSIM_OK);
    ck_assert_uint_eq(state_of(ch.a), ThreadState_Running);
    ck_assert_uint_eq(reg_of(ch.a, REG_X2), 0xe0);
    ck_assert_ptr_null(tcb_ptr(ch.a)->sched_context); /* a runs on nothing: not scheduled */
    ck_assert_ptr_eq(tcb_ptr(ch.c)->sched_context, sc);
    ck_assert_ptr_eq(sc->reply, reply_ptr(ch.r2));
    ck_assert_ptr_null(reply_ptr(ch.r2)->prev);
    ck_assert_ptr_null(reply_ptr(ch.r1)->tcb);
    ck_assert_ptr_null(reply_ptr(ch.r1)->next);
    assert_current(ch.c);
    assert_inv();
}
END_TEST

START_TEST(test_call_and_nbsend_on_reply_caps)
{
    struct chain ch = chain3(reply0);
    struct sched_context *sc = sc_ptr(ch.sc);
    /* c answers b with a Call on r2: b gets the answer and the SC; c, an invoker of a reply cap,
     * gets the empty success reply (and, without an SC now, stops running). */
    uint64_t regs[8];
    fill(regs, 0x90);
    ck_assert_int_eq(sys_as(ch.c, seL4_SysCall, ch.r2, info_of(6, 0, 1), 0, regs), HOSTSIM_OK);
    ck_assert_uint_eq(label_of(regs[1]), 0);
    ck_assert_uint_eq(length_of(regs[1]), 0);
    assert_current(ch.b);
    ck_assert_ptr_eq(tcb_ptr(ch.b)->sched_context, sc);
    ck_assert_uint_eq(label_of(reg_of(ch.b, REG_X1)), 6);
    ck_assert_uint_eq(reg_of(ch.b, REG_X2), 0x90);
    assert_inv();
    /* b answers a with NBSend on r1: a gets the answer and the SC. */
    fill(regs, 0x91);
    ck_assert_int_eq(sys_as(ch.b, seL4_SysNBSend, ch.r1, info_of(7, 0, 1), 0, regs), HOSTSIM_OK);
    assert_current(ch.a);
    ck_assert_ptr_eq(tcb_ptr(ch.a)->sched_context, sc);
    ck_assert_ptr_null(sc->reply);
    ck_assert_uint_eq(label_of(reg_of(ch.a, REG_X1)), 7);
    ck_assert_uint_eq(reg_of(ch.a, REG_X2), 0x91);
    assert_inv();
}
END_TEST

/* ---- deletion and revocation in the middle of a chain --------------------------------------- */

START_TEST(test_delete_newest_reply_returns_sc)
{
    struct chain ch = chain3(reply0);
    struct sched_context *sc = sc_ptr(ch.sc);
    /* c deletes r2, the newest: popped, the SC goes back to b, which is left Inactive. */
    ck_assert_int_eq(cnode_op_as(ch.c, CNodeDelete, ch.r2), HOSTSIM_OK);
    ck_assert_uint_eq(state_of(ch.b), ThreadState_Inactive);
    ck_assert_ptr_eq(tcb_ptr(ch.b)->sched_context, sc);
    ck_assert_ptr_eq(sc->tcb, tcb_ptr(ch.b));
    ck_assert_ptr_null(tcb_ptr(ch.c)->sched_context);
    ck_assert_ptr_eq(sc->reply, reply_ptr(ch.r1));
    ck_assert_ptr_eq(reply_ptr(ch.r1)->sc, sc);
    ck_assert_ptr_null(reply_ptr(ch.r1)->next);
    ck_assert_uint_eq(state_of(ch.a), ThreadState_BlockedOnReply);
    assert_current(seL4_CapInitThreadTCB); /* c has no SC, b is stopped, a waits */
    assert_inv();
    /* The root deletes r1, now the newest: popped, and a, which has no SC, gets it back from b
     * (Inactive). */
    OK(ktest_cnode_delete(ROOT, ch.r1, 64));
    ck_assert_uint_eq(state_of(ch.a), ThreadState_Inactive);
    ck_assert_ptr_eq(tcb_ptr(ch.a)->sched_context, sc);
    ck_assert_ptr_eq(sc->tcb, tcb_ptr(ch.a));
    ck_assert_ptr_null(tcb_ptr(ch.b)->sched_context);
    ck_assert_ptr_null(sc->reply);
    assert_inv();
}
END_TEST

START_TEST(test_delete_middle_reply_cuts_chain)
{
    struct chain ch = chain3(reply0);
    struct sched_context *sc = sc_ptr(ch.sc);
    /* c deletes r1 (a's, below the newest): the chain is cut there, a is left Inactive, the SC
     * stays with c. */
    ck_assert_int_eq(cnode_op_as(ch.c, CNodeDelete, ch.r1), HOSTSIM_OK);
    assert_current(ch.c);
    ck_assert_uint_eq(state_of(ch.a), ThreadState_Inactive);
    ck_assert_ptr_null(tcb_ptr(ch.a)->sched_context);
    ck_assert_ptr_eq(tcb_ptr(ch.c)->sched_context, sc);
    ck_assert_ptr_eq(sc->reply, reply_ptr(ch.r2));
    ck_assert_ptr_null(reply_ptr(ch.r2)->prev);
    assert_inv();
    /* c answers b: the SC goes to b; the stack is empty. */
    uint64_t regs[8];
    fill(regs, 0);
    ck_assert_int_eq(sys_as(ch.c, seL4_SysReplyRecv, ch.ep2, info_of(0, 0, 0), ch.r2, regs),
                     HOSTSIM_BLOCKED);
    assert_current(ch.b);
    ck_assert_ptr_eq(tcb_ptr(ch.b)->sched_context, sc);
    ck_assert_ptr_null(sc->reply);
    assert_inv();
}
END_TEST

START_TEST(test_revoke_middle_reply)
{
    /* r1 comes from an untyped of its own: revoking that untyped deletes r1's last cap. */
    uint64_t ut = retype_obj(seL4_UntypedObject, 12);
    uint64_t r1 = alloc_slot();
    OK(ktest_retype(ut, seL4_ReplyObject, 0, ROOT, 0, 0, r1, 1));
    uint64_t r1_copy = copy_cap(r1, seL4_AllRights); /* reply caps copy under MCS */
    struct chain ch = chain3(r1);
    struct sched_context *sc = sc_ptr(ch.sc);
    /* Deleting a copy is not final: nothing changes. */
    ck_assert_int_eq(cnode_op_as(ch.c, CNodeDelete, r1_copy), HOSTSIM_OK);
    ck_assert_uint_eq(state_of(ch.a), ThreadState_BlockedOnReply);
    ck_assert_ptr_eq(reply_ptr(ch.r2)->prev, reply_ptr(r1));
    ck_assert_int_eq(cnode_op_as(ch.c, CNodeRevoke, ut), HOSTSIM_OK);
    ck_assert_uint_eq(cap_get_cap_type(root_slot(r1)->cap), cap_null_cap);
    ck_assert_uint_eq(state_of(ch.a), ThreadState_Inactive);
    ck_assert_ptr_eq(tcb_ptr(ch.c)->sched_context, sc);
    ck_assert_ptr_eq(sc->reply, reply_ptr(ch.r2));
    ck_assert_ptr_null(reply_ptr(ch.r2)->prev);
    assert_current(ch.c);
    assert_inv();
}
END_TEST

START_TEST(test_delete_server_holding_sc)
{
    struct chain ch = chain3(reply0);
    struct sched_context *sc = sc_ptr(ch.sc);
    /* c, running on a's SC, deletes its own TCB: the SC is left without a thread, the stack stays.
     */
    cnode_op_as(ch.c, CNodeDelete, ch.c);
    assert_current(seL4_CapInitThreadTCB);
    ck_assert_ptr_null(sc->tcb);
    ck_assert_ptr_eq(sc->reply, reply_ptr(ch.r2));
    ck_assert_uint_eq(state_of(ch.b), ThreadState_BlockedOnReply);
    assert_inv();
    /* The root deletes r2: popped, the SC goes to b (Inactive). */
    OK(ktest_cnode_delete(ROOT, ch.r2, 64));
    ck_assert_uint_eq(state_of(ch.b), ThreadState_Inactive);
    ck_assert_ptr_eq(sc->tcb, tcb_ptr(ch.b));
    ck_assert_ptr_eq(sc->reply, reply_ptr(ch.r1));
    assert_inv();
}
END_TEST

START_TEST(test_delete_middle_caller)
{
    struct chain ch = chain3(reply0);
    struct sched_context *sc = sc_ptr(ch.sc);
    /* c deletes b (blocked on r2, the newest): r2 leaves the stack and the SC keeps no stack; r1
     * (a's) stays attached to a but heads nothing. */
    ck_assert_int_eq(cnode_op_as(ch.c, CNodeDelete, ch.b), HOSTSIM_OK);
    assert_current(ch.c);
    ck_assert_ptr_eq(tcb_ptr(ch.c)->sched_context, sc);
    ck_assert_ptr_null(sc->reply);
    ck_assert_ptr_null(reply_ptr(ch.r2)->tcb);
    ck_assert_ptr_null(reply_ptr(ch.r2)->prev);
    ck_assert_ptr_null(reply_ptr(ch.r1)->next);
    ck_assert_ptr_null(reply_ptr(ch.r1)->sc);
    ck_assert_uint_eq(state_of(ch.a), ThreadState_BlockedOnReply);
    assert_inv();
    /* c answers through r2: nobody waits on it any more. Through r1: a is answered, no SC moves.
     */
    uint64_t regs[8];
    fill(regs, 0x70);
    ck_assert_int_eq(sys_as(ch.c, seL4_SysSend, ch.r2, info_of(0, 0, 1), 0, regs), HOSTSIM_OK);
    ck_assert_int_eq(sys_as(ch.c, seL4_SysSend, ch.r1, info_of(0, 0, 1), 0, regs), HOSTSIM_OK);
    ck_assert_uint_eq(state_of(ch.a), ThreadState_Running);
    ck_assert_ptr_null(tcb_ptr(ch.a)->sched_context);
    ck_assert_ptr_eq(tcb_ptr(ch.c)->sched_context, sc);
    assert_inv();
}
END_TEST

START_TEST(test_delete_first_client)
{
    struct chain ch = chain3(reply0);
    struct sched_context *sc = sc_ptr(ch.sc);
    /* c deletes a (blocked on r1, the oldest): r1 leaves the stack, r2 stays its head. */
    ck_assert_int_eq(cnode_op_as(ch.c, CNodeDelete, ch.a), HOSTSIM_OK);
    ck_assert_ptr_null(reply_ptr(ch.r1)->tcb);
    ck_assert_ptr_eq(sc->reply, reply_ptr(ch.r2));
    ck_assert_ptr_null(reply_ptr(ch.r2)->prev);
    assert_inv();
    /* The chain unwinds as far as it goes: c answers b, b's answer through r1 finds nobody. */
    uint64_t regs[8];
    fill(regs, 0);
    ck_assert_int_eq(sys_as(ch.c, seL4_SysReplyRecv, ch.ep2, info_of(0, 0, 0), ch.r2, regs),
                     HOSTSIM_BLOCKED);
    assert_current(ch.b);
    ck_assert_ptr_eq(tcb_ptr(ch.b)->sched_context, sc);
    ck_assert_int_eq(sys_as(ch.b, seL4_SysReplyRecv, ep, info_of(0, 0, 0), ch.r1, regs),
                     HOSTSIM_BLOCKED);
    /* Nobody took the SC back from b: it now waits on ep with an SC of its own. */
    ck_assert_ptr_eq(tcb_ptr(ch.b)->sched_context, sc);
    ck_assert_uint_eq(state_of(ch.b), ThreadState_BlockedOnReceive);
    assert_inv();
}
END_TEST

START_TEST(test_delete_sc_mid_chain)
{
    struct chain ch = chain3(reply0);
    /* c deletes the SC it runs on: it stops running; the stack loses its SC but stays linked. */
    cnode_op_as(ch.c, CNodeDelete, ch.sc);
    assert_current(seL4_CapInitThreadTCB);
    ck_assert_ptr_null(tcb_ptr(ch.c)->sched_context);
    ck_assert_ptr_null(reply_ptr(ch.r2)->sc);
    ck_assert_ptr_eq(reply_ptr(ch.r2)->prev, reply_ptr(ch.r1));
    ck_assert_uint_eq(state_of(ch.a), ThreadState_BlockedOnReply);
    ck_assert_uint_eq(state_of(ch.b), ThreadState_BlockedOnReply);
    assert_inv();
    /* Deleting r2 then cuts (no SC to give back): b is left Inactive, r1 heads nothing. */
    OK(ktest_cnode_delete(ROOT, ch.r2, 64));
    ck_assert_uint_eq(state_of(ch.b), ThreadState_Inactive);
    ck_assert_ptr_null(tcb_ptr(ch.b)->sched_context);
    ck_assert_ptr_null(reply_ptr(ch.r1)->next);
    assert_inv();
    OK(ktest_cnode_delete(ROOT, ch.r1, 64));
    ck_assert_uint_eq(state_of(ch.a), ThreadState_Inactive);
    assert_inv();
}
END_TEST

/* ---- the receive's reply cap ---------------------------------------------------------------- */

/* Thread t (own SC, fault endpoint fep) receives on ep with x6 = bad; the fault message the root
 * then takes from fep (with reply object rf) is returned in regs. */
static void recv_with_bad_reply(uint64_t bad, int64_t sysno, uint64_t regs[8])
{
    uint64_t fep = retype_obj(seL4_EndpointObject, 0);
    uint64_t rf = retype_obj(seL4_ReplyObject, 0);
    uint64_t t = make_thread(200, fep, make_sc(true));
    resume(t);
    uint64_t tr[8] = {0};
    ck_assert_int_eq(sys_as(t, sysno, ep, 0, bad, tr), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(t), ThreadState_BlockedOnSend); /* its fault waits on fep */
    assert_current(seL4_CapInitThreadTCB);
    uint64_t r[8] = {fep, 0, 0, 0, 0, 0, rf, (uint64_t)seL4_SysRecv};
    ck_assert_int_eq(hostsim_root_syscall(r, NULL), HOSTSIM_OK);
    memcpy(regs, r, sizeof(r));
    ck_assert_uint_eq(state_of(t), ThreadState_BlockedOnReply); /* a fault is a call */
    ck_assert_ptr_eq(reply_ptr(rf)->tcb, tcb_ptr(t));
    assert_inv();
}

START_TEST(test_recv_reply_not_a_reply_cap)
{
    uint64_t regs[8];
    recv_with_bad_reply(ep, seL4_SysRecv, regs); /* x6 names an endpoint cap */
    ck_assert_uint_eq(label_of(regs[1]), seL4_Fault_CapFault);
    ck_assert_uint_eq(regs[3], ep); /* MR1: the address, x6's value */
    ck_assert_uint_eq(regs[4], 1);  /* MR2: in the receive phase */
    ck_assert_uint_eq(regs[5], seL4_MissingCapability);
    ck_assert_uint_eq(hostsim_root_ipc_buffer()->msg[4], 0); /* bits left */
}
END_TEST

START_TEST(test_recv_reply_empty_slot)
{
    uint64_t regs[8];
    recv_with_bad_reply(NONE_SLOT, seL4_SysNBRecv, regs);
    ck_assert_uint_eq(label_of(regs[1]), seL4_Fault_CapFault);
    ck_assert_uint_eq(regs[3], NONE_SLOT);
    ck_assert_uint_eq(regs[4], 1);
    ck_assert_uint_eq(regs[5], seL4_MissingCapability);
}
END_TEST

START_TEST(test_recv_reply_lookup_fails)
{
    uint64_t regs[8];
    uint64_t bad = ~0ull; /* guard mismatch in the root CNode */
    recv_with_bad_reply(bad, seL4_SysRecv, regs);
    ck_assert_uint_eq(label_of(regs[1]), seL4_Fault_CapFault);
    ck_assert_uint_eq(regs[3], bad);
    ck_assert_uint_eq(regs[4], 1);
    ck_assert_uint_ne(regs[5], seL4_MissingCapability); /* the lookup's own failure */
}
END_TEST

START_TEST(test_wait_takes_no_reply_cap)
{
    /* Wait on an endpoint and Recv on a notification ignore x6. */
    uint64_t t = make_thread(200, NONE_SLOT, make_sc(true));
    resume(t);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(t, seL4_SysWait, ep, 0, ~0ull, regs), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(t), ThreadState_BlockedOnReceive);
    ck_assert_ptr_null(tcb_ptr(t)->reply);
    uint64_t n = retype_obj(seL4_NotificationObject, 0);
    uint64_t u = make_thread(200, NONE_SLOT, make_sc(true));
    resume(u);
    ck_assert_int_eq(sys_as(u, seL4_SysRecv, n, 0, ~0ull, regs), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(u), ThreadState_BlockedOnNotification);
    assert_inv();
}
END_TEST

START_TEST(test_reply_object_taken_from_other_receiver)
{
    /* s waits with reply0; t receives with reply0 too: s's receive is cancelled (Inactive). */
    uint64_t s = make_thread(200, NONE_SLOT, make_sc(true));
    resume(s);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(s, seL4_SysRecv, ep, 0, reply0, regs), HOSTSIM_BLOCKED);
    uint64_t ep2 = retype_obj(seL4_EndpointObject, 0);
    uint64_t t = make_thread(200, NONE_SLOT, make_sc(true));
    resume(t);
    ck_assert_int_eq(sys_as(t, seL4_SysRecv, ep2, 0, reply0, regs), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(s), ThreadState_Inactive);
    ck_assert_ptr_null(tcb_ptr(s)->reply);
    ck_assert_ptr_eq(reply_ptr(reply0)->tcb, tcb_ptr(t));
    assert_inv();
}
END_TEST

START_TEST(test_delete_reply_of_waiting_receiver)
{
    uint64_t s = make_thread(200, NONE_SLOT, make_sc(true));
    resume(s);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(s, seL4_SysRecv, ep, 0, reply0, regs), HOSTSIM_BLOCKED);
    OK(ktest_cnode_delete(ROOT, reply0, 64));
    ck_assert_uint_eq(state_of(s), ThreadState_Inactive);
    ck_assert_ptr_null(tcb_ptr(s)->reply);
    assert_inv();
}
END_TEST

/* ---- the invariant checker's reply rules, each proven by a corruption ----------------------- */

/* The full checker must fail naming `full`; with `quick` set, the quick one (no caps) too, naming
 * it (the full check may see the corruption first from a reply cap's side). */
static void assert_broken(const char *full, const char *quick)
{
    ck_assert_msg(!kernel_invariants_hold(why, sizeof(why)), "corruption not detected");
    ck_assert_msg(strstr(why, full) != NULL, "reason \"%s\" does not mention \"%s\"", why, full);
    if (quick != NULL) {
        ck_assert_msg(!kernel_invariants_quick(why, sizeof(why)), "the quick check missed it");
        ck_assert_msg(strstr(why, quick) != NULL, "quick reason \"%s\" lacks \"%s\"", why, quick);
    }
}

START_TEST(test_checker_caller_without_reply)
{
    struct chain ch = chain3(reply0);
    tcb_ptr(ch.a)->reply = NULL;
    assert_broken("names a TCB whose reply object is another",
                  "blocked on reply but holds no reply object");
}
END_TEST

START_TEST(test_checker_reply_names_other_thread)
{
    struct chain ch = chain3(reply0);
    reply_ptr(ch.r1)->tcb = tcb_ptr(ch.b);
    assert_broken("names a TCB whose reply object is another", "which names TCB");
}
END_TEST

START_TEST(test_checker_next_without_prev)
{
    struct chain ch = chain3(reply0);
    reply_ptr(ch.r2)->prev = NULL; /* r1 still says r2 is newer */
    assert_broken("does not point back", "does not point back");
}
END_TEST

START_TEST(test_checker_prev_without_next)
{
    struct chain ch = chain3(reply0);
    reply_ptr(ch.r1)->next = NULL; /* r2 still says r1 is older */
    assert_broken("does not point forward", "does not point forward");
}
END_TEST

START_TEST(test_checker_head_not_named_by_sc)
{
    struct chain ch = chain3(reply0);
    sc_ptr(ch.sc)->reply = reply_ptr(ch.r1); /* the SC names the older one as its newest */
    assert_broken("does not name it back", "does not name it back");
}
END_TEST

START_TEST(test_checker_sc_on_older_reply)
{
    struct chain ch = chain3(reply0);
    reply_ptr(ch.r1)->sc = sc_ptr(ch.sc); /* two reply objects claim to head the stack */
    assert_broken("yet has a newer one", "yet has a newer one");
}
END_TEST

START_TEST(test_checker_stacked_reply_without_caller)
{
    struct chain ch = chain3(reply0);
    /* b stops waiting for its answer, but r2 stays on the stack naming it. */
    thread_state_ptr_set_ts_type(&tcb_ptr(ch.b)->state, ThreadState_Inactive);
    assert_broken("has no caller blocked on it", "has no caller blocked on it");
}
END_TEST

START_TEST(test_checker_ring)
{
    struct chain ch = chain3(reply0);
    struct reply *p1 = reply_ptr(ch.r1), *p2 = reply_ptr(ch.r2);
    struct sched_context *sc = sc_ptr(ch.sc);
    /* r1 <-> r2 closed into a ring, with every link agreeing both ways and no SC heading it. */
    sc->reply = NULL;
    p2->sc = NULL;
    p2->next = p1;
    p1->prev = p2;
    assert_broken("ring", "ring");
}
END_TEST

START_TEST(test_checker_reply_held_when_inactive)
{
    uint64_t r3 = retype_obj(seL4_ReplyObject, 0);
    uint64_t t = make_thread(50, NONE_SLOT, NONE_SLOT); /* never started: Inactive */
    struct chain ch = chain3(reply0);
    (void)ch;
    /* An Inactive thread holding a reply object (the attachment consistent both ways). */
    tcb_ptr(t)->reply = reply_ptr(r3);
    reply_ptr(r3)->tcb = tcb_ptr(t);
    assert_broken("in state", "in state");
}
END_TEST

START_TEST(test_checker_receivers_reply_on_stack)
{
    uint64_t ep3 = retype_obj(seL4_EndpointObject, 0);
    uint64_t r3 = retype_obj(seL4_ReplyObject, 0);
    uint64_t s = passive_receiver(150, ep3, r3, false);
    struct chain ch = chain3(reply0);
    (void)s;
    /* The waiting receiver's reply object claims an older one: receivers' are on no stack. */
    reply_ptr(r3)->prev = reply_ptr(ch.r2);
    assert_broken("which is on a call stack", "which is on a call stack");
}
END_TEST

START_TEST(test_checker_free_reply_linked)
{
    uint64_t r3 = retype_obj(seL4_ReplyObject, 0);
    struct chain ch = chain3(reply0);
    reply_ptr(r3)->prev = reply_ptr(ch.r2); /* free, yet linked */
    assert_broken("is free (no thread) yet linked", NULL);
}
END_TEST

START_TEST(test_checker_held_reply_without_cap)
{
    struct chain ch = chain3(reply0);
    /* r1's only cap vanishes without the object being finalised. */
    cte_unlink_and_clear(root_slot(ch.r1));
    assert_broken("which no reply cap names", NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reply");
    add_case(s, "chain_unwinds", test_chain_of_three_unwinds);
    add_case(s, "call_and_nbsend_on_reply", test_call_and_nbsend_on_reply_caps);
    add_case(s, "reply_older_cuts", test_reply_through_older_reply_cuts_chain);
    add_case(s, "delete_newest_reply", test_delete_newest_reply_returns_sc);
    add_case(s, "delete_middle_reply", test_delete_middle_reply_cuts_chain);
    add_case(s, "revoke_middle_reply", test_revoke_middle_reply);
    add_case(s, "delete_server", test_delete_server_holding_sc);
    add_case(s, "delete_middle_caller", test_delete_middle_caller);
    add_case(s, "delete_first_client", test_delete_first_client);
    add_case(s, "delete_sc", test_delete_sc_mid_chain);
    add_case(s, "recv_reply_wrong_type", test_recv_reply_not_a_reply_cap);
    add_case(s, "recv_reply_empty", test_recv_reply_empty_slot);
    add_case(s, "recv_reply_lookup", test_recv_reply_lookup_fails);
    add_case(s, "wait_no_reply", test_wait_takes_no_reply_cap);
    add_case(s, "reply_taken", test_reply_object_taken_from_other_receiver);
    add_case(s, "delete_receivers_reply", test_delete_reply_of_waiting_receiver);
    add_case(s, "checker_caller_without_reply", test_checker_caller_without_reply);
    add_case(s, "checker_reply_names_other", test_checker_reply_names_other_thread);
    add_case(s, "checker_next_without_prev", test_checker_next_without_prev);
    add_case(s, "checker_prev_without_next", test_checker_prev_without_next);
    add_case(s, "checker_head_not_named_by_sc", test_checker_head_not_named_by_sc);
    add_case(s, "checker_sc_on_older_reply", test_checker_sc_on_older_reply);
    add_case(s, "checker_stacked_reply_without_caller", test_checker_stacked_reply_without_caller);
    add_case(s, "checker_ring", test_checker_ring);
    add_case(s, "checker_reply_held_when_inactive", test_checker_reply_held_when_inactive);
    add_case(s, "checker_receivers_reply_on_stack", test_checker_receivers_reply_on_stack);
    add_case(s, "checker_free_reply_linked", test_checker_free_reply_linked);
    add_case(s, "checker_held_reply_without_cap", test_checker_held_reply_without_cap);
    return ktest_run(s);
}
