/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC layer's internal interface, shared by syscall.c, ipc.c, fault.c, endpoint.c and
 * notification.c: endpoint send/receive, message and cap transfer, reply caps, fault messages. */
#ifndef KAAL_IPC_H
#define KAAL_IPC_H

#include <kaal/errors.h>
#include <kaal/objects.h>
#include <kaal/sched.h>
#include <kaal/structures.h>
#ifdef CONFIG_KERNEL_MCS
#include <kaal/mcs.h> /* reply_invoke */
#endif

/* Endpoint state field values (structures.bf). */
enum ep_state { EP_IDLE = 0, EP_SEND = 1, EP_RECV = 2 };
/* Notification state field values (structures.bf). */
enum ntfn_state { NTFN_IDLE = 0, NTFN_WAITING = 1, NTFN_ACTIVE = 2 };

/* --- endpoint.c --- */
/* seL4 sendIPC: sender sends on ep with the cap's badge and rights. A waiting receiver gets the
 * message at once (and, for a Call with Grant or GrantReply, a reply cap; a Call without either
 * leaves the sender Inactive); otherwise a blocking sender queues (BlockedOnSend) and a
 * non-blocking one's message is dropped. Used for Send/NBSend/Call and for fault messages. sbuf:
 * the sender's buffer as for ipc_transfer. */
void ep_send(endpoint_t *ep, struct tcb *sender, word_t *sbuf, word_t badge, bool can_grant,
             bool can_grant_reply, bool blocking, bool is_call MCS_ARG(bool can_donate));
/* MCS: can_donate: the send may donate the sender's SC to a passive receiver (Call, NBSendRecv,
 * NBSendWait, fault messages). */
/* seL4 receiveIPC: receiver receives on ep through ep_cap (its Grant right decides the reply
 * cap's). A pending bound-notification signal wins; then a queued sender; else block (or, non
 * blocking, x0 = 0). MCS: reply is the reply object the receiver supplied (NULL: none; a Call
 * then leaves its caller Inactive). */
void ep_receive(endpoint_t *ep, struct tcb *receiver, cap_t ep_cap,
                bool blocking MCS_ARG(struct reply *reply));

/* Send, NBSend or Call on an endpoint cap with the Send right (sendIPC with the cap's badge and
 * rights), or on a notification cap with it (Signal): performed, and true; false for any other cap
 * (the caller answers it). The one implementation of these invocations: decode_ipc_invocation and
 * the syscall layer's shortcut for them both use it. sbuf: the sender's buffer as for ep_send. */
static inline bool ipc_send_or_signal(struct tcb *t, cap_t cap, word_t *sbuf, bool is_call,
                                      bool is_blocking MCS_ARG(bool can_donate))
{
    if (cap_get_cap_type(cap) == cap_endpoint_cap && cap_endpoint_cap_get_can_send(cap)) {
        ep_send(PTOV(endpoint_t, cap_endpoint_cap_get_ptr(cap)), t, sbuf,
                cap_endpoint_cap_get_badge(cap), cap_endpoint_cap_get_can_grant(cap),
                cap_endpoint_cap_get_can_grant_reply(cap), is_blocking,
                is_call MCS_ARG(can_donate));
        return true;
    }
    if (cap_get_cap_type(cap) == cap_notification_cap && cap_notification_cap_get_can_send(cap)) {
        ntfn_signal(PTOV(notification_t, cap_notification_cap_get_ptr(cap)),
                    cap_notification_cap_get_badge(cap));
        return true;
    }
    return false;
}

#ifdef CONFIG_KERNEL_MCS
/* Send, NBSend or Call on a reply cap (Reply; seL4-MCS performInvocation_Reply: there is nothing to
 * decode, and the first phase of a combined system call may invoke it): performed, and true; false
 * for any other cap. The one implementation: decode_ipc_invocation and the syscall layer's shortcut
 * for ReplyRecv's send half both use it. sbuf as for ipc_send_or_signal. */
static inline bool ipc_reply_invoke_cap(struct tcb *t, cap_t cap, word_t *sbuf)
{
    if (cap_get_cap_type(cap) != cap_reply_cap) {
        return false;
    }
    reply_invoke(t, sbuf, reply_from_paddr(cap_reply_cap_get_ptr(cap)),
                 cap_reply_cap_get_can_grant(cap));
    return true;
}
#endif

#ifdef CONFIG_KERNEL_MCS
/* --- MCS queues and wake-ups (endpoint.c, notification.c; docs/mcs.md) --- */
/* Insert t into the queue (*head, *tail) behind every thread of its priority or higher: MCS
 * endpoint and notification queues are priority ordered (seL4 tcbEPAppend), first come first
 * served within a priority. Walks from the tail, so equal priorities cost one step. */
static inline void ipc_queue_insert(struct tcb **head, struct tcb **tail, struct tcb *t)
{
    struct tcb *after = *tail;
    while (after != NULL && after->priority < t->priority) {
        after = after->ep_prev;
    }
    t->ep_prev = after;
    t->ep_next = after != NULL ? after->ep_next : *head;
    if (t->ep_next != NULL) {
        t->ep_next->ep_prev = t;
    } else {
        *tail = t;
    }
    if (after != NULL) {
        after->ep_next = t;
    } else {
        *head = t;
    }
}
/* t, waiting in an endpoint (BlockedOnSend/BlockedOnReceive) or notification queue, changed
 * priority: move it to its new place (seL4 reorderEP / reorderNTFN; ipc_priority_changed,
 * <kaal/sched.h>, calls them). */
void ep_reorder(struct tcb *t);
void ntfn_reorder(struct tcb *t);
/* t changed priority (sched_set_priority): if it waits in an endpoint or notification queue, it
 * moves to its new place there (ipc.c). */
void ipc_priority_changed(struct tcb *t);
/* t leaves a wait: its SC, if sporadic and not the running one, pulls due refills forward (seL4
 * refill_unblock_check where IPC unblocks a thread; sched_unblock_check). */
static inline void ipc_sc_unblock(struct tcb *t)
{
    if (t->sched_context != NULL) {
        sched_unblock_check(t->sched_context);
    }
}
/* t waits again: if it runs on ntfn's SC, the SC goes back to ntfn (seL4
 * maybeReturnSchedContext); a current thread stops running. */
void ntfn_take_back_sc(notification_t *ntfn, struct tcb *t);
/* t is about to wait on an endpoint: if it runs on its bound notification's SC, the SC goes back
 * to the notification (seL4 maybeReturnSchedContext). Inline: most threads have none bound. */
static inline void ntfn_return_sc_of(struct tcb *t)
{
    if (t->bound_notification != 0) {
        ntfn_take_back_sc(PTOV(notification_t, t->bound_notification), t);
    }
}
#endif

/* --- notification.c --- */
/* seL4 receiveSignal: Wait (blocking) or Poll on ntfn; only x0 of the receiver is written. */
void ntfn_receive(notification_t *ntfn, struct tcb *receiver, bool blocking);
/* If t's bound notification is active, deliver its word in x0, make it idle and return true. */
bool ntfn_take_bound_signal(struct tcb *t);

/* --- ipc.c --- */
/* A sender's IPC buffer argument meaning "not looked up": the transfer looks it up if the message
 * needs it. Callers that have looked the sender's buffer up (sender view) pass it instead. */
#define IPC_BUFFER_UNKNOWN ((word_t *)1)

/* Write message register i of t (x2..x5 below 4, else its IPC buffer buf) and return i + 1, or
 * return N_MSG_REGISTERS (the message stops there) when i needs a buffer t does not have. */
word_t ipc_set_mr(struct tcb *t, word_t *buf, word_t i, word_t value);
/* seL4 doIPCTransfer: the sender's message (or its pending fault) to the receiver, with the
 * badge in x0 and caps (only with grant). ep is the endpoint used (for unwrapping), or NULL. sbuf
 * is the sender's IPC buffer (sender view) or IPC_BUFFER_UNKNOWN; NULL is allowed when the sender
 * has none or when its message has neither words beyond the registers nor extra caps. */
void ipc_transfer(struct tcb *sender, word_t *sbuf, endpoint_t *ep, word_t badge, bool grant,
                  struct tcb *receiver);
#ifndef CONFIG_KERNEL_MCS
/* seL4 setupCallerCap: sender blocks on reply; receiver gets a one-shot reply cap to it. */
void ipc_setup_caller_cap(struct tcb *sender, struct tcb *receiver, bool can_grant);
/* seL4 deleteCallerCap: drop the receiver's unused reply cap before it receives again. */
void ipc_delete_caller_cap(struct tcb *receiver);
/* seL4 doReplyTransfer: replier answers receiver (BlockedOnReply) through the reply cap in slot,
 * which is consumed. sbuf: the replier's buffer as for ipc_transfer. */
void ipc_reply_transfer(struct tcb *replier, word_t *sbuf, struct tcb *receiver, cte_t *slot,
                        bool grant);
/* seL4 handleReply: the current thread replies through its TCB_CALLER reply cap, if any. */
void ipc_handle_reply(void);
/* Recv / NBRecv on the cap in x0 of the current thread (seL4 handleRecv). MCS:
 * ipc_handle_recv_mcs (<kaal/mcs.h>). */
void ipc_handle_recv(bool blocking);
#endif

/* --- fault.c --- */
/* Write the pending fault of `faulting` as the message of receiver (MRs and length); returns the
 * length delivered (capped at 4 without a receive buffer). */
word_t fault_message(struct tcb *faulting, struct tcb *receiver, word_t *receive_buffer);
/* seL4 handleFaultReply: apply replier's reply to faulting's registers; true if it restarts. */
bool fault_handle_reply(struct tcb *faulting, struct tcb *replier);
/* Record a cap fault for cptr on t (in_recv_phase: in a receive). */
void fault_set_cap_fault(struct tcb *t, cptr_t cptr, bool in_recv_phase,
                         const struct lookup_fault *lf);

#endif
