/* SPDX-License-Identifier: BSD-2-Clause */
/* The MCS configuration's internal interface (CONFIG_KERNEL_MCS, docs/mcs.md): scheduling
 * contexts and SchedControl (core/object/schedcontext.c, the MCS parts of core/kernel/sched.c and
 * the timer HAL), reply objects and the call stack (core/object/reply.c, the MCS parts of
 * core/kernel/ipc.c, endpoint.c, notification.c), and what the hub, the syscall layer and the TCB
 * decoders call of them. Only included by MCS code; every declaration is MCS-only. */
#ifndef KAAL_MCS_H
#define KAAL_MCS_H

#include <kaal/gen_config.h>

#ifdef CONFIG_KERNEL_MCS

#include <kaal/invocation.h>
#include <kaal/structures.h>

/* ---- time (schedcontext.c) ----------------------------------------------------------------- */

/* The platform's timer figures as seL4 has them for qemu-arm-virt (docs/mcs.md#time): the kernel
 * counts ticks of a 62.5 MHz clock (the EL1 virtual counter on aarch64, the virtual clock on
 * hostsim); users speak microseconds. */
#define MCS_TIMER_CLOCK_HZ 62500000ull
#define MCS_TIMER_PRECISION_US 0
#define MCS_TIMER_OVERHEAD_TICKS 0
#define MCS_KERNEL_WCET_US 10
/* seL4 MIN_BUDGET_US: 2 * WCET * CONFIG_KERNEL_WCET_SCALE (20 us). */
#define MCS_MIN_BUDGET_US (2ull * MCS_KERNEL_WCET_US * CONFIG_KERNEL_WCET_SCALE)

/* Microseconds to ticks and back, truncating (seL4 usToTicks / ticksToUs on this platform). */
uint64_t mcs_us_to_ticks(uint64_t us);
uint64_t mcs_ticks_to_us(uint64_t ticks);
/* seL4 MIN_BUDGET in ticks (1250) and MAX_PERIOD_US (CONFIG_KERNEL_STATIC_MAX_PERIOD_US, or when
 * that is 0 the timer's own limit, 36 893 488 147 419 us). */
uint64_t mcs_min_budget_ticks(void);
uint64_t mcs_max_period_us(void);

/* ---- scheduling-context objects (schedcontext.c, mcs-sc) ----------------------------------- */

/* Untyped_Retype made a zeroed SC of 2^size_bits bytes at sc: set it up inactive (refill_max 0:
 * it runs nothing until SchedControl_ConfigureFlags), core 0, unbound. Cannot fail. */
void sc_init_object(struct sched_context *sc, word_t size_bits);
/* The last cap to sc is being deleted (seL4 schedContext_finalise / finaliseCap): unbind its TCB
 * (which is left without an SC and taken off the ready and release queues), its notification,
 * its call-stack head reply (sc->reply), a thread in YieldTo on it; nothing refers to sc after. */
void sc_finalise(struct sched_context *sc);
/* Active: configured, refill_max != 0 (seL4 sc_active). Inline: the reply path asks. */
static inline bool sc_active(const struct sched_context *sc) { return sc->refill_max != 0; }
/* Sporadic: ConfigureFlags set seL4_SchedContext_Sporadic (seL4 sc_sporadic). */
static inline bool sc_sporadic(const struct sched_context *sc)
{
    return sc != NULL && sc_active(sc) && sc->sporadic != 0;
}
/* Active and its head refill is due now: a thread on it may run (seL4 sc_released). */
bool sc_released(const struct sched_context *sc);
/* Give sc to t for good (SchedContext_Bind, TCB_SetSchedParams, boot): sc->tcb = t,
 * t->sched_context = sc; t is made schedulable if runnable and sc is due (else it goes to the
 * release queue). Preconditions (the decoders check them): both unbound. */
void sched_context_bind_tcb(struct sched_context *sc, struct tcb *t);
/* Take sc away from its thread (Unbind, UnbindObject, SetSchedParams with a null SC, deletion):
 * the thread is left with no SC, off the ready and release queues. sc->tcb must be set. */
void sched_context_unbind_tcb(struct sched_context *sc);
/* Bind sc to / unbind it from a notification (notification's sched_context field). */
void sched_context_bind_ntfn(struct sched_context *sc, notification_t *ntfn);
void sched_context_unbind_ntfn(struct sched_context *sc);
/* Unbind everything from sc: TCB, notification, call-stack head reply (SchedContext_Unbind). */
void sched_context_unbind_all(struct sched_context *sc);
/* Move sc to thread to (donation along a call, a lent notification SC, or back on a reply):
 * the previous owner loses it; to runs on it. to must have no SC. */
void sched_context_donate(struct sched_context *sc, struct tcb *to);
/* SchedContext_* invocations on a sched_context cap and SchedControl_ConfigureFlags on a
 * sched_control cap: decode, then perform (seL4 decodeSchedContextInvocation /
 * decodeSchedControlInvocation), every error as seL4's, in its order. */
exception_t decode_sched_context_invocation(struct invocation_ctx *ctx);
exception_t decode_sched_control_invocation(struct invocation_ctx *ctx);

/* ---- budget and time (sched.c and the timer HAL, mcs-sc) ----------------------------------- */

/* Every kernel entry (syscall, fault, interrupt), before its work: read the clock, charge the
 * time since the last entry to the current SC (seL4 updateTimestamp + checkBudget). Returns false
 * when the budget is exhausted: the entry's work is not done (a syscall restarts later) and the
 * thread has been moved off the CPU (and a timeout fault raised if it has a handler). */
bool mcs_charge_on_entry(void);
/* At kernel exit, after the scheduling decision: program the one-shot timer deadline to the
 * earliest of the current SC's budget end and the release queue's head (seL4 setNextInterrupt,
 * minus the timer precision). */
void mcs_set_next_deadline(void);
/* Send t's timeout fault (label seL4_Fault_Timeout: badge, consumed µs) to the endpoint in its
 * TCB_TIMEOUT_HANDLER slot; never donates. Precondition: that slot holds a valid handler. */
void mcs_send_timeout_fault(struct tcb *t);
/* Is there a valid timeout handler in t's TCB_TIMEOUT_HANDLER slot? */
bool mcs_has_timeout_handler(const struct tcb *t);

/* ---- reply objects and the call stack (reply.c, ipc.c, mcs-reply) -------------------------- */

/* The last cap to reply is being deleted (seL4 finaliseCap for a reply cap): a thread blocked on
 * it (caller waiting for the answer, or receiver that supplied it) is cancelled and the object is
 * removed from its call stack (reply_remove / reply_unlink). */
void reply_finalise(struct reply *reply);
/* Call delivered: caller blocks on reply (BlockedOnReply, reply->tcb = caller,
 * caller->reply = reply), reply is pushed on the call stack of callee's SC; if can_donate and the
 * callee has no SC, the caller's SC is donated to it (seL4 reply_push). */
void reply_push(struct tcb *caller, struct tcb *callee, struct reply *reply, bool can_donate);
/* Answer through the newest reply of a stack: pop it and give the SC back to tcb, the caller, if
 * it has none (seL4 reply_pop). */
void reply_pop(struct reply *reply, struct tcb *tcb);
/* Take reply off its call stack wherever it is, cutting the chain there; the SC does not move
 * unless reply is the head (seL4 reply_remove). tcb is the thread blocked on it. */
void reply_remove(struct reply *reply, struct tcb *tcb);
/* Detach reply from tcb, the thread that holds it (a receiver, BlockedOnReceive, or a caller,
 * BlockedOnReply) (seL4 reply_unlink); tcb is left Inactive (callers that wake it set its state
 * after). */
void reply_unlink(struct reply *reply, struct tcb *tcb);
/* t blocked on reply is cancelled (Suspend, deletion): its reply object leaves the stack (seL4
 * reply_remove_tcb). */
void reply_remove_tcb(struct tcb *t);
/* The reply-cap invocation = Reply (Send/NBSend/Call on a reply cap, the first phase of
 * ReplyRecv): replier answers the caller blocked on reply, with grant the cap's Grant right;
 * nothing happens if no caller waits (a stale reply). sbuf as for ipc_transfer. */
void reply_invoke(struct tcb *replier, word_t *sbuf, struct reply *reply, bool grant);

/* ---- system calls (ipc.c) ------------------------------------------------------------------ */

/* seL4 handleRecv under MCS, for the current thread: receive on the cap in x0 (blocking or not);
 * with can_reply (Recv, NBRecv, ReplyRecv, NBSendRecv) an endpoint receive needs the reply cap
 * in x6 (a CapFault in the receive phase otherwise); Wait/NBWait/NBSendWait pass false. */
void ipc_handle_recv_mcs(bool blocking, bool can_reply);

#endif /* CONFIG_KERNEL_MCS */
#endif
