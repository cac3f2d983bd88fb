/* SPDX-License-Identifier: BSD-2-Clause */
/* MCS scheduling contexts and SchedControl (CONFIG_KERNEL_MCS; <kaal/mcs.h>, docs/mcs.md): the
 * objects' life (creation, binding to a thread or a notification, donation, deletion), the
 * SchedContext_* invocations and SchedControl_ConfigureFlags, decoded in seL4's order of checks
 * with seL4's errors, and the timeout fault's delivery. Refill arithmetic is in sporadic.c, budget
 * charging and the release queue in sched.c. */
#include <kaal/ipc.h>
#include <kaal/mcs.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/sporadic.h>
#include <kaal/thread.h>

/* ---- state --------------------------------------------------------------------------------- */

void sc_init_object(struct sched_context *sc, word_t size_bits)
{
    (void)size_bits;    /* the capacity is the cap's: sc_refill_max(size_bits) when configured */
    sc->refill_max = 0; /* inactive: it runs nothing until SchedControl_ConfigureFlags */
    sc->core = 0;
}

bool sc_released(const struct sched_context *sc)
{
    if (!sc_active(sc)) {
        return false;
    }
    struct sched_context *s = (struct sched_context *)sc; /* refill_head reads only */
    return refill_ready(s, sched_cur_time());
}

/* seL4 schedContext_updateConsumed: the time charged since the last read, in µs, and the counter
 * restarts (by at most what one conversion can carry: the rest stays for the next read). */
static uint64_t sc_take_consumed_us(struct sched_context *sc)
{
    if (sc->consumed >= MCS_MAX_TICKS_TO_US) {
        sc->consumed -= MCS_MAX_TICKS_TO_US;
        return mcs_ticks_to_us(MCS_MAX_TICKS_TO_US);
    }
    uint64_t us = mcs_ticks_to_us(sc->consumed);
    sc->consumed = 0;
    return us;
}

/* The kernel's answer to SchedContext_Consumed / YieldTo written straight into t: label 0,
 * length 1, MR0 = µs consumed on sc (seL4 setConsumed). */
static void write_consumed(struct tcb *t, struct sched_context *sc)
{
    hal_reg_set(&t->arch, REG_MR0, sc_take_consumed_us(sc));
    hal_reg_set(&t->arch, REG_MSG_INFO, seL4_MessageInfo_new(0, 0, 0, 1).words[0]);
}

void sched_context_bind_tcb(struct sched_context *sc, struct tcb *t)
{
    kassert(sc->tcb == NULL && t->sched_context == NULL); /* the decoders check both */
    t->sched_context = sc;
    sc->tcb = t;
    if (sc_sporadic(sc)) {
        sched_unblock_check(sc);
    }
    sched_context_resume(sc);
    if (sched_is_schedulable(t)) {
        sched_enqueue(t);
        sched_reschedule_required();
    }
}

void sched_context_unbind_tcb(struct sched_context *sc)
{
    struct tcb *t = sc->tcb;
    kassert(t != NULL && t->sched_context == sc);
    if (t == ks.cur_thread) {
        sched_reschedule_required();
    }
    sched_dequeue(t);
    sched_release_remove(sc);
    t->sched_context = NULL;
    sc->tcb = NULL;
}

void sched_context_bind_ntfn(struct sched_context *sc, notification_t *ntfn)
{
    sc->notification = VTOP(ntfn);
    notification_ptr_set_sched_context(ntfn, VTOP(sc));
}

void sched_context_unbind_ntfn(struct sched_context *sc)
{
    if (sc->notification != 0) {
        notification_ptr_set_sched_context(PTOV(notification_t, sc->notification), 0);
        sc->notification = 0;
    }
}

/* The call stack's newest reply object forgets sc (the chain stays; nothing returns to sc). */
static void sc_detach_reply(struct sched_context *sc)
{
    if (sc->reply != NULL) {
        kassert(sc->reply->sc == sc); /* the head's back-pointer */
        sc->reply->sc = NULL;
        sc->reply = NULL;
    }
}

void sched_context_unbind_all(struct sched_context *sc)
{
    if (sc->tcb != NULL) {
        sched_context_unbind_tcb(sc);
    }
    sched_context_unbind_ntfn(sc);
    sc_detach_reply(sc);
}

void sched_context_donate(struct sched_context *sc, struct tcb *to)
{
    kassert(to->sched_context == NULL);
    struct tcb *from = sc->tcb;
    if (from != NULL) {
        sched_dequeue(from);
        sched_release_remove(sc);
        from->sched_context = NULL;
        if (from == ks.cur_thread || from == ks.sched_action) {
            sched_reschedule_required();
        }
    }
    sc->tcb = to;
    to->sched_context = sc;
}

void sched_context_complete_yield_to(struct tcb *t)
{
    struct sched_context *sc = t->yield_to;
    if (sc == NULL) {
        return;
    }
    write_consumed(t, sc);
    sched_context_cancel_yield_to(t);
}

void sched_context_cancel_yield_to(struct tcb *t)
{
    struct sched_context *sc = t->yield_to;
    if (sc != NULL) {
        kassert(sc->yield_from == t);
        sc->yield_from = NULL;
        t->yield_to = NULL;
    }
}

void sc_finalise(struct sched_context *sc)
{
    sched_context_unbind_all(sc);
    if (sc->yield_from != NULL) {
        sched_context_complete_yield_to(sc->yield_from); /* answered with what it had used */
    }
    sched_release_remove(sc);
    sc->refill_max = 0; /* no longer a context any thread may run on */
    sc->sporadic = 0;
}

/* ---- timeout faults ------------------------------------------------------------------------ */

bool mcs_has_timeout_handler(const struct tcb *t)
{
    return cap_get_cap_type(t->ctes[TCB_TIMEOUT_HANDLER].cap) == cap_endpoint_cap;
}

void mcs_send_timeout_fault(struct tcb *t)
{
    cap_t cap = t->ctes[TCB_TIMEOUT_HANDLER].cap;
    kassert(cap_get_cap_type(cap) == cap_endpoint_cap && cap_endpoint_cap_get_can_send(cap) &&
            t->sched_context != NULL); /* installed only when valid; the caller checked */
    t->fault[0] = seL4_Fault_Timeout;
    t->fault[1] = t->sched_context->badge;
    t->fault[2] = 0;
    t->fault[3] = 0;
    /* Like a Call (the handler answers through a reply object), never donating the SC. */
    ep_send(PTOV(endpoint_t, cap_endpoint_cap_get_ptr(cap)), t, IPC_BUFFER_UNKNOWN,
            cap_endpoint_cap_get_badge(cap), cap_endpoint_cap_get_can_grant(cap), true, true, true,
            false);
}

word_t sc_timeout_fault_consumed(struct tcb *t, word_t *words)
{
    if (t->sched_context == NULL) {
        return 0;
    }
    words[0] = sc_take_consumed_us(t->sched_context);
    return 1;
}

/* ---- SchedControl_ConfigureFlags ---------------------------------------------------------- */

static exception_t perform_configure_flags(struct sched_context *sc, ticks_t budget, ticks_t period,
                                           word_t max_refills, word_t badge, word_t flags)
{
    struct tcb *t = sc->tcb;
    ticks_t now = sched_cur_time();
    if (t != NULL) {
        /* Off the queues while its refills change; the time used so far is charged under the
         * old parameters. */
        sched_release_remove(sc);
        sched_dequeue(t);
        sched_commit_if_current(sc);
    }
    if (budget == period) {
        refill_new(sc, MIN_REFILLS, budget, 0, now); /* round robin: period 0, two refills */
    } else if (sc_active(sc) && t != NULL && thread_state_runnable(thread_state_type(t))) {
        refill_update(sc, period, budget, max_refills, now); /* in use: keep the bandwidth */
    } else {
        refill_new(sc, max_refills, budget, period, now);
    }
    if (t != NULL) {
        sched_context_resume(sc);
        if (thread_state_runnable(thread_state_type(t)) && t != ks.cur_thread) {
            sched_possible_switch_to(t);
        }
        if (t == ks.cur_thread) {
            sched_reschedule_required();
        }
    }
    sc->badge = badge;
    sc->sporadic = (flags & seL4_SchedContext_Sporadic) != 0;
    return EXCEPTION_NONE;
}

static exception_t decode_configure_flags(struct invocation_ctx *ctx)
{
    if (ctx->nextra < KAAL_INV_SchedControlConfigureFlags_NCAPS) {
        kuser_error("SchedControl_ConfigureFlags: truncated message (no SC cap)");
        return syscall_error_truncated_message(ctx);
    }
    if (ctx->length < KAAL_INV_SchedControlConfigureFlags_LEN) {
        kuser_error("SchedControl_ConfigureFlags: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    uint64_t budget_us = INV_WORD(ctx, SchedControlConfigureFlags, budget);
    if (budget_us > MAX_PERIOD_US) {
        kuser_error("SchedControl_ConfigureFlags: budget out of range");
        return syscall_error_range(ctx, MCS_MIN_BUDGET_US, MAX_PERIOD_US);
    }
    ticks_t budget = mcs_us_to_ticks(budget_us);
    uint64_t period_us = INV_WORD(ctx, SchedControlConfigureFlags, period);
    if (period_us > MAX_PERIOD_US) {
        kuser_error("SchedControl_ConfigureFlags: period out of range");
        return syscall_error_range(ctx, MCS_MIN_BUDGET_US, MAX_PERIOD_US);
    }
    ticks_t period = mcs_us_to_ticks(period_us);
    if (budget < MIN_BUDGET) {
        kuser_error("SchedControl_ConfigureFlags: budget below the minimum");
        return syscall_error_range(ctx, MCS_MIN_BUDGET_US, MAX_PERIOD_US);
    }
    if (period < MIN_BUDGET) {
        kuser_error("SchedControl_ConfigureFlags: period below the minimum");
        return syscall_error_range(ctx, MCS_MIN_BUDGET_US, MAX_PERIOD_US);
    }
    if (budget > period) {
        kuser_error("SchedControl_ConfigureFlags: budget must not exceed the period");
        return syscall_error_range(ctx, MCS_MIN_BUDGET_US, period_us);
    }
    cap_t sc_cap = ctx->extra_caps[KAAL_CAP_SchedControlConfigureFlags_schedcontext];
    if (cap_get_cap_type(sc_cap) != cap_sched_context_cap) {
        kuser_error("SchedControl_ConfigureFlags: cap 1 is not a scheduling context cap");
        return syscall_error_invalid_capability(ctx, 1);
    }
    word_t extra_refills = INV_WORD(ctx, SchedControlConfigureFlags, extra_refills);
    word_t capacity = sc_refill_max(cap_sched_context_cap_get_size_bits(sc_cap));
    if (extra_refills > capacity - MIN_REFILLS) {
        kuser_error("SchedControl_ConfigureFlags: %lu extra refills, at most %lu fit",
                    (unsigned long)extra_refills, (unsigned long)(capacity - MIN_REFILLS));
        return syscall_error_range(ctx, 0, capacity - MIN_REFILLS);
    }
    word_t badge = INV_WORD(ctx, SchedControlConfigureFlags, badge);
    word_t flags = INV_WORD(ctx, SchedControlConfigureFlags, flags);
    return perform_configure_flags(sc_from_paddr(cap_sched_context_cap_get_ptr(sc_cap)), budget,
                                   period, extra_refills + MIN_REFILLS, badge, flags);
}

exception_t decode_sched_control_invocation(struct invocation_ctx *ctx)
{
    if (ctx->label == SchedControlConfigureFlags) {
        return decode_configure_flags(ctx);
    }
    kuser_error("SchedControl: illegal operation %lu", (unsigned long)ctx->label);
    return syscall_error_illegal_operation(ctx);
}

/* ---- SchedContext invocations -------------------------------------------------------------- */

/* Blocked in IPC (send, receive, notification, reply), as opposed to runnable or Inactive. */
static bool thread_blocked(const struct tcb *t)
{
    switch (thread_state_type(t)) {
    case ThreadState_BlockedOnReceive:
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnNotification:
    case ThreadState_BlockedOnReply:
        return true;
    default:
        return false;
    }
}

static exception_t decode_bind(struct invocation_ctx *ctx, struct sched_context *sc)
{
    if (ctx->nextra < KAAL_INV_SchedContextBind_NCAPS) {
        kuser_error("SchedContext_Bind: truncated message (no cap)");
        return syscall_error_truncated_message(ctx);
    }
    cap_t cap = ctx->extra_caps[KAAL_CAP_SchedContextBind_cap];
    switch (cap_get_cap_type(cap)) {
    case cap_thread_cap: {
        struct tcb *t = tcb_from_paddr(cap_thread_cap_get_tcb(cap));
        if (sc->tcb != NULL) {
            kuser_error("SchedContext_Bind: the scheduling context is bound to a thread already");
            return syscall_error_illegal_operation(ctx);
        }
        if (t->sched_context != NULL) {
            kuser_error("SchedContext_Bind: the thread has a scheduling context already");
            return syscall_error_illegal_operation(ctx);
        }
        if (thread_blocked(t) && !sc_released(sc)) {
            kuser_error("SchedContext_Bind: the thread is blocked and the context not released");
            return syscall_error_illegal_operation(ctx);
        }
        sched_context_bind_tcb(sc, t);
        return EXCEPTION_NONE;
    }
    case cap_notification_cap: {
        notification_t *ntfn = PTOV(notification_t, cap_notification_cap_get_ptr(cap));
        if (sc->notification != 0) {
            kuser_error("SchedContext_Bind: the context is bound to a notification already");
            return syscall_error_illegal_operation(ctx);
        }
        if (notification_get_sched_context(*ntfn) != 0) {
            kuser_error("SchedContext_Bind: the notification has a scheduling context already");
            return syscall_error_illegal_operation(ctx);
        }
        sched_context_bind_ntfn(sc, ntfn);
        return EXCEPTION_NONE;
    }
    default:
        kuser_error("SchedContext_Bind: cap 1 is neither a TCB nor a notification cap");
        return syscall_error_invalid_capability(ctx, 1);
    }
}

static exception_t decode_unbind_object(struct invocation_ctx *ctx, struct sched_context *sc)
{
    if (ctx->nextra < KAAL_INV_SchedContextUnbindObject_NCAPS) {
        kuser_error("SchedContext_UnbindObject: truncated message (no cap)");
        return syscall_error_truncated_message(ctx);
    }
    cap_t cap = ctx->extra_caps[KAAL_CAP_SchedContextUnbindObject_cap];
    switch (cap_get_cap_type(cap)) {
    case cap_thread_cap: {
        struct tcb *t = tcb_from_paddr(cap_thread_cap_get_tcb(cap));
        if (sc->tcb != t) {
            kuser_error("SchedContext_UnbindObject: the context is not bound to that thread");
            return syscall_error_illegal_operation(ctx);
        }
        if (t == ks.cur_thread) {
            kuser_error("SchedContext_UnbindObject: cannot unbind the calling thread");
            return syscall_error_illegal_operation(ctx);
        }
        sched_context_unbind_tcb(sc);
        return EXCEPTION_NONE;
    }
    case cap_notification_cap:
        if (sc->notification != cap_notification_cap_get_ptr(cap)) {
            kuser_error("SchedContext_UnbindObject: the context is not bound to that notification");
            return syscall_error_illegal_operation(ctx);
        }
        sched_context_unbind_ntfn(sc);
        return EXCEPTION_NONE;
    default:
        kuser_error("SchedContext_UnbindObject: cap 1 is neither a TCB nor a notification cap");
        return syscall_error_invalid_capability(ctx, 1);
    }
}

/* seL4 invokeSchedContext_YieldTo. The target runs first if it is at least as urgent as the
 * caller (the caller then waits behind it for its answer); a less urgent one only moves to the
 * head of its queue and the caller is answered at once. */
static exception_t perform_yield_to(struct invocation_ctx *ctx, struct sched_context *sc)
{
    struct tcb *cur = ctx->thread;
    if (sc->yield_from != NULL) {
        sched_context_complete_yield_to(sc->yield_from); /* an older YieldTo to sc is over */
    }
    sched_context_resume(sc);
    struct tcb *t = sc->tcb;
    if (sched_is_schedulable(t)) {
        if (t->priority < cur->priority) {
            sched_dequeue(t);
            sched_enqueue(t);
        } else {
            cur->yield_to = sc;
            sc->yield_from = cur;
            sched_dequeue(t);
            sched_enqueue(cur);
            sched_enqueue(t);
            sched_reschedule_required();
            return EXCEPTION_NONE; /* answered when it next runs (sched_schedule) */
        }
    }
    write_consumed(cur, sc);
    return EXCEPTION_NONE;
}

static exception_t decode_yield_to(struct invocation_ctx *ctx, struct sched_context *sc)
{
    struct tcb *cur = ctx->thread;
    if (sc->tcb == NULL) {
        kuser_error("SchedContext_YieldTo: the context has no thread");
        return syscall_error_illegal_operation(ctx);
    }
    if (sc->tcb == cur) {
        kuser_error("SchedContext_YieldTo: cannot yield to oneself");
        return syscall_error_illegal_operation(ctx);
    }
    if (sc->tcb->priority > cur->mcp) {
        kuser_error("SchedContext_YieldTo: the thread's priority is above the caller's MCP");
        return syscall_error_illegal_operation(ctx);
    }
    if (cur->yield_to != NULL) {
        kuser_error("SchedContext_YieldTo: the caller is in a YieldTo already");
        return syscall_error_illegal_operation(ctx);
    }
    /* The answer is written by the kernel itself (now or when the caller runs again), so the
     * invocation completes as Running: the syscall layer adds no reply of its own. */
    sched_set_thread_state(cur, ThreadState_Running);
    return perform_yield_to(ctx, sc);
}

exception_t decode_sched_context_invocation(struct invocation_ctx *ctx)
{
    struct sched_context *sc = sc_from_paddr(cap_sched_context_cap_get_ptr(ctx->cap));
    switch (ctx->label) {
    case SchedContextBind:
        return decode_bind(ctx, sc);
    case SchedContextUnbind:
        if (sc->tcb != NULL && sc->tcb == ctx->thread) {
            kuser_error("SchedContext_Unbind: cannot unbind the calling thread's own context");
            return syscall_error_illegal_operation(ctx);
        }
        sched_context_unbind_all(sc);
        return EXCEPTION_NONE;
    case SchedContextUnbindObject:
        return decode_unbind_object(ctx, sc);
    case SchedContextConsumed:
        inv_set_result(ctx, 0, sc_take_consumed_us(sc));
        return EXCEPTION_NONE;
    case SchedContextYieldTo:
        return decode_yield_to(ctx, sc);
    default:
        kuser_error("SchedContext: illegal operation %lu", (unsigned long)ctx->label);
        return syscall_error_illegal_operation(ctx);
    }
}
