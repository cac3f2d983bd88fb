/* SPDX-License-Identifier: BSD-2-Clause */
/* Notification queues and TCB binding: the parts deletion needs (cancel waiters, unbind). The IPC
 * issue adds signal and wait on top of the same queue. */
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/thread.h>

enum ntfn_state { NTFN_IDLE = 0, NTFN_WAITING = 1, NTFN_ACTIVE = 2 };

void ntfn_cancel_all(notification_t *ntfn)
{
    if (notification_get_state(*ntfn) != NTFN_WAITING) {
        return;
    }
    struct tcb *t = tcb_from_paddr(notification_get_queue_head(*ntfn));
    notification_ptr_set_state(ntfn, NTFN_IDLE);
    notification_ptr_set_queue_head(ntfn, 0);
    notification_ptr_set_queue_tail(ntfn, 0);
    while (t != NULL) {
        struct tcb *next = t->ep_next;
        t->ep_next = NULL;
        t->ep_prev = NULL;
        thread_set_state(t, ThreadState_Restart);
        /* The scheduler (issue 4) enqueues t here. */
        ks.reschedule = true;
        t = next;
    }
}

void ntfn_cancel_signal(struct tcb *t)
{
    kassert(thread_state_type(t) == ThreadState_BlockedOnNotification);
    notification_t *ntfn = PTOV(notification_t, thread_state_get_blocking_object(t->state));
    if (t->ep_prev != NULL) {
        t->ep_prev->ep_next = t->ep_next;
    } else {
        notification_ptr_set_queue_head(ntfn, t->ep_next ? VTOP(t->ep_next) : 0);
    }
    if (t->ep_next != NULL) {
        t->ep_next->ep_prev = t->ep_prev;
    } else {
        notification_ptr_set_queue_tail(ntfn, t->ep_prev ? VTOP(t->ep_prev) : 0);
    }
    t->ep_next = NULL;
    t->ep_prev = NULL;
    if (notification_get_queue_head(*ntfn) == 0) {
        notification_ptr_set_state(ntfn, NTFN_IDLE);
    }
    thread_set_state(t, ThreadState_Inactive);
}

void ntfn_unbind(notification_t *ntfn)
{
    struct tcb *t = tcb_from_paddr(notification_get_bound_tcb(*ntfn));
    if (t == NULL) {
        return;
    }
    notification_ptr_set_bound_tcb(ntfn, 0);
    t->bound_notification = 0;
}

void tcb_unbind_notification(struct tcb *t)
{
    if (t->bound_notification == 0) {
        return;
    }
    notification_t *ntfn = PTOV(notification_t, t->bound_notification);
    kassert(notification_get_bound_tcb(*ntfn) == VTOP(t)); /* binding is kept symmetric */
    notification_ptr_set_bound_tcb(ntfn, 0);
    t->bound_notification = 0;
}
