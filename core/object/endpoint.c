/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoints: FIFO queues of blocked senders or receivers, send and receive (seL4 sendIPC,
 * receiveIPC), and the walks that cancel blocked IPC (all of it, a badge's sends, one thread's). */
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/mcs.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

/* ---- the queue --------------------------------------------------------------------------- */

#ifndef CONFIG_KERNEL_MCS
static void ep_append(endpoint_t *ep, struct tcb *t)
{
    kassert(t->ep_next == NULL && t->ep_prev == NULL); /* a thread waits on one queue at a time */
    struct tcb *tail = tcb_from_paddr(endpoint_get_queue_tail(*ep));
    t->ep_prev = tail;
    if (tail != NULL) {
        tail->ep_next = t;
    } else {
        endpoint_ptr_set_queue_head(ep, VTOP(t));
    }
    endpoint_ptr_set_queue_tail(ep, VTOP(t));
}
#else
/* MCS queues are priority ordered: t goes behind every waiter of its priority or higher (seL4
 * tcbEPAppend under MCS). */
static void ep_append(endpoint_t *ep, struct tcb *t)
{
    kassert(t->ep_next == NULL && t->ep_prev == NULL); /* a thread waits on one queue at a time */
    struct tcb *head = tcb_from_paddr(endpoint_get_queue_head(*ep));
    struct tcb *tail = tcb_from_paddr(endpoint_get_queue_tail(*ep));
    ipc_queue_insert(&head, &tail, t);
    endpoint_ptr_set_queue_head(ep, VTOP(head));
    endpoint_ptr_set_queue_tail(ep, VTOP(tail));
}
#endif

/* Remove t from the endpoint's queue (t must be in it); an emptied queue makes the ep idle. */
static void ep_dequeue(endpoint_t *ep, struct tcb *t)
{
    if (t->ep_prev != NULL) {
        t->ep_prev->ep_next = t->ep_next;
    } else {
        endpoint_ptr_set_queue_head(ep, t->ep_next ? VTOP(t->ep_next) : 0);
    }
    if (t->ep_next != NULL) {
        t->ep_next->ep_prev = t->ep_prev;
    } else {
        endpoint_ptr_set_queue_tail(ep, t->ep_prev ? VTOP(t->ep_prev) : 0);
    }
    t->ep_next = NULL;
    t->ep_prev = NULL;
    if (endpoint_get_queue_head(*ep) == 0) {
        endpoint_ptr_set_state(ep, EP_IDLE);
    }
}

/* Block t on ep in state ts_type with the blocking details, at the tail of the queue. */
static void ep_block(endpoint_t *ep, struct tcb *t, word_t ts_type, enum ep_state state,
                     word_t badge, bool can_grant, bool can_grant_reply, bool is_call)
{
    /* All the blocking details at once (the type changes with its consequences below). */
    t->state = thread_state_new(thread_state_type(t), VTOP(ep), can_grant, can_grant_reply, is_call,
                                badge);
    sched_set_thread_state(t, ts_type);
    ep_append(ep, t);
    endpoint_ptr_set_state(ep, state);
}

/* ---- send and receive -------------------------------------------------------------------- */

/* ep_dequeue of the queue head t (ep_prev is NULL): the common case of a send or receive. */
static inline void ep_dequeue_head(endpoint_t *ep, struct tcb *t)
{
    kassert(t->ep_prev == NULL);
    struct tcb *next = t->ep_next;
    if (next != NULL) {
        next->ep_prev = NULL;
        endpoint_ptr_set_queue_head(ep, VTOP(next));
        t->ep_next = NULL;
    } else {
        endpoint_ptr_set_queue_head(ep, 0);
        endpoint_ptr_set_queue_tail(ep, 0);
        endpoint_ptr_set_state(ep, EP_IDLE);
    }
}

#ifndef CONFIG_KERNEL_MCS
void ep_send(endpoint_t *ep, struct tcb *sender, word_t *sbuf, word_t badge, bool can_grant,
             bool can_grant_reply, bool blocking, bool is_call)
{
    if (endpoint_get_state(*ep) != EP_RECV) {
        if (blocking) {
            ep_block(ep, sender, ThreadState_BlockedOnSend, EP_SEND, badge, can_grant,
                     can_grant_reply, is_call);
        }
        return; /* NBSend with nobody waiting: the message is dropped */
    }
    struct tcb *receiver = tcb_from_paddr(endpoint_get_queue_head(*ep));
    ep_dequeue_head(ep, receiver);
    ipc_transfer(sender, sbuf, ep, badge, can_grant, receiver);
    bool reply_can_grant = thread_state_get_blocking_ipc_can_grant(receiver->state);
    /* Running is runnable: sched_set_thread_state would only set the state's type. */
    thread_state_ptr_set_ts_type(&receiver->state, ThreadState_Running);
    sched_possible_switch_to(receiver);
    if (is_call) {
        if (can_grant || can_grant_reply) {
            ipc_setup_caller_cap(sender, receiver, reply_can_grant);
        } else {
            sched_set_thread_state(sender,
                                   ThreadState_Inactive); /* seL4: a Call that cannot be answered */
        }
    }
}

void ep_receive(endpoint_t *ep, struct tcb *receiver, cap_t ep_cap, bool blocking)
{
    if (ntfn_take_bound_signal(receiver)) {
        return;
    }
    if (endpoint_get_state(*ep) != EP_SEND) {
        if (blocking) {
            ep_block(ep, receiver, ThreadState_BlockedOnReceive, EP_RECV, 0,
                     cap_endpoint_cap_get_can_grant(ep_cap), 0, false);
        } else {
            hal_reg_set(&receiver->arch, REG_BADGE, 0); /* NBRecv with nothing pending */
        }
        return;
    }
    struct tcb *sender = tcb_from_paddr(endpoint_get_queue_head(*ep));
    ep_dequeue_head(ep, sender);
    word_t badge = thread_state_get_blocking_ipc_badge(sender->state);
    bool can_grant = thread_state_get_blocking_ipc_can_grant(sender->state);
    bool can_grant_reply = thread_state_get_blocking_ipc_can_grant_reply(sender->state);
    bool is_call = thread_state_get_blocking_ipc_is_call(sender->state);
    ipc_transfer(sender, IPC_BUFFER_UNKNOWN, ep, badge, can_grant, receiver);
    if (!is_call) {
        /* Running is runnable: sched_set_thread_state would only set the state's type. */
        thread_state_ptr_set_ts_type(&sender->state, ThreadState_Running);
        sched_possible_switch_to(sender);
    } else if (can_grant || can_grant_reply) {
        ipc_setup_caller_cap(sender, receiver, cap_endpoint_cap_get_can_grant(ep_cap));
    } else {
        sched_set_thread_state(sender, ThreadState_Inactive);
    }
}

#else /* CONFIG_KERNEL_MCS */

void ep_send(endpoint_t *ep, struct tcb *sender, word_t *sbuf, word_t badge, bool can_grant,
             bool can_grant_reply, bool blocking, bool is_call, bool can_donate)
{
    if (endpoint_get_state(*ep) != EP_RECV) {
        if (blocking) {
            ep_block(ep, sender, ThreadState_BlockedOnSend, EP_SEND, badge, can_grant,
                     can_grant_reply, is_call);
        }
        return; /* NBSend with nobody waiting: the message is dropped */
    }
    struct tcb *receiver = tcb_from_paddr(endpoint_get_queue_head(*ep));
    ep_dequeue_head(ep, receiver);
    ipc_transfer(sender, sbuf, ep, badge, can_grant, receiver);
    /* The receiver's reply object leaves it: it goes to the caller, or is free again. */
    struct reply *reply = receiver->reply;
    if (reply != NULL) {
        reply_unlink(reply, receiver);
    }
    if (is_call || sender->fault[0] != seL4_Fault_NullFault) {
        if (reply != NULL && (can_grant || can_grant_reply)) {
            reply_push(sender, receiver, reply, can_donate);
        } else {
            sched_set_thread_state(sender, ThreadState_Inactive); /* cannot be answered */
        }
    } else if (can_donate && receiver->sched_context == NULL) {
        /* NBSendRecv / NBSendWait: the send half lends the sender's time one way. */
        sched_context_donate(sender->sched_context, receiver);
    }
    sched_set_thread_state(receiver, ThreadState_Running);
    ipc_sc_unblock(receiver);
    sched_possible_switch_to(receiver);
}

void ep_receive(endpoint_t *ep, struct tcb *receiver, cap_t ep_cap, bool blocking,
                struct reply *reply)
{
    (void)ep_cap;
    if (reply != NULL && reply->tcb != NULL && reply->tcb != receiver) {
        /* The reply object still serves another thread: that IPC ends first. */
        kuser_error("Reply object already has unexecuted reply!");
        ipc_cancel(reply->tcb);
    }
    if (receiver->bound_notification != 0 && ntfn_take_bound_signal(receiver)) {
        return; /* (the call only for a thread with a bound notification: few have one) */
    }
    if (blocking) {
        /* Running on the bound notification's SC: it goes back before the thread waits. */
        ntfn_return_sc_of(receiver);
    }
    if (endpoint_get_state(*ep) != EP_SEND) {
        if (blocking) {
            ep_block(ep, receiver, ThreadState_BlockedOnReceive, EP_RECV, 0, false, 0, false);
            receiver->reply = reply;
            if (reply != NULL) {
                reply->tcb = receiver;
            }
        } else {
            hal_reg_set(&receiver->arch, REG_BADGE, 0); /* NBRecv with nothing pending */
        }
        return;
    }
    struct tcb *sender = tcb_from_paddr(endpoint_get_queue_head(*ep));
    ep_dequeue_head(ep, sender);
    word_t badge = thread_state_get_blocking_ipc_badge(sender->state);
    bool can_grant = thread_state_get_blocking_ipc_can_grant(sender->state);
    bool can_grant_reply = thread_state_get_blocking_ipc_can_grant_reply(sender->state);
    bool is_call = thread_state_get_blocking_ipc_is_call(sender->state);
    ipc_transfer(sender, IPC_BUFFER_UNKNOWN, ep, badge, can_grant, receiver);
    ipc_sc_unblock(sender);
    if (is_call || sender->fault[0] != seL4_Fault_NullFault) {
        if ((can_grant || can_grant_reply) && reply != NULL) {
            /* A timeout fault never lends the faulting thread's time. */
            bool can_donate =
                sender->sched_context != NULL && sender->fault[0] != seL4_Fault_Timeout;
            reply_push(sender, receiver, reply, can_donate);
        } else {
            sched_set_thread_state(sender, ThreadState_Inactive);
        }
    } else {
        sched_set_thread_state(sender, ThreadState_Running);
        sched_possible_switch_to(sender);
    }
}

#endif /* CONFIG_KERNEL_MCS */

/* ---- cancelling -------------------------------------------------------------------------- */

#ifndef CONFIG_KERNEL_MCS
/* Let a thread released from a queue run its system call again from the svc. */
static void ep_restart_thread(struct tcb *t)
{
    t->ep_next = NULL;
    t->ep_prev = NULL;
    sched_set_thread_state(t, ThreadState_Restart);
    sched_enqueue(t);
}
#else
/* Let a thread released from a queue run its system call again from the svc; a receiver's reply
 * object is freed. A thread that was delivering a fault cannot redo it: it stops (seL4 under MCS
 * cancelAllIPC). Threads without an SC become Restart but wait for one. */
static void ep_restart_thread(struct tcb *t)
{
    t->ep_next = NULL;
    t->ep_prev = NULL;
    struct reply *reply = t->reply;
    if (reply != NULL) {
        reply_unlink(reply, t);
    }
    if (t->fault[0] == seL4_Fault_NullFault) {
        sched_set_thread_state(t, ThreadState_Restart);
        ipc_sc_unblock(t);
        sched_possible_switch_to(t);
    } else {
        sched_set_thread_state(t, ThreadState_Inactive);
    }
}
#endif

COLD void ep_cancel_all(endpoint_t *ep)
{
    if (endpoint_get_state(*ep) == EP_IDLE) {
        return;
    }
    struct tcb *t = tcb_from_paddr(endpoint_get_queue_head(*ep));
    endpoint_ptr_set_state(ep, EP_IDLE);
    endpoint_ptr_set_queue_head(ep, 0);
    endpoint_ptr_set_queue_tail(ep, 0);
    while (t != NULL) {
        struct tcb *next = t->ep_next;
        ep_restart_thread(t);
        t = next;
    }
    sched_reschedule_required();
}

COLD void ep_cancel_badged_sends(endpoint_t *ep, word_t badge)
{
    if (endpoint_get_state(*ep) != EP_SEND) {
        return; /* only senders carry a badge */
    }
    struct tcb *t = tcb_from_paddr(endpoint_get_queue_head(*ep));
    while (t != NULL) {
        struct tcb *next = t->ep_next;
        kassert(thread_state_type(t) == ThreadState_BlockedOnSend); /* a send queue holds senders */
        if (thread_state_get_blocking_ipc_badge(t->state) == badge) {
            ep_dequeue(ep, t);
            ep_restart_thread(t);
        }
        t = next;
    }
    sched_reschedule_required();
}

COLD void ep_cancel_ipc(struct tcb *t)
{
    word_t type = thread_state_type(t);
    kassert(type == ThreadState_BlockedOnSend || type == ThreadState_BlockedOnReceive);
    (void)type;
    endpoint_t *ep = PTOV(endpoint_t, thread_state_get_blocking_object(t->state));
    ep_dequeue(ep, t);
#ifdef CONFIG_KERNEL_MCS
    struct reply *reply = t->reply;
    if (reply != NULL) {
        reply_unlink(reply, t); /* leaves t Inactive */
        return;
    }
#endif
    sched_set_thread_state(t, ThreadState_Inactive);
}

#ifdef CONFIG_KERNEL_MCS
COLD void ep_reorder(struct tcb *t)
{
    kassert(thread_state_type(t) == ThreadState_BlockedOnSend ||
            thread_state_type(t) == ThreadState_BlockedOnReceive);
    endpoint_t *ep = PTOV(endpoint_t, thread_state_get_blocking_object(t->state));
    word_t state = endpoint_get_state(*ep);
    ep_dequeue(ep, t); /* may make the endpoint idle for a moment */
    ep_append(ep, t);
    endpoint_ptr_set_state(ep, state);
}
#endif
