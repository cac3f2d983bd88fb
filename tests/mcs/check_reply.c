/* SPDX-License-Identifier: BSD-2-Clause */
/* MCS reply objects, the call stack and donation (docs/mcs.md#reply-objects-the-call-stack-and-
 * donation), between puppet threads on the MCS hostsim kernel: passive servers, a call chain of
 * three, deletion and revocation in the middle of a chain (reply object, server, client, SC), the
 * receive's reply-cap errors, notification-lent SCs, NBSendRecv / NBSendWait, priority-ordered
 * queues, fault delivery; the invariant checker after every step. */
#include "ktest.h"

#include <string.h>

#include <kaal/gen_config.h>
#include <kaal/cdt.h>
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/mcs.h>
#include <kaal/thread.h>

#define ROOT seL4_CapInitThreadCNode
#define SENT(i) (0x5e000000ull + (i))
#define ROOT_PRIO 10u
/* Round-robin budgets far beyond anything a test uses: no budget ends inside a test. */
#define BUDGET_US 1000000ull

static char why[512];
#define assert_inv() \
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "invariants broken: %s", why)

static uint64_t next_slot;
static uint64_t NONE_SLOT; /* an empty slot: a null cap where an invocation takes an optional cap */
static uint64_t alloc_slot(void) { return next_slot++; }

static cte_t *root_slot(uint64_t i)
{
    return cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap) + i;
}

static uint64_t retype_obj(uint64_t type, uint64_t bits)
{
    uint64_t slot = alloc_slot();
    OK(ktest_retype(ktest_untyped(20), type, bits, ROOT, 0, 0, slot, 1));
    return slot;
}

static uint64_t copy_cap(uint64_t src, uint64_t rights)
{
    uint64_t slot = alloc_slot();
    OK(ktest_cnode_mint(ROOT, slot, 64, ROOT, src, 64, rights, 0));
    return slot;
}

static struct tcb *tcb_ptr(uint64_t slot)
{
    return tcb_from_paddr(cap_thread_cap_get_tcb(root_slot(slot)->cap));
}
static uint64_t handle(uint64_t slot) { return cap_thread_cap_get_tcb(root_slot(slot)->cap); }
static struct reply *reply_ptr(uint64_t slot)
{
    return reply_from_paddr(cap_reply_cap_get_ptr(root_slot(slot)->cap));
}
static struct sched_context *sc_ptr(uint64_t slot)
{
    return sc_from_paddr(cap_sched_context_cap_get_ptr(root_slot(slot)->cap));
}
static unsigned state_of(uint64_t t) { return hostsim_thread_state(handle(t)); }
static uint64_t reg_of(uint64_t t, int r)
{
    uint64_t regs[37];
    hostsim_thread_regs(handle(t), regs);
    return regs[r];
}
static uint64_t info_of(uint64_t label, uint64_t caps, uint64_t len)
{
    return seL4_MessageInfo_new(label, 0, caps, len).words[0];
}
static uint64_t label_of(uint64_t info)
{
    return seL4_MessageInfo_get_label((seL4_MessageInfo_t){{info}});
}
static uint64_t length_of(uint64_t info)
{
    return seL4_MessageInfo_get_length((seL4_MessageInfo_t){{info}});
}

static void assert_current(uint64_t t)
{
    uint64_t want = t == seL4_CapInitThreadTCB ? hostsim_root_thread() : handle(t);
    ck_assert_msg(hostsim_current_thread() == want, "expected thread in slot %llu to be current",
                  (unsigned long long)t);
}

/* A system call as thread `who` (current): x0, x1 = info, x2..x5 = mr[0..3], x6, x8 as given. */
static enum hostsim_status sys_as(uint64_t who, int64_t sysno, uint64_t x0, uint64_t info,
                                  uint64_t x6, uint64_t regs[8])
{
    assert_current(who);
    regs[0] = x0;
    regs[1] = info;
    regs[6] = x6;
    regs[7] = (uint64_t)sysno;
    return hostsim_syscall_as_current(regs, NULL);
}
static void fill(uint64_t regs[8], uint64_t base)
{
    for (int i = 0; i < 4; i++) {
        regs[2 + i] = base + (uint64_t)i;
    }
}

/* ---- objects and threads -------------------------------------------------------------------- */

/* An SC of 2^8 bytes, configured round robin with BUDGET_US, or left unconfigured. */
static uint64_t make_sc(bool configure)
{
    uint64_t sc = retype_obj(seL4_SchedContextObject, 8);
    if (configure) {
        uint64_t mrs[5] = {BUDGET_US, BUDGET_US, 0, 0x5c, 0};
        uint64_t caps[1] = {sc};
        OK(ktest_call(hostsim_bootinfo()->schedcontrol.start, SchedControlConfigureFlags, 5, mrs, 1,
                      caps));
    }
    return sc;
}

static void bind_sc(uint64_t sc, uint64_t obj)
{
    uint64_t caps[1] = {obj};
    OK(ktest_call(sc, SchedContextBind, 0, NULL, 1, caps));
}

static void unbind_sc_from(uint64_t sc, uint64_t obj)
{
    uint64_t caps[1] = {obj};
    OK(ktest_call(sc, SchedContextUnbindObject, 0, NULL, 1, caps));
}

/* A thread sharing the root's CSpace and VSpace with its own IPC buffer frame, priority prio, MCP
 * prio, fault endpoint fault_ep (a cap slot, or NONE_SLOT) and, with sc set, that SC bound. Not
 * started. */
static uint64_t make_thread(uint64_t prio, uint64_t fault_ep, uint64_t sc)
{
    uint64_t tcb = retype_obj(seL4_TCBObject, 0);
    uint64_t frame = retype_obj(seL4_ARM_SmallPageObject, 0);
    uint64_t words[3] = {0, 0, 0x10000000ull + 0x1000ull * tcb};
    uint64_t caps[3] = {ROOT, seL4_CapInitThreadVSpace, frame};
    OK(ktest_call(tcb, TCBConfigure, 3, words, 3, caps));
    uint64_t sp[2] = {prio, prio};
    uint64_t sp_caps[3] = {seL4_CapInitThreadTCB, sc, fault_ep};
    OK(ktest_call(tcb, TCBSetSchedParams, 2, sp, 3, sp_caps));
    return tcb;
}

static void resume(uint64_t t) { OK(ktest_call(t, TCBResume, 0, NULL, 0, NULL)); }

/* A passive server: made with an SC, run into Recv on ep with reply object reply (or Wait, with
 * reply NONE_SLOT and wait set), then its SC taken away. The root thread is current again. */
static uint64_t passive_receiver(uint64_t prio, uint64_t ep, uint64_t reply, bool wait)
{
    uint64_t sc = make_sc(true);
    uint64_t t = make_thread(prio, NONE_SLOT, sc);
    resume(t);
    uint64_t regs[8] = {0};
    ck_assert_int_eq(sys_as(t, wait ? seL4_SysWait : seL4_SysRecv, ep, 0, reply, regs),
                     HOSTSIM_BLOCKED);
    assert_current(seL4_CapInitThreadTCB);
    unbind_sc_from(sc, t);
    ck_assert_ptr_null(tcb_ptr(t)->sched_context);
    ck_assert(state_of(t) == ThreadState_BlockedOnReceive ||
              state_of(t) == ThreadState_BlockedOnNotification);
    return t;
}

static uint64_t ep, reply0;

static void setup(void)
{
    ktest_setup();
    next_slot = ktest_first_empty();
    NONE_SLOT = alloc_slot();
    uint64_t prio = ROOT_PRIO, auth = seL4_CapInitThreadTCB;
    OK(ktest_call(seL4_CapInitThreadTCB, TCBSetPriority, 1, &prio, 1, &auth));
    ep = retype_obj(seL4_EndpointObject, 0);
    reply0 = retype_obj(seL4_ReplyObject, 0);
}

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
    struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"passive_server", test_passive_server_runs_on_callers_sc},
        {"send_no_donation", test_send_to_passive_server_does_not_donate},
        {"call_without_reply_object", test_call_without_reply_object_leaves_caller_inactive},
        {"call_without_grant", test_call_through_cap_without_grant_leaves_caller_inactive},
        {"stale_reply", test_stale_reply},
        {"chain_unwinds", test_chain_of_three_unwinds},
        {"reply_older_cuts", test_reply_through_older_reply_cuts_chain},
        {"delete_newest_reply", test_delete_newest_reply_returns_sc},
        {"delete_middle_reply", test_delete_middle_reply_cuts_chain},
        {"revoke_middle_reply", test_revoke_middle_reply},
        {"delete_server", test_delete_server_holding_sc},
        {"delete_middle_caller", test_delete_middle_caller},
        {"delete_first_client", test_delete_first_client},
        {"delete_sc", test_delete_sc_mid_chain},
        {"recv_reply_wrong_type", test_recv_reply_not_a_reply_cap},
        {"recv_reply_empty", test_recv_reply_empty_slot},
        {"recv_reply_lookup", test_recv_reply_lookup_fails},
        {"wait_no_reply", test_wait_takes_no_reply_cap},
        {"reply_taken", test_reply_object_taken_from_other_receiver},
        {"delete_receivers_reply", test_delete_reply_of_waiting_receiver},
        {"ntfn_lends_sc", test_notification_lends_sc_to_passive_waiter},
        {"bound_ntfn_lends_sc", test_bound_notification_lends_sc_to_passive_server},
        {"busy_ntfn_sc", test_busy_notification_sc_is_not_lent},
        {"nbsendrecv", test_nbsendrecv_and_nbsendwait_donate_one_way},
        {"queue_order", test_queues_are_priority_ordered},
        {"queue_reorder", test_priority_change_reorders_queue},
        {"fault_donates", test_fault_donates_to_passive_handler},
        {"fault_no_handler", test_fault_without_handler_stops_thread},
        {"fault_no_reply_object", test_fault_to_handler_without_reply_object_stops_thread},
        {"checker_caller_without_reply", test_checker_caller_without_reply},
        {"checker_reply_names_other", test_checker_reply_names_other_thread},
        {"checker_next_without_prev", test_checker_next_without_prev},
        {"checker_prev_without_next", test_checker_prev_without_next},
        {"checker_head_not_named_by_sc", test_checker_head_not_named_by_sc},
        {"checker_sc_on_older_reply", test_checker_sc_on_older_reply},
        {"checker_stacked_reply_without_caller", test_checker_stacked_reply_without_caller},
        {"checker_ring", test_checker_ring},
        {"checker_reply_held_when_inactive", test_checker_reply_held_when_inactive},
        {"checker_receivers_reply_on_stack", test_checker_receivers_reply_on_stack},
        {"checker_free_reply_linked", test_checker_free_reply_linked},
        {"checker_held_reply_without_cap", test_checker_held_reply_without_cap},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_checked_fixture(tc, setup, ktest_teardown);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return ktest_run(s);
}
