/* SPDX-License-Identifier: BSD-2-Clause */
/* Refills and kernel time (MCS; core/kernel/sporadic.c). The budget of a scheduling context is a
 * circular list of refills {release time, amount} (sporadic servers, as seL4 keeps them): the
 * amounts always add up to the budget; each refill may be used from its release time on; what a
 * thread uses comes back one period after the refill it used was released. A round-robin context
 * (period 0) keeps exactly two: what is left of this turn (head) and what was used of it (tail).
 *
 * Every function takes the current time where it needs it, so the list arithmetic is pure: the
 * scheduler, the invariant checker and the unit tests all drive the same code. */
#ifndef KAAL_SPORADIC_H
#define KAAL_SPORADIC_H

#include <kaal/mcs.h>

#ifdef CONFIG_KERNEL_MCS

typedef uint64_t ticks_t; /* ticks of the kernel clock (MCS_TIMER_CLOCK_HZ) */

/* Time conversions truncate through kHz, as seL4 does on this platform (62.5 MHz is not a whole
 * number of MHz); both are exact functions of their argument, with no overflow below these. */
#define MCS_TIMER_KHZ (MCS_TIMER_CLOCK_HZ / 1000ull)
_Static_assert(MCS_TIMER_CLOCK_HZ % 1000ull == 0, "the kernel clock runs at a whole kHz");
#define MCS_MAX_US_TO_TICKS (UINT64_MAX / MCS_TIMER_KHZ)
#define MCS_MAX_TICKS_TO_US (UINT64_MAX / 1000ull)
#define MCS_US_TO_TICKS(us) ((uint64_t)(us)*MCS_TIMER_KHZ / 1000ull)

/* The kernel's worst-case time per entry, in ticks; the minimum refill (enough to enter and leave
 * the kernel once more: seL4 MIN_BUDGET, 1250 ticks); the longest period or budget in µs; the
 * latest release time any refill may get (room for five more of the longest period). */
#define MCS_KERNEL_WCET_TICKS MCS_US_TO_TICKS(MCS_KERNEL_WCET_US)
#define MIN_BUDGET (2ull * MCS_KERNEL_WCET_TICKS * CONFIG_KERNEL_WCET_SCALE)
#if CONFIG_KERNEL_STATIC_MAX_PERIOD_US != 0
#define MAX_PERIOD_US ((uint64_t)CONFIG_KERNEL_STATIC_MAX_PERIOD_US)
#else
#define MAX_PERIOD_US (MCS_MAX_US_TO_TICKS / 8u)
#endif
#define MAX_RELEASE_TIME (UINT64_MAX - 5u * MCS_US_TO_TICKS(MAX_PERIOD_US))
/* The deadline is set this much early (seL4 getTimerPrecision; 0 here). */
#define MCS_TIMER_PRECISION_TICKS MCS_US_TO_TICKS(MCS_TIMER_PRECISION_US)

/* A round-robin context has two refills; every context has room for at least that many. */
#define MIN_REFILLS 2u

static inline refill_t *refill_index(struct sched_context *sc, word_t i) { return &sc->refills[i]; }
static inline refill_t *refill_head(struct sched_context *sc)
{
    return refill_index(sc, sc->refill_head);
}
static inline refill_t *refill_tail(struct sched_context *sc)
{
    return refill_index(sc, sc->refill_tail);
}
static inline word_t refill_next(const struct sched_context *sc, word_t i)
{
    return i == sc->refill_max - 1u ? 0 : i + 1u;
}
static inline word_t refill_size(const struct sched_context *sc) { return sc->refill_count; }
static inline bool refill_full(const struct sched_context *sc)
{
    return sc->refill_count == sc->refill_max;
}
static inline bool refill_single(const struct sched_context *sc) { return sc->refill_count == 1; }

/* Round robin (budget == period, stored as period 0)? */
static inline bool sc_round_robin(const struct sched_context *sc) { return sc->period == 0; }

/* What the head refill has left once usage is charged (0 if usage exceeds it). */
static inline ticks_t refill_capacity(struct sched_context *sc, ticks_t usage)
{
    ticks_t amount = refill_head(sc)->amount;
    return usage > amount ? 0 : amount - usage;
}
/* Can the head refill pay for usage and still enter and leave the kernel once more? */
static inline bool refill_sufficient(struct sched_context *sc, ticks_t usage)
{
    return refill_capacity(sc, usage) >= MIN_BUDGET;
}
/* Is the head refill released by now (within one kernel WCET)? */
static inline bool refill_ready(struct sched_context *sc, ticks_t now)
{
    return refill_head(sc)->release <= now + MCS_KERNEL_WCET_TICKS;
}

/* Sum of the amounts (the budget, in a well-formed list). */
ticks_t refill_sum(struct sched_context *sc);

/* A fresh list: max_refills slots, the whole budget (>= MIN_BUDGET) released now; a round-robin
 * one (period 0) also gets its empty tail. Sets sc->period and sc->budget. */
void refill_new(struct sched_context *sc, word_t max_refills, ticks_t budget, ticks_t period,
                ticks_t now);

/* New parameters for a context in use, without letting its thread run more than new_budget in
 * any window of new_period: the head (made due now if it is ready) keeps at most new_budget, the
 * rest of new_budget comes one period later. new_period > 0. */
void refill_update(struct sched_context *sc, ticks_t new_period, ticks_t new_budget,
                   word_t new_max_refills, ticks_t now);

/* Charge usage to a sporadic (period > 0) context: used refills move one period on (merged into
 * the tail when they touch it or the list is full), a partly used head shrinks and starts later,
 * and the head is left with at least MIN_BUDGET. */
void refill_budget_check(struct sched_context *sc, ticks_t usage);

/* Round robin: usage leaves the head for the tail (the head can pay it). */
void refill_rr_charge(struct sched_context *sc, ticks_t usage);
/* Round robin: a new turn: the tail's amount goes back to the head. */
void refill_rr_reset(struct sched_context *sc);

/* The context's thread may run again: if the head is due it is moved to now and every refill it
 * overlaps merged into it (nothing for round robin). True when the head moved. */
bool refill_unblock_check(struct sched_context *sc, ticks_t now);

/* The invariant checker's and the tests' view: is sc's refill list well formed (indices and count
 * within the array and agreeing, amounts adding up to sc->budget, a head of at least MIN_BUDGET;
 * round robin: exactly two; sporadic: in release order with no refill reaching into the next, and
 * none released more than a period (plus a kernel WCET) after the head)? On failure false, with
 * the broken rule in *why. */
bool refill_well_formed(struct sched_context *sc, const char **why);

#endif /* CONFIG_KERNEL_MCS */
#endif
