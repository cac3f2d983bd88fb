/* SPDX-License-Identifier: BSD-2-Clause */
/* Reply objects (MCS): the call stack a scheduling context carries along donating Calls (push on
 * the Call, pop on the reply, a cut where a reply object in the middle is used or deleted),
 * replying through a reply cap (seL4 doReplyTransfer), and deleting a reply object. */
#include <kaal/mcs.h>

#ifdef CONFIG_KERNEL_MCS
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

/* The links (struct reply, <kaal/structures.h>):
 *   r->tcb    the thread r is attached to: a receiver waiting with it (BlockedOnReceive) or the
 *             caller blocked on it (BlockedOnReply); t->reply == r then. NULL: free.
 *   r->prev   the reply object pushed before r on the same stack (the older call), or NULL.
 *   r->next   the reply object pushed after r (the newer call), or NULL.
 *   r->sc     set only on a stack's newest reply object: the SC whose head it is (sc->reply == r).
 * A Call that donated pushes; a reply object not on a stack has prev, next and sc all NULL. A cut
 * (a reply object in the middle used or deleted, or the SC deleted) leaves the older part as a
 * stack of its own that no SC heads: its newest reply object has next and sc NULL. */

/* Take r's links out of the stack it is in, joining nothing: the newer neighbour loses its prev,
 * the older its next (a cut); r ends with no links. r must not head an SC's stack. */
static void reply_cut(struct reply *r)
{
    kassert(r->sc == NULL);
    if (r->next != NULL) {
        kassert(r->next->prev == r); /* the stack is doubly linked */
        r->next->prev = NULL;
    }
    if (r->prev != NULL) {
        kassert(r->prev->next == r);
        r->prev->next = NULL;
    }
    r->prev = NULL;
    r->next = NULL;
}

void reply_unlink(struct reply *r, struct tcb *t)
{
    kassert(thread_state_type(t) == ThreadState_BlockedOnReceive ||
            thread_state_type(t) == ThreadState_BlockedOnReply);
    kassert(r->tcb == t && t->reply == r); /* the attachment is kept symmetric */
    r->tcb = NULL;
    t->reply = NULL;
    sched_set_thread_state(t, ThreadState_Inactive);
}

void reply_push(struct tcb *caller, struct tcb *callee, struct reply *r, bool can_donate)
{
    struct sched_context *sc = caller->sched_context;
    /* The receiver's attachment was undone (reply_unlink) or it never had one: r is free and on no
     * stack (a stack's reply objects all have callers blocked on them). */
    kassert(r->tcb == NULL && r->prev == NULL && r->next == NULL && r->sc == NULL);
    /* The caller runs, or is a queued sender: it is attached to no reply object. */
    kassert(caller->reply == NULL);
    callee->reply = NULL;
    r->tcb = caller;
    caller->reply = r;
    sched_set_thread_state(caller, ThreadState_BlockedOnReply);
    if (sc == NULL || callee->sched_context != NULL || !can_donate) {
        return;
    }
    struct reply *old = sc->reply;
    kassert(old == NULL || (old->sc == sc && old->next == NULL)); /* sc heads its stack */
    if (old != NULL) {
        old->sc = NULL;
        old->next = r;
    }
    r->prev = old;
    r->sc = sc;
    sc->reply = r;
    sched_context_donate(sc, callee);
}

void reply_pop(struct reply *r, struct tcb *t)
{
    kassert(r->tcb == t && t->reply == r && thread_state_type(t) == ThreadState_BlockedOnReply);
    struct sched_context *sc = r->sc;
    if (sc != NULL) {
        kassert(sc->reply == r && r->next == NULL);
        struct reply *prev = r->prev;
        sc->reply = prev;
        if (prev != NULL) {
            prev->next = NULL;
            prev->sc = sc;
        }
        r->prev = NULL;
        r->sc = NULL;
        /* The SC goes back only to a caller without one: an SC bound to it while it waited stays,
         * and the donated one stays where it is (seL4 reply_pop). */
        if (t->sched_context == NULL) {
            sched_context_donate(sc, t);
        }
    }
    reply_unlink(r, t);
}

void reply_remove(struct reply *r, struct tcb *t)
{
    kassert(r->tcb == t && t->reply == r && thread_state_type(t) == ThreadState_BlockedOnReply);
    if (r->sc != NULL) {
        reply_pop(r, t); /* the newest of its stack: the SC goes back */
        return;
    }
    reply_cut(r); /* in the middle, or on no stack: the chain is cut, no SC moves */
    reply_unlink(r, t);
}

void reply_remove_tcb(struct tcb *t)
{
    kassert(thread_state_type(t) == ThreadState_BlockedOnReply);
    struct reply *r = t->reply;
    kassert(r != NULL && r->tcb == t); /* under MCS every caller waits on a reply object */
    if (r->sc != NULL) {
        /* The newest of its stack: the SC keeps no stack at all (seL4 reply_remove_tcb); the
         * older reply objects stay linked to each other. */
        kassert(r->sc->reply == r);
        r->sc->reply = NULL;
        r->sc = NULL;
    }
    reply_cut(r);
    reply_unlink(r, t);
}

void reply_finalise(struct reply *r)
{
    struct tcb *t = r->tcb;
    if (t == NULL) {
        return;
    }
    switch (thread_state_type(t)) {
    case ThreadState_BlockedOnReply:
        reply_remove(r, t); /* the caller is left Inactive (with the SC back if r was newest) */
        return;
    case ThreadState_BlockedOnReceive:
        ipc_cancel(t); /* the receiver stops waiting: Inactive */
        return;
    default:
        kpanic("a reply object is attached only to a receiver or a caller");
    }
}

/* After a reply made t runnable (seL4 doReplyTransfer's end): with an SC whose budget is due it
 * may run now; otherwise its SC waits for the next refill, or, with a timeout handler, t takes a
 * timeout fault instead (unless the fault answered was itself one). */
static void reply_resume_caller(struct tcb *t, word_t fault_answered)
{
    if (!sched_is_schedulable(t)) {
        return; /* it runs when it gets (or its SC gets) time, or is released */
    }
    struct sched_context *sc = t->sched_context;
    if (refill_ready(sc, sched_cur_time()) && refill_sufficient(sc, 0)) {
        sched_possible_switch_to_due(t);
    } else if (mcs_has_timeout_handler(t) && fault_answered != seL4_Fault_Timeout) {
        mcs_send_timeout_fault(t);
    } else {
        sched_postpone(sc);
    }
}

void reply_invoke(struct tcb *replier, word_t *sbuf, struct reply *r, bool grant)
{
    struct tcb *caller = r->tcb;
    if (caller == NULL || thread_state_type(caller) != ThreadState_BlockedOnReply) {
        return; /* a stale reply object: nothing happens, no error */
    }
    reply_remove(r, caller); /* caller Inactive, off the stack; its SC back if r was newest */
    word_t fault = caller->fault[0];
    if (fault == seL4_Fault_NullFault) {
        ipc_transfer(replier, sbuf, NULL, 0, grant, caller);
        sched_set_thread_state(caller, ThreadState_Running);
    } else {
        bool restart = fault_handle_reply(caller, replier);
        caller->fault[0] = seL4_Fault_NullFault;
        sched_set_thread_state(caller, restart ? ThreadState_Restart : ThreadState_Inactive);
    }
    reply_resume_caller(caller, fault);
}

#endif /* CONFIG_KERNEL_MCS */
