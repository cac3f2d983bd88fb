/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications: signal (OR a badge into the word), wait and poll, FIFO queues of waiters, TCB
 * binding (a bound notification wakes its TCB blocked in Recv on an endpoint), and the walks that
 * deletion needs. */
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/mcs.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

/* ---- the queue --------------------------------------------------------------------------- */

#ifndef CONFIG_KERNEL_MCS
static void ntfn_append(notification_t *ntfn, struct tcb *t)
{
    kassert(t->ep_next == NULL && t->ep_prev == NULL); /* a thread waits on one queue at a time */
    struct tcb *tail = tcb_from_paddr(notification_get_queue_tail(*ntfn));
    t->ep_prev = tail;
    if (tail != NULL) {
        tail->ep_next = t;
    } else {
        notification_ptr_set_queue_head(ntfn, VTOP(t));
    }
    notification_ptr_set_queue_tail(ntfn, VTOP(t));
}
#else
/* MCS queues are priority ordered (ipc_queue_insert). */
static void ntfn_append(notification_t *ntfn, struct tcb *t)
{
    kassert(t->ep_next == NULL && t->ep_prev == NULL); /* a thread waits on one queue at a time */
    struct tcb *head = tcb_from_paddr(notification_get_queue_head(*ntfn));
    struct tcb *tail = tcb_from_paddr(notification_get_queue_tail(*ntfn));
    ipc_queue_insert(&head, &tail, t);
    notification_ptr_set_queue_head(ntfn, VTOP(head));
    notification_ptr_set_queue_tail(ntfn, VTOP(tail));
}
#endif

/* Remove t from the queue (t must be in it); an emptied queue makes the notification idle. */
static void ntfn_dequeue(notification_t *ntfn, struct tcb *t)
{
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
}

#ifndef CONFIG_KERNEL_MCS
/* Wake t with the word in x0 (only x0 is written). Running is runnable, so for it
 * sched_set_thread_state would only set the state's type (no dequeue, no reschedule). */
static inline void ntfn_wake(notification_t *ntfn, struct tcb *t, word_t badge)
{
    (void)ntfn;
    hal_reg_set(&t->arch, REG_BADGE, badge);
    thread_state_ptr_set_ts_type(&t->state, ThreadState_Running);
    sched_possible_switch_to(t);
}
#else
/* A thread without an SC woken by ntfn runs on the notification's SC if it is free (seL4
 * maybeDonateSchedContext). */
static void ntfn_maybe_donate_sc(notification_t *ntfn, struct tcb *t)
{
    if (t->sched_context != NULL) {
        return;
    }
    struct sched_context *sc = sc_from_paddr(notification_get_sched_context(*ntfn));
    if (sc != NULL && sc->tcb == NULL) {
        sched_context_donate(sc, t);
        ipc_sc_unblock(t);
        sched_context_resume(sc);
    }
}

/* Wake t with the word in x0; it runs if it has (or is lent) an SC. */
static void ntfn_wake(notification_t *ntfn, struct tcb *t, word_t badge)
{
    hal_reg_set(&t->arch, REG_BADGE, badge);
    sched_set_thread_state(t, ThreadState_Running);
    ntfn_maybe_donate_sc(ntfn, t);
    sched_possible_switch_to(t);
}

void ntfn_take_back_sc(notification_t *ntfn, struct tcb *t)
{
    struct sched_context *sc = sc_from_paddr(notification_get_sched_context(*ntfn));
    if (sc != NULL && sc == t->sched_context) {
        sched_context_unbind_tcb(sc);
        if (t == ks.cur_thread) {
            sched_reschedule_required();
        }
    }
}

#endif

static void ntfn_set_active(notification_t *ntfn, word_t badge)
{
    notification_ptr_set_state(ntfn, NTFN_ACTIVE);
    notification_ptr_set_msg_identifier(ntfn, badge);
}

/* ---- signal and wait --------------------------------------------------------------------- */

void ntfn_signal(notification_t *ntfn, word_t badge)
{
    switch (notification_get_state(*ntfn)) {
    case NTFN_IDLE: {
        struct tcb *bound = tcb_from_paddr(notification_get_bound_tcb(*ntfn));
        if (bound != NULL && thread_state_type(bound) == ThreadState_BlockedOnReceive) {
            /* The bound thread waits on an endpoint: the signal takes it out of that receive. */
            ep_cancel_ipc(bound);
            ntfn_wake(ntfn, bound, badge);
        } else {
            ntfn_set_active(ntfn, badge);
        }
        return;
    }
    case NTFN_WAITING: {
        /* ntfn_dequeue of the queue head. */
        struct tcb *t = tcb_from_paddr(notification_get_queue_head(*ntfn));
        kassert(t->ep_prev == NULL);
        struct tcb *next = t->ep_next;
        if (next != NULL) {
            next->ep_prev = NULL;
            notification_ptr_set_queue_head(ntfn, VTOP(next));
            t->ep_next = NULL;
        } else {
            notification_ptr_set_queue_head(ntfn, 0);
            notification_ptr_set_queue_tail(ntfn, 0);
            notification_ptr_set_state(ntfn, NTFN_IDLE);
        }
        ntfn_wake(ntfn, t, badge);
        return;
    }
    default: /* NTFN_ACTIVE */
        notification_ptr_set_msg_identifier(ntfn, notification_get_msg_identifier(*ntfn) | badge);
        return;
    }
}

void ntfn_receive(notification_t *ntfn, struct tcb *receiver, bool blocking)
{
    if (notification_get_state(*ntfn) == NTFN_ACTIVE) {
        hal_reg_set(&receiver->arch, REG_BADGE, notification_get_msg_identifier(*ntfn));
        notification_ptr_set_state(ntfn, NTFN_IDLE);
        notification_ptr_set_msg_identifier(ntfn, 0);
#ifdef CONFIG_KERNEL_MCS
        ntfn_maybe_donate_sc(ntfn, receiver);
#endif
        return;
    }
    if (!blocking) {
        hal_reg_set(&receiver->arch, REG_BADGE, 0); /* Poll with nothing pending */
        return;
    }
    thread_state_ptr_set_blocking_object(&receiver->state, VTOP(ntfn));
#ifdef CONFIG_KERNEL_MCS
    ntfn_take_back_sc(ntfn, receiver); /* waiting again: a lent SC goes home */
#endif
    sched_set_thread_state(receiver, ThreadState_BlockedOnNotification);
    ntfn_append(ntfn, receiver);
    notification_ptr_set_state(ntfn, NTFN_WAITING);
}

bool ntfn_take_bound_signal(struct tcb *t)
{
    if (t->bound_notification == 0) {
        return false;
    }
    notification_t *ntfn = PTOV(notification_t, t->bound_notification);
    if (notification_get_state(*ntfn) != NTFN_ACTIVE) {
        return false;
    }
    ntfn_receive(ntfn, t, false);
    return true;
}

/* ---- binding ----------------------------------------------------------------------------- */

bool ntfn_has_waiters(const notification_t *ntfn)
{
    return notification_get_state(*ntfn) == NTFN_WAITING;
}

COLD void ntfn_bind(notification_t *ntfn, struct tcb *t)
{
    kassert(t->bound_notification == 0 &&
            notification_get_bound_tcb(*ntfn) == 0); /* checked by decode */
    notification_ptr_set_bound_tcb(ntfn, VTOP(t));
    t->bound_notification = VTOP(ntfn);
}

COLD void ntfn_unbind(notification_t *ntfn)
{
    struct tcb *t = tcb_from_paddr(notification_get_bound_tcb(*ntfn));
    if (t == NULL) {
        return;
    }
    notification_ptr_set_bound_tcb(ntfn, 0);
    t->bound_notification = 0;
}

COLD void tcb_unbind_notification(struct tcb *t)
{
    if (t->bound_notification == 0) {
        return;
    }
    notification_t *ntfn = PTOV(notification_t, t->bound_notification);
    kassert(notification_get_bound_tcb(*ntfn) == VTOP(t)); /* binding is kept symmetric */
    notification_ptr_set_bound_tcb(ntfn, 0);
    t->bound_notification = 0;
}

/* ---- cancelling -------------------------------------------------------------------------- */

COLD void ntfn_cancel_all(notification_t *ntfn)
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
        sched_set_thread_state(t, ThreadState_Restart);
#ifndef CONFIG_KERNEL_MCS
        sched_enqueue(t);
#else
        sched_possible_switch_to(t);
#endif
        t = next;
    }
    sched_reschedule_required();
}

COLD void ntfn_cancel_signal(struct tcb *t)
{
    kassert(thread_state_type(t) == ThreadState_BlockedOnNotification);
    ntfn_dequeue(PTOV(notification_t, thread_state_get_blocking_object(t->state)), t);
    sched_set_thread_state(t, ThreadState_Inactive);
}

#ifdef CONFIG_KERNEL_MCS
COLD void ntfn_reorder(struct tcb *t)
{
    kassert(thread_state_type(t) == ThreadState_BlockedOnNotification);
    notification_t *ntfn = PTOV(notification_t, thread_state_get_blocking_object(t->state));
    ntfn_dequeue(ntfn, t); /* may make the notification idle for a moment */
    ntfn_append(ntfn, t);
    notification_ptr_set_state(ntfn, NTFN_WAITING);
}
#endif
