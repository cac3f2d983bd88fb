/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-object-type entry points: creation from untyped, finalisation, and invocation decoders. */
#ifndef KAAL_OBJECTS_H
#define KAAL_OBJECTS_H

#include <kaal/invocation.h>
#include <kaal/structures.h>

/* Size in bits of an object of `type` created with retype argument size_bits (seL4 getObjectSize). */
word_t object_size_bits(word_t type, word_t user_size_bits);
/* Create one object of `type` at physical address pa (zeroed already unless a device frame) and
 * return the cap that names it, with all rights. */
cap_t object_create(word_t type, paddr_t pa, word_t user_size_bits, bool device);

/* Finalise the object when its final cap goes. Returns a zombie cap when the object still has
 * slots to clear (CNode, TCB), else the null cap. Never fails with a user error. */
cap_t object_finalise(cap_t cap, bool final);

/* Arch hand-off for frame, page table, VSpace and ASID pool caps being deleted (unmap, free the
 * ASID). Called by object_finalise; `final` says whether it was the last cap to the object. */
void arch_finalise_cap(cap_t cap, bool final);

/* Endpoint queues (endpoint.c). Released threads go to Restart and run their svc again. */
/* Release every thread queued on the endpoint (its final cap is going). */
void ep_cancel_all(endpoint_t *ep);
/* Release every thread queued sending on the endpoint with this badge (CancelBadgedSends). */
void ep_cancel_badged_sends(endpoint_t *ep, word_t badge);
/* Take thread t (blocked on send or receive) off its endpoint's queue; t becomes Inactive. */
void ep_cancel_ipc(struct tcb *t);

/* Notification queues and binding (notification.c). */
/* Release every thread waiting on the notification (its final cap is going). */
void ntfn_cancel_all(notification_t *ntfn);
/* Take thread t (blocked on the notification) off its queue; t becomes Inactive. */
void ntfn_cancel_signal(struct tcb *t);
/* Unbind the notification from its TCB, if it is bound. */
void ntfn_unbind(notification_t *ntfn);
/* Unbind the TCB's bound notification, if it has one. */
void tcb_unbind_notification(struct tcb *t);
/* Bind ntfn to t (TCB_BindNotification's perform). The decoder has checked, in seL4's order, that
 * t is not bound, the cap is a notification cap with Read right, the notification has no waiting
 * threads (ntfn_has_waiters) and is not bound (notification_get_bound_tcb == 0); each failure is
 * IllegalOperation. */
void ntfn_bind(notification_t *ntfn, struct tcb *t);
bool ntfn_has_waiters(const notification_t *ntfn);
/* Signal: OR badge into the notification, waking one waiter or its bound TCB blocked in Recv. */
void ntfn_signal(notification_t *ntfn, word_t badge);

/* Cancel whatever IPC t is blocked in (seL4 cancelIPC): off an endpoint or notification queue
 * (t becomes Inactive), or, blocked on reply, its pending fault is dropped and the reply cap to
 * it deleted (its state is left for the caller to set). Suspend and Resume use this. */
void ipc_cancel(struct tcb *t);

/* IRQ table hook for deletion (irq.c): the last handler cap for irq is gone: the cap in its
 * IRQ-node slot is deleted (seL4 deletingIRQHandler) and the line becomes inactive and masked. */
void irq_handler_deleted(word_t irq);

/* Invocation decoders, one per object type (decode, then perform). */
exception_t decode_untyped_invocation(struct invocation_ctx *ctx);
exception_t decode_cnode_invocation(struct invocation_ctx *ctx);
exception_t decode_tcb_invocation(struct invocation_ctx *ctx);
exception_t decode_domain_invocation(struct invocation_ctx *ctx);
exception_t decode_irq_control_invocation(struct invocation_ctx *ctx);
exception_t decode_irq_handler_invocation(struct invocation_ctx *ctx);
exception_t decode_sgi_signal_invocation(struct invocation_ctx *ctx);
exception_t decode_arch_invocation(struct invocation_ctx *ctx); /* frame, page table, vspace, asid */

/* Reset an untyped with no children (free index to 0, memory zeroed in chunks). Preemptible. */
exception_t untyped_reset(cte_t *slot);

#endif
