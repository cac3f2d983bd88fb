/* SPDX-License-Identifier: BSD-2-Clause */
/* MCS reply objects and the call stack (CONFIG_KERNEL_MCS; <kaal/mcs.h>, docs/mcs.md).
 *
 * SKELETON (owner: mcs-reply). Placeholders that keep the MCS build green and let a Call be
 * answered through a reply object, without call stacks or donation: a reply object only links
 * the caller blocked on it. Not a finished implementation; not to be reported as one. */
#include <kaal/ipc.h>
#include <kaal/mcs.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

void reply_push(struct tcb *caller, struct tcb *callee, struct reply *reply, bool can_donate)
{
    (void)callee;
    (void)can_donate; /* placeholder: no donation, no call stack */
    kassert(reply->tcb == NULL);
    sched_set_thread_state(caller, ThreadState_BlockedOnReply);
    reply->tcb = caller;
    caller->reply = reply;
}

void reply_unlink(struct reply *reply, struct tcb *tcb)
{
    kassert(reply->tcb == tcb && tcb->reply == reply);
    reply->tcb = NULL;
    tcb->reply = NULL;
    sched_set_thread_state(tcb, ThreadState_Inactive);
}

void reply_remove(struct reply *reply, struct tcb *tcb) { reply_unlink(reply, tcb); }

void reply_pop(struct reply *reply, struct tcb *tcb) { reply_unlink(reply, tcb); }

void reply_remove_tcb(struct tcb *t)
{
    if (t->reply != NULL) {
        reply_remove(t->reply, t);
    }
}

void reply_finalise(struct reply *reply)
{
    struct tcb *t = reply->tcb;
    if (t == NULL) {
        return;
    }
    if (thread_state_type(t) == ThreadState_BlockedOnReply) {
        reply_remove(reply, t);
    } else {
        ipc_cancel(t); /* a receiver that supplied it: off its endpoint queue, unlinked */
    }
}

void reply_invoke(struct tcb *replier, word_t *sbuf, struct reply *reply, bool grant)
{
    struct tcb *caller = reply->tcb;
    if (caller == NULL || thread_state_type(caller) != ThreadState_BlockedOnReply) {
        return; /* a stale reply object: nothing happens */
    }
    reply->tcb = NULL;
    caller->reply = NULL;
    if (caller->fault[0] == seL4_Fault_NullFault) {
        ipc_transfer(replier, sbuf, NULL, 0, grant, caller);
        sched_set_thread_state(caller, ThreadState_Running);
        sched_possible_switch_to(caller);
        return;
    }
    bool restart = fault_handle_reply(caller, replier);
    caller->fault[0] = seL4_Fault_NullFault;
    if (restart) {
        sched_set_thread_state(caller, ThreadState_Restart);
        sched_possible_switch_to(caller);
    } else {
        sched_set_thread_state(caller, ThreadState_Inactive);
    }
}
