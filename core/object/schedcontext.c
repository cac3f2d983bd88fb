/* SPDX-License-Identifier: BSD-2-Clause */
/* MCS scheduling contexts and SchedControl (CONFIG_KERNEL_MCS; <kaal/mcs.h>, docs/mcs.md).
 *
 * SKELETON (owner: mcs-sc). Placeholders that keep the MCS build green until the real scheduling
 * contexts land: no refills, no budgets, no time; every SchedContext/SchedControl invocation
 * answers IllegalOperation. Not a finished implementation; not to be reported as one. */
#include <kaal/mcs.h>
#include <kaal/sched.h>

/* ---- time ---------------------------------------------------------------------------------- */

uint64_t mcs_us_to_ticks(uint64_t us) { return us * (MCS_TIMER_CLOCK_HZ / 1000u) / 1000u; }

uint64_t mcs_ticks_to_us(uint64_t ticks) { return ticks * 1000u / (MCS_TIMER_CLOCK_HZ / 1000u); }

uint64_t mcs_min_budget_ticks(void)
{
    return 2u * mcs_us_to_ticks(MCS_KERNEL_WCET_US) * CONFIG_KERNEL_WCET_SCALE;
}

uint64_t mcs_max_period_us(void)
{
    if (CONFIG_KERNEL_STATIC_MAX_PERIOD_US != 0) {
        return CONFIG_KERNEL_STATIC_MAX_PERIOD_US;
    }
    return (UINT64_MAX / (MCS_TIMER_CLOCK_HZ / 1000u)) / 8u; /* placeholder: mcs-sc decides */
}

/* ---- objects (placeholders) ---------------------------------------------------------------- */

void sc_init_object(struct sched_context *sc, word_t size_bits)
{
    (void)size_bits; /* refill_max stays 0 until ConfigureFlags: inactive */
    sc->core = 0;
}

void sc_finalise(struct sched_context *sc)
{
    if (sc->tcb != NULL) {
        sched_context_unbind_tcb(sc);
    }
    sc->notification = 0;
    sc->reply = NULL;
    sc->yield_from = NULL;
}

bool sc_active(const struct sched_context *sc) { return sc->refill_max != 0; }

bool sc_sporadic(const struct sched_context *sc) { return sc->sporadic != 0; }

bool sc_released(const struct sched_context *sc) { return sc_active(sc); }

void sched_context_bind_tcb(struct sched_context *sc, struct tcb *t)
{
    kassert(sc->tcb == NULL && t->sched_context == NULL);
    sc->tcb = t;
    t->sched_context = sc;
}

void sched_context_unbind_tcb(struct sched_context *sc)
{
    kassert(sc->tcb != NULL && sc->tcb->sched_context == sc);
    sc->tcb->sched_context = NULL;
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

void sched_context_unbind_all(struct sched_context *sc)
{
    if (sc->tcb != NULL) {
        sched_context_unbind_tcb(sc);
    }
    sched_context_unbind_ntfn(sc);
    sc->reply = NULL;
}

void sched_context_donate(struct sched_context *sc, struct tcb *to)
{
    kassert(to->sched_context == NULL);
    if (sc->tcb != NULL) {
        sc->tcb->sched_context = NULL;
    }
    sc->tcb = to;
    to->sched_context = sc;
}

exception_t decode_sched_context_invocation(struct invocation_ctx *ctx)
{
    return syscall_error_illegal_operation(ctx);
}

exception_t decode_sched_control_invocation(struct invocation_ctx *ctx)
{
    return syscall_error_illegal_operation(ctx);
}

/* ---- budget and time (placeholders: no budget is ever charged) ---------------------------- */

bool mcs_charge_on_entry(void) { return true; }

void mcs_set_next_deadline(void) {}

bool mcs_has_timeout_handler(const struct tcb *t)
{
    return cap_get_cap_type(t->ctes[TCB_TIMEOUT_HANDLER].cap) == cap_endpoint_cap;
}

void mcs_send_timeout_fault(struct tcb *t) { (void)t; }
