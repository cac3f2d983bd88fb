/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread state, IPC-buffer lookup, activation, suspend and restart. */
#include <kaal/cdt.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

void thread_activate(struct tcb *t)
{
    switch (thread_state_type(t)) {
    case ThreadState_Restart:
        hal_reg_set(&t->arch, REG_NEXT_IP, hal_reg_get(&t->arch, REG_FAULT_IP));
        thread_set_state(t, ThreadState_Running);
        break;
    case ThreadState_Running:
    case ThreadState_IdleThreadState:
        break;
    default:
        kpanic("thread_activate: the scheduler chose a blocked thread");
    }
}

bool thread_is_stopped(const struct tcb *t)
{
    switch (thread_state_type(t)) {
    case ThreadState_Inactive:
    case ThreadState_BlockedOnReceive:
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnReply:
    case ThreadState_BlockedOnNotification:
        return true;
    default:
        return false;
    }
}

void thread_suspend(struct tcb *t)
{
    kassert(t != sched_idle_thread());
    ipc_cancel(t);
    if (thread_state_type(t) == ThreadState_Running) {
        /* Stopped outside the kernel: a later Resume continues at the next instruction. */
        hal_reg_set(&t->arch, REG_FAULT_IP, hal_reg_get(&t->arch, REG_NEXT_IP));
    }
    sched_set_thread_state(t, ThreadState_Inactive);
    sched_dequeue(t);
#ifdef CONFIG_KERNEL_MCS
    if (t->sched_context != NULL) {
        sched_release_remove(t->sched_context); /* no longer waiting for a refill */
    }
    sched_context_cancel_yield_to(t);
#endif
}

void thread_restart(struct tcb *t)
{
    kassert(t != sched_idle_thread());
    if (!thread_is_stopped(t)) {
        return;
    }
    ipc_cancel(t);
#ifndef CONFIG_KERNEL_MCS
    thread_setup_reply_master(t);
#endif
    sched_set_thread_state(t, ThreadState_Restart);
#ifdef CONFIG_KERNEL_MCS
    /* Runs only on an SC with a due refill; a sporadic one is brought up to date first. */
    sched_unblock_check(t->sched_context);
    sched_context_resume(t->sched_context);
#endif
    sched_enqueue(t);
    sched_possible_switch_to(t);
}
