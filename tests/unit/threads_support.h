/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the TCB, scheduler and domain tests: make threads from untyped memory, set them
 * up with the root's CSpace and VSpace, and act as whichever thread the kernel runs. */
#ifndef THREADS_SUPPORT_H
#define THREADS_SUPPORT_H

#include <string.h>

#include "ktest.h"

#include <kaal/kernel.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

#define ROOT seL4_CapInitThreadCNode
#define ROOT_TCB seL4_CapInitThreadTCB
#define ROOT_VSPACE seL4_CapInitThreadVSpace
static uint64_t E0; /* first free root CNode slot; tests use E0, E0 + 1, ... */

static inline cte_t *root_slot(uint64_t i)
{
    return cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap) + i;
}

/* The TCB (kernel pointer / hostsim handle) named by the thread cap in root slot i. */
static inline struct tcb *tcb_at(uint64_t i)
{
    return tcb_from_paddr(cap_thread_cap_get_tcb(root_slot(i)->cap));
}
static inline uint64_t handle_at(uint64_t i) { return cap_thread_cap_get_tcb(root_slot(i)->cap); }

static inline void retype_into(uint64_t type, uint64_t bits, uint64_t slot)
{
    OK(ktest_retype(ktest_untyped(16), type, bits, ROOT, 0, 0, slot, 1));
}

static inline struct ktest_reply tcb_call(uint64_t tcb, uint64_t label, unsigned n,
                                          const uint64_t *mrs, unsigned ncaps, const uint64_t *caps)
{
    return ktest_call(tcb, label, n, mrs, ncaps, caps);
}

static inline struct ktest_reply configure(uint64_t tcb, uint64_t fault_ep, uint64_t cdata,
                                           uint64_t buffer, uint64_t cnode, uint64_t vspace,
                                           uint64_t frame)
{
    uint64_t mrs[4] = {fault_ep, cdata, 0, buffer};
    uint64_t caps[3] = {cnode, vspace, frame};
    return tcb_call(tcb, TCBConfigure, 4, mrs, 3, caps);
}

static inline struct ktest_reply set_priority(uint64_t tcb, uint64_t auth, uint64_t prio)
{
    uint64_t caps[1] = {auth};
    return tcb_call(tcb, TCBSetPriority, 1, &prio, 1, caps);
}

static inline struct ktest_reply write_pc_sp(uint64_t tcb, bool resume, uint64_t pc, uint64_t sp)
{
    uint64_t mrs[4] = {resume, 2, pc, sp};
    return tcb_call(tcb, TCBWriteRegisters, 4, mrs, 0, NULL);
}

static inline struct ktest_reply resume(uint64_t tcb)
{
    return tcb_call(tcb, TCBResume, 0, NULL, 0, NULL);
}
static inline struct ktest_reply suspend(uint64_t tcb)
{
    return tcb_call(tcb, TCBSuspend, 0, NULL, 0, NULL);
}

/* A thread in root slot `slot` with a frame for its IPC buffer in slot + 1: the root's CSpace and
 * VSpace, IPC buffer at 0x10000, pc = 0x400000 + 0x1000 * slot, priority prio (MCP 0), Inactive. */
static inline void make_thread(uint64_t slot, uint64_t prio)
{
    retype_into(seL4_TCBObject, 0, slot);
    retype_into(seL4_ARM_SmallPageObject, 0, slot + 1);
    OK(configure(slot, 0, 0, 0x10000, ROOT, ROOT_VSPACE, slot + 1));
    OK(write_pc_sp(slot, false, 0x400000 + 0x1000 * slot, 0x800000));
    OK(set_priority(slot, ROOT_TCB, prio));
}

static inline struct ktest_reply cur_call(uint64_t cptr, uint64_t label, unsigned n,
                                          const uint64_t *mrs, unsigned ncaps, const uint64_t *caps)
{
    return ktest_syscall_as_current(seL4_SysCall, cptr, label, n, mrs, ncaps, caps);
}

/* Kernel-level stand-ins for events the harness will drive itself: Yield as the current thread and
 * timer ticks, each followed by the one exit path. */
static inline void yield_current(void)
{
    sched_handle_yield();
    kernel_exit();
}

static inline void timer_ticks(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        sched_timer_tick();
        kernel_exit();
    }
}

static inline TCase *fixture_tcase(Suite *s, const char *name, void (*setup)(void))
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

#endif
