/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the MCS IPC suites (check_reply.c, check_donation.c): objects retyped into the
 * root CNode, puppet threads with scheduling contexts made with MCS invocations, passive receivers,
 * and system calls made as the current thread with exact registers (x6, x8 included). Header-only
 * (static functions), one copy per suite. */
#ifndef MCS_PUPPETS_H
#define MCS_PUPPETS_H

#include "ktest.h"

#include <string.h>

#include <kaal/cdt.h>
#include <kaal/gen_config.h>
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
static inline uint64_t alloc_slot(void) { return next_slot++; }

static inline cte_t *root_slot(uint64_t i)
{
    return cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap) + i;
}

static inline uint64_t retype_obj(uint64_t type, uint64_t bits)
{
    uint64_t slot = alloc_slot();
    OK(ktest_retype(ktest_untyped(20), type, bits, ROOT, 0, 0, slot, 1));
    return slot;
}

static inline uint64_t copy_cap(uint64_t src, uint64_t rights)
{
    uint64_t slot = alloc_slot();
    OK(ktest_cnode_mint(ROOT, slot, 64, ROOT, src, 64, rights, 0));
    return slot;
}

static inline struct tcb *tcb_ptr(uint64_t slot)
{
    return tcb_from_paddr(cap_thread_cap_get_tcb(root_slot(slot)->cap));
}
static inline uint64_t handle(uint64_t slot)
{
    return cap_thread_cap_get_tcb(root_slot(slot)->cap);
}
static inline struct reply *reply_ptr(uint64_t slot)
{
    return reply_from_paddr(cap_reply_cap_get_ptr(root_slot(slot)->cap));
}
static inline struct sched_context *sc_ptr(uint64_t slot)
{
    return sc_from_paddr(cap_sched_context_cap_get_ptr(root_slot(slot)->cap));
}
static inline unsigned state_of(uint64_t t) { return hostsim_thread_state(handle(t)); }
static inline uint64_t reg_of(uint64_t t, int r)
{
    uint64_t regs[37];
    hostsim_thread_regs(handle(t), regs);
    return regs[r];
}
static inline uint64_t info_of(uint64_t label, uint64_t caps, uint64_t len)
{
    return seL4_MessageInfo_new(label, 0, caps, len).words[0];
}
static inline uint64_t label_of(uint64_t info)
{
    return seL4_MessageInfo_get_label((seL4_MessageInfo_t){{info}});
}
static inline uint64_t length_of(uint64_t info)
{
    return seL4_MessageInfo_get_length((seL4_MessageInfo_t){{info}});
}

static inline void assert_current(uint64_t t)
{
    uint64_t want = t == seL4_CapInitThreadTCB ? hostsim_root_thread() : handle(t);
    ck_assert_msg(hostsim_current_thread() == want, "expected thread in slot %llu to be current",
                  (unsigned long long)t);
}

/* A system call as thread `who` (current): x0, x1 = info, x2..x5 = mr[0..3], x6, x8 as given. */
static inline enum hostsim_status sys_as(uint64_t who, int64_t sysno, uint64_t x0, uint64_t info,
                                         uint64_t x6, uint64_t regs[8])
{
    assert_current(who);
    regs[0] = x0;
    regs[1] = info;
    regs[6] = x6;
    regs[7] = (uint64_t)sysno;
    return hostsim_syscall_as_current(regs, NULL);
}
static inline void fill(uint64_t regs[8], uint64_t base)
{
    for (int i = 0; i < 4; i++) {
        regs[2 + i] = base + (uint64_t)i;
    }
}

/* ---- objects and threads -------------------------------------------------------------------- */

/* An SC of 2^8 bytes configured with budget and period (µs) and badge 0x5c. */
static inline uint64_t make_sc_with(uint64_t budget_us, uint64_t period_us)
{
    uint64_t sc = retype_obj(seL4_SchedContextObject, 8);
    uint64_t mrs[5] = {budget_us, period_us, 0, 0x5c, 0};
    uint64_t caps[1] = {sc};
    OK(ktest_call(hostsim_bootinfo()->schedcontrol.start, SchedControlConfigureFlags, 5, mrs, 1,
                  caps));
    return sc;
}

/* An SC of 2^8 bytes, configured round robin with BUDGET_US, or left unconfigured. */
static inline uint64_t make_sc(bool configure)
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

static inline void bind_sc(uint64_t sc, uint64_t obj)
{
    uint64_t caps[1] = {obj};
    OK(ktest_call(sc, SchedContextBind, 0, NULL, 1, caps));
}

static inline void unbind_sc_from(uint64_t sc, uint64_t obj)
{
    uint64_t caps[1] = {obj};
    OK(ktest_call(sc, SchedContextUnbindObject, 0, NULL, 1, caps));
}

/* A thread sharing the root's CSpace and VSpace with its own IPC buffer frame, priority prio, MCP
 * prio, fault endpoint fault_ep (a cap slot, or NONE_SLOT) and, with sc set, that SC bound. Not
 * started. */
static inline uint64_t make_thread(uint64_t prio, uint64_t fault_ep, uint64_t sc)
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

static inline void resume(uint64_t t) { OK(ktest_call(t, TCBResume, 0, NULL, 0, NULL)); }

/* A passive server: made with an SC, run into Recv on ep with reply object reply (or Wait, with
 * reply NONE_SLOT and wait set), then its SC taken away. The root thread is current again. */
static inline uint64_t passive_receiver(uint64_t prio, uint64_t ep, uint64_t reply, bool wait)
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

static inline void setup(void)
{
    ktest_setup();
    next_slot = ktest_first_empty();
    NONE_SLOT = alloc_slot();
    uint64_t prio = ROOT_PRIO, auth = seL4_CapInitThreadTCB;
    OK(ktest_call(seL4_CapInitThreadTCB, TCBSetPriority, 1, &prio, 1, &auth));
    ep = retype_obj(seL4_EndpointObject, 0);
    reply0 = retype_obj(seL4_ReplyObject, 0);
}

static inline TCase *add_case(Suite *s, const char *name, const TTest *test)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, test);
    suite_add_tcase(s, tc);
    return tc;
}

#endif
