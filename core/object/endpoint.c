/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoint queues: the walks that cancel blocked IPC (all of it, a badge's sends, or one thread's).
 * The IPC issue adds send and receive on top of the same queue. */
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/thread.h>

enum ep_state { EP_IDLE = 0, EP_SEND = 1, EP_RECV = 2 };

/* Let a thread released from a queue run its system call again from the svc. */
static void ep_restart_thread(struct tcb *t)
{
    t->ep_next = NULL;
    t->ep_prev = NULL;
    thread_set_state(t, ThreadState_Restart);
    /* The scheduler (issue 4) enqueues t here; until then the exit path picks threads itself. */
    ks.reschedule = true;
}

/* Remove t from the endpoint's queue (t must be in it). */
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
}

void ep_cancel_ipc(struct tcb *t)
{
    word_t type = thread_state_type(t);
    kassert(type == ThreadState_BlockedOnSend || type == ThreadState_BlockedOnReceive);
    (void)type;
    endpoint_t *ep = PTOV(endpoint_t, thread_state_get_blocking_object(t->state));
    ep_dequeue(ep, t);
    thread_set_state(t, ThreadState_Inactive);
}
