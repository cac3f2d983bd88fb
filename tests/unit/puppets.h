/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the IPC, notification, fault and IRQ suites: objects retyped into the root
 * CNode, puppet threads made with TCB invocations, and system calls made as the current thread
 * with exact registers. Header-only (static functions), one copy per suite. */
#ifndef PUPPETS_H
#define PUPPETS_H

#include "ktest.h"

#include <string.h>

#include <kaal/kernel.h>
#include <kaal/thread.h>

#define ROOT seL4_CapInitThreadCNode
/* A sentinel for registers that must not change. */
#define SENT(i) (0x5e000000ull + (i))
#define ROOT_PRIO 10u

static uint64_t E0; /* first free root slot; each suite hands out slots from here */
static uint64_t next_slot;

static inline uint64_t alloc_slot(void) { return next_slot++; }

#ifdef CONFIG_KERNEL_MCS
/* Under MCS a thread receives on an endpoint with a reply object (x6): every puppet gets one when
 * it is made, the root one at setup; sys_as passes it with Recv, NBRecv and ReplyRecv. */
static struct {
    uint64_t tcb, reply;
} puppet_replies[64];
static unsigned n_puppet_replies;
static inline uint64_t reply_of(uint64_t tcb_slot)
{
    for (unsigned i = 0; i < n_puppet_replies; i++) {
        if (puppet_replies[i].tcb == tcb_slot) {
            return puppet_replies[i].reply;
        }
    }
    ck_abort_msg("no reply object for the thread in slot %llu", (unsigned long long)tcb_slot);
    return 0;
}
static inline uint64_t retype_obj(uint64_t type, uint64_t bits);
static inline void give_reply(uint64_t tcb_slot)
{
    ck_assert_uint_lt(n_puppet_replies, 64);
    puppet_replies[n_puppet_replies].tcb = tcb_slot;
    puppet_replies[n_puppet_replies++].reply = retype_obj(seL4_ReplyObject, 0);
}
#endif

/* Fresh kernel; the root thread drops to ROOT_PRIO so that puppets can preempt it. */
static inline void puppet_setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
    next_slot = E0;
    uint64_t prio = ROOT_PRIO, auth = seL4_CapInitThreadTCB;
    OK(ktest_call(seL4_CapInitThreadTCB, TCBSetPriority, 1, &prio, 1, &auth));
#ifdef CONFIG_KERNEL_MCS
    n_puppet_replies = 0;
    give_reply(seL4_CapInitThreadTCB);
#endif
}

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

static inline uint64_t mint(uint64_t src, uint64_t rights, uint64_t badge)
{
    uint64_t slot = alloc_slot();
    OK(ktest_cnode_mint(ROOT, slot, 64, ROOT, src, 64, rights, badge));
    return slot;
}

/* A puppet thread: a TCB sharing the root's CSpace and VSpace, with fault endpoint CPtr fault_ep,
 * priority prio and (if with_buffer) its own IPC buffer frame. Not started. Returns its TCB slot.
 * (Under MCS it also gets a scheduling context of its own.) */
/* Configure TCB tcb as a puppet: the root's CSpace and VSpace, IPC buffer at buffer (0: none) in
 * frame_cap, fault endpoint fault_ep, priority prio. Under MCS a thread runs only on a scheduling
 * context: each puppet gets one of its own, 2^8 bytes, round robin with a 1 s budget (no budget
 * ends within a test that does not advance the clock), its fault endpoint as a cap (fault_ep a
 * slot; 0, the null slot: none) given with MCS TCB_SetSchedParams, and a reply object. */
#ifdef CONFIG_KERNEL_MCS
#define PUPPET_BUDGET_US 1000000ull
static inline void configure_puppet(uint64_t tcb, uint64_t prio, uint64_t fault_ep, uint64_t buffer,
                                    uint64_t frame_cap)
{
    uint64_t sc = retype_obj(seL4_SchedContextObject, 8);
    uint64_t sc_words[5] = {PUPPET_BUDGET_US, PUPPET_BUDGET_US, 0, 0, 0};
    OK(ktest_call(hostsim_bootinfo()->schedcontrol.start, SchedControlConfigureFlags, 5, sc_words,
                  1, &sc));
    uint64_t words[3] = {0, 0, buffer};
    uint64_t caps[3] = {ROOT, seL4_CapInitThreadVSpace, frame_cap};
    OK(ktest_call(tcb, TCBConfigure, 3, words, 3, caps));
    uint64_t sp[2] = {0, prio}; /* MCP 0, as a new TCB has in the base configuration */
    uint64_t sp_caps[3] = {seL4_CapInitThreadTCB, sc, fault_ep};
    OK(ktest_call(tcb, TCBSetSchedParams, 2, sp, 3, sp_caps));
    give_reply(tcb);
}
#else
static inline void configure_puppet(uint64_t tcb, uint64_t prio, uint64_t fault_ep, uint64_t buffer,
                                    uint64_t frame_cap)
{
    uint64_t words[4] = {fault_ep, 0, 0, buffer};
    uint64_t caps[3] = {ROOT, seL4_CapInitThreadVSpace, frame_cap};
    OK(ktest_call(tcb, TCBConfigure, 4, words, 3, caps));
    uint64_t auth = seL4_CapInitThreadTCB;
    OK(ktest_call(tcb, TCBSetPriority, 1, &prio, 1, &auth));
}
#endif

static inline uint64_t make_thread(uint64_t prio, uint64_t fault_ep, bool with_buffer)
{
    uint64_t tcb = retype_obj(seL4_TCBObject, 0);
    uint64_t frame = retype_obj(seL4_ARM_SmallPageObject, 0);
    configure_puppet(tcb, prio, fault_ep, with_buffer ? 0x10000000ull + 0x1000ull * tcb : 0, frame);
    return tcb;
}

/* x6 after a receive as thread who: its reply object under MCS, else the sentinel sys_as set. */
static inline uint64_t x6_after_recv(uint64_t who)
{
#ifdef CONFIG_KERNEL_MCS
    return reply_of(who);
#else
    (void)who;
    return SENT(6);
#endif
}

/* The cap type tag in a root CNode slot, read directly (DebugCapIdentify needs the root current).
 */
static inline uint64_t slot_type(uint64_t i) { return cap_get_cap_type(root_slot(i)->cap); }

static inline uint64_t thread_of(uint64_t tcb_slot)
{
    return cap_thread_cap_get_tcb(root_slot(tcb_slot)->cap);
}
static inline struct tcb *tcb_ptr(uint64_t tcb_slot) { return tcb_from_paddr(thread_of(tcb_slot)); }

static inline void resume(uint64_t tcb_slot)
{
    OK(ktest_call(tcb_slot, TCBResume, 0, NULL, 0, NULL));
}

/* make_thread + Resume: with a priority above the root's it becomes the current thread. */
static inline uint64_t start_thread(uint64_t prio, uint64_t fault_ep, bool with_buffer)
{
    uint64_t t = make_thread(prio, fault_ep, with_buffer);
    resume(t);
    return t;
}

static inline seL4_IPCBuffer *buf_of(uint64_t tcb_slot)
{
    return hostsim_thread_ipc_buffer(thread_of(tcb_slot));
}
static inline unsigned state_of(uint64_t tcb_slot)
{
    return hostsim_thread_state(thread_of(tcb_slot));
}

static inline uint64_t reg_of(uint64_t tcb_slot, int r)
{
    uint64_t regs[37];
    hostsim_thread_regs(thread_of(tcb_slot), regs);
    return regs[r];
}

static inline void assert_current(uint64_t tcb_slot)
{
    uint64_t want = tcb_slot == seL4_CapInitThreadTCB ? hostsim_root_thread() : thread_of(tcb_slot);
    ck_assert_msg(hostsim_current_thread() == want, "expected thread in slot %llu to be current",
                  (unsigned long long)tcb_slot);
}

/* A system call as thread `who` (which must be current) with x0..x7 = regs; x2..x5 not given in
 * mrs are set to sentinels. Returns the status; regs holds x0..x7 afterwards. */
static inline enum hostsim_status sys_as(uint64_t who, int64_t sysno, uint64_t x0, uint64_t info,
                                         uint64_t regs[8])
{
    assert_current(who);
    regs[0] = x0;
    regs[1] = info;
    regs[6] = SENT(6);
#ifdef CONFIG_KERNEL_MCS
    if (sysno == seL4_SysRecv || sysno == seL4_SysNBRecv || sysno == seL4_SysReplyRecv) {
        regs[6] = reply_of(who);
    }
#endif
    regs[7] = (uint64_t)sysno;
    return hostsim_syscall_as_current(regs, NULL);
}

/* Message info word. */
static inline uint64_t info_of(uint64_t label, uint64_t caps, uint64_t len)
{
    return seL4_MessageInfo_new(label, 0, caps, len).words[0];
}

/* Fill x2..x5 of regs with the first MRs of a message whose word i is base + i, the rest of it
 * into the buffer of `who`; unused message registers get sentinels. */
static inline void fill_msg(uint64_t regs[8], uint64_t who, uint64_t base, unsigned len)
{
    seL4_IPCBuffer *b = buf_of(who);
    for (unsigned i = 0; i < 4; i++) {
        regs[2 + i] = i < len ? base + i : SENT(2 + i);
    }
    for (unsigned i = 4; i < len && i < seL4_MsgMaxLength && b; i++) {
        b->msg[i] = base + i;
    }
}

static inline uint64_t label_of(uint64_t info)
{
    return seL4_MessageInfo_get_label((seL4_MessageInfo_t){{info}});
}
static inline uint64_t length_of(uint64_t info)
{
    return seL4_MessageInfo_get_length((seL4_MessageInfo_t){{info}});
}
static inline uint64_t extra_of(uint64_t info)
{
    return seL4_MessageInfo_get_extraCaps((seL4_MessageInfo_t){{info}});
}
static inline uint64_t unwrapped_of(uint64_t info)
{
    return seL4_MessageInfo_get_capsUnwrapped((seL4_MessageInfo_t){{info}});
}

static inline TCase *fixture_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, puppet_setup, ktest_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

#endif
