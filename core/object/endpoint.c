/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoints: FIFO queues of blocked senders or receivers, send and receive (seL4 sendIPC,
 * receiveIPC), and the walks that cancel blocked IPC (all of it, a badge's sends, one thread's). */
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/mcs.h>
#include <kaal/objects.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

/* ---- the queue --------------------------------------------------------------------------- */

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

void ep_send(endpoint_t *ep, struct tcb *sender, word_t *sbuf, word_t badge, bool can_grant,
             bool can_grant_reply, bool blocking, bool is_call MCS_ARG(bool can_donate))
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
#ifdef CONFIG_KERNEL_MCS
    /* MCS (mcs-reply refines): the receiver's reply object takes the caller; a one-way send may
     * donate the sender's SC to a passive receiver (seL4 sendIPC). */
    struct reply *reply = receiver->reply;
    if (reply != NULL) {
        reply_unlink(reply, receiver);
    }
    thread_state_ptr_set_ts_type(&receiver->state, ThreadState_Running);
    sched_possible_switch_to(receiver);
    if (is_call) {
        if (reply != NULL && (can_grant || can_grant_reply)) {
            reply_push(sender, receiver, reply, can_donate);
        } else {
            sched_set_thread_state(sender, ThreadState_Inactive);
        }
    } else if (can_donate && receiver->sched_context == NULL && sender->sched_context != NULL) {
        sched_context_donate(sender->sched_context, receiver);
    }
#else
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
#endif
}

void ep_receive(endpoint_t *ep, struct tcb *receiver, cap_t ep_cap,
                bool blocking MCS_ARG(struct reply *reply))
{
#ifdef CONFIG_KERNEL_MCS
    /* A reply object still attached to another thread: that thread's IPC is cancelled first. */
    if (reply != NULL && reply->tcb != NULL) {
        ipc_cancel(reply->tcb);
    }
#endif
    if (ntfn_take_bound_signal(receiver)) {
        return;
    }
    if (endpoint_get_state(*ep) != EP_SEND) {
        if (blocking) {
            ep_block(ep, receiver, ThreadState_BlockedOnReceive, EP_RECV, 0,
                     cap_endpoint_cap_get_can_grant(ep_cap), 0, false);
#ifdef CONFIG_KERNEL_MCS
            receiver->reply = reply;
            if (reply != NULL) {
                reply->tcb = receiver;
            }
#endif
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
#ifdef CONFIG_KERNEL_MCS
    } else if (reply != NULL && (can_grant || can_grant_reply)) {
        bool can_donate = sender->sched_context != NULL && sender->fault[0] != seL4_Fault_Timeout;
        reply_push(sender, receiver, reply, can_donate);
#else
    } else if (can_grant || can_grant_reply) {
        ipc_setup_caller_cap(sender, receiver, cap_endpoint_cap_get_can_grant(ep_cap));
#endif
    } else {
        sched_set_thread_state(sender, ThreadState_Inactive);
    }
}

/* ---- cancelling -------------------------------------------------------------------------- */

/* Let a thread released from a queue run its system call again from the svc. */
static void ep_restart_thread(struct tcb *t)
{
    t->ep_next = NULL;
    t->ep_prev = NULL;
    sched_set_thread_state(t, ThreadState_Restart);
    sched_enqueue(t);
}

void ep_cancel_all(endpoint_t *ep)
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

void ep_cancel_badged_sends(endpoint_t *ep, word_t badge)
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

void ep_cancel_ipc(struct tcb *t)
{
    word_t type = thread_state_type(t);
    kassert(type == ThreadState_BlockedOnSend || type == ThreadState_BlockedOnReceive);
    (void)type;
    endpoint_t *ep = PTOV(endpoint_t, thread_state_get_blocking_object(t->state));
    ep_dequeue(ep, t);
    sched_set_thread_state(t, ThreadState_Inactive);
}
