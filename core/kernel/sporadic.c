/* SPDX-License-Identifier: BSD-2-Clause */
/* Refill lists of scheduling contexts (sporadic servers, seL4-MCS's rules) and the kernel's time
 * conversions (<kaal/sporadic.h>). */
#include <kaal/gen_config.h>

#ifdef CONFIG_KERNEL_MCS
#include <kaal/sporadic.h>

/* ---- time ------------------------------------------------------------------------------------ */

uint64_t mcs_us_to_ticks(uint64_t us) { return MCS_US_TO_TICKS(us); }
uint64_t mcs_ticks_to_us(uint64_t ticks) { return ticks * 1000ull / MCS_TIMER_KHZ; }
uint64_t mcs_min_budget_ticks(void) { return MIN_BUDGET; }
uint64_t mcs_max_period_us(void) { return MAX_PERIOD_US; }

/* ---- the circular list ----------------------------------------------------------------------- */

ticks_t refill_sum(struct sched_context *sc)
{
    ticks_t sum = 0;
    word_t i = sc->refill_head;
    for (word_t n = 0; n < sc->refill_count; n++) {
        sum += refill_index(sc, i)->amount;
        i = refill_next(sc, i);
    }
    return sum;
}

/* Take the head off a list of two or more and return it. */
static refill_t refill_pop_head(struct sched_context *sc)
{
    kassert(!refill_single(sc)); /* a list is never empty */
    refill_t r = *refill_head(sc);
    sc->refill_head = (uint32_t)refill_next(sc, sc->refill_head);
    sc->refill_count--;
    return r;
}

static void refill_add_tail(struct sched_context *sc, refill_t r)
{
    kassert(!refill_full(sc)); /* callers merge instead when it is */
    sc->refill_tail = (uint32_t)refill_next(sc, sc->refill_tail);
    sc->refill_count++;
    *refill_tail(sc) = r;
}

/* A round-robin context keeps what it used this turn in an empty second refill. */
static void maybe_add_empty_tail(struct sched_context *sc)
{
    if (sc_round_robin(sc)) {
        refill_add_tail(sc, (refill_t){.release = refill_head(sc)->release, .amount = 0});
    }
}

void refill_new(struct sched_context *sc, word_t max_refills, ticks_t budget, ticks_t period,
                ticks_t now)
{
    /* The decoder checked the budget and the refill count; the object holds max_refills. */
    kassert(max_refills >= MIN_REFILLS && budget >= MIN_BUDGET && max_refills <= UINT32_MAX);
    sc->period = period;
    sc->budget = budget;
    sc->refill_max = (uint32_t)max_refills;
    sc->refill_head = 0;
    sc->refill_tail = 0;
    sc->refill_count = 1;
    *refill_head(sc) = (refill_t){.release = now, .amount = budget};
    maybe_add_empty_tail(sc);
}

void refill_update(struct sched_context *sc, ticks_t new_period, ticks_t new_budget,
                   word_t new_max_refills, ticks_t now)
{
    kassert(sc->refill_max > 0 && new_period > 0 && new_max_refills >= MIN_REFILLS &&
            new_max_refills <= UINT32_MAX);
    /* Keep only the head, moved to slot 0 so that it stays inside the (maybe smaller) array. */
    *refill_index(sc, 0) = *refill_head(sc);
    sc->refill_head = 0;
    sc->refill_tail = 0;
    sc->refill_count = 1;
    sc->refill_max = (uint32_t)new_max_refills;
    sc->period = new_period;
    sc->budget = new_budget;
    if (refill_ready(sc, now)) {
        refill_head(sc)->release = now;
    }
    refill_t *head = refill_head(sc);
    if (head->amount >= new_budget) {
        head->amount = new_budget; /* this window gets no more than the new budget */
    } else {
        /* The rest of the new budget comes one period after the head's release. */
        refill_add_tail(sc, (refill_t){.release = head->release + new_period,
                                       .amount = new_budget - head->amount});
    }
}

/* A used amount is due again at r.release: append it, merging it into the tail when they touch
 * or when the list is full (the tail is then delayed so that it ends where r would have ended). */
static void schedule_used(struct sched_context *sc, refill_t r)
{
    refill_t *tail = refill_tail(sc);
    if (tail->release + tail->amount >= r.release) {
        tail->amount += r.amount;
    } else if (!refill_full(sc)) {
        refill_add_tail(sc, r);
    } else {
        tail->release = r.release - tail->amount;
        tail->amount += r.amount;
    }
}

void refill_budget_check(struct sched_context *sc, ticks_t usage)
{
    kassert(sc->refill_max > 0 && !sc_round_robin(sc));
    /* Whole refills used up: each comes back one period after its release. */
    while (refill_head(sc)->amount <= usage && refill_head(sc)->release < MAX_RELEASE_TIME) {
        usage -= refill_head(sc)->amount;
        if (refill_single(sc)) {
            refill_head(sc)->release += sc->period;
        } else {
            refill_t used = refill_pop_head(sc);
            used.release += sc->period;
            schedule_used(sc, used);
        }
    }
    /* A partly used head: the used part comes back a period on, the rest starts later by as much
     * (so the head never gets more than a period ahead of the tail's end). */
    if (usage > 0 && refill_head(sc)->release < MAX_RELEASE_TIME) {
        refill_t *head = refill_head(sc);
        kassert(head->amount > usage); /* the loop above took every refill it covers */
        refill_t used = {.release = head->release + sc->period, .amount = usage};
        head->amount -= usage;
        head->release += usage;
        schedule_used(sc, used);
    }
    /* The head must pay for a kernel entry and exit: fold a too small head into the next one,
     * which starts earlier by as much, so it ends no later. */
    while (refill_head(sc)->amount < MIN_BUDGET) {
        kassert(!refill_single(sc)); /* the whole budget is at least MIN_BUDGET */
        refill_t small = refill_pop_head(sc);
        refill_head(sc)->amount += small.amount;
        refill_head(sc)->release -= small.amount;
    }
}

void refill_rr_charge(struct sched_context *sc, ticks_t usage)
{
    kassert(sc_round_robin(sc) && refill_size(sc) == MIN_REFILLS);
    kassert(refill_head(sc)->amount >= usage); /* checked by the caller (refill_sufficient) */
    refill_head(sc)->amount -= usage;
    refill_tail(sc)->amount += usage;
}

void refill_rr_reset(struct sched_context *sc)
{
    kassert(sc_round_robin(sc) && refill_size(sc) == MIN_REFILLS);
    refill_head(sc)->amount += refill_tail(sc)->amount;
    refill_tail(sc)->amount = 0;
}

/* Does the head reach into the next refill's release (so they can be one)? */
static bool refill_head_overlapping(struct sched_context *sc)
{
    if (refill_single(sc)) {
        return false;
    }
    refill_t *head = refill_head(sc);
    return refill_index(sc, refill_next(sc, sc->refill_head))->release <=
           head->release + head->amount;
}

bool refill_unblock_check(struct sched_context *sc, ticks_t now)
{
    if (sc_round_robin(sc) || !refill_ready(sc, now)) {
        return false;
    }
    refill_head(sc)->release = now;
    while (refill_head_overlapping(sc)) {
        refill_t old = refill_pop_head(sc);
        refill_head(sc)->release = old.release;
        refill_head(sc)->amount += old.amount;
    }
    return true;
}

bool refill_well_formed(struct sched_context *sc, const char **why)
{
    if (sc->refill_max < MIN_REFILLS) {
        *why = "fewer than two refill slots";
        return false;
    }
    if (sc->refill_head >= sc->refill_max || sc->refill_tail >= sc->refill_max ||
        sc->refill_count == 0 || sc->refill_count > sc->refill_max) {
        *why = "head, tail or count outside the refill array";
        return false;
    }
    word_t span = sc->refill_tail >= sc->refill_head
                      ? sc->refill_tail - sc->refill_head + 1u
                      : sc->refill_tail + 1u + (sc->refill_max - sc->refill_head);
    if (span != sc->refill_count) {
        *why = "the refill count disagrees with head and tail";
        return false;
    }
    if (sc_round_robin(sc) && sc->refill_count != MIN_REFILLS) {
        *why = "a round-robin list does not have exactly two refills";
        return false;
    }
    /* Sum without overflow: every amount is at most the budget. */
    ticks_t sum = 0, budget = sc->budget;
    word_t i = sc->refill_head;
    for (word_t n = 0; n < sc->refill_count; n++, i = refill_next(sc, i)) {
        ticks_t amount = refill_index(sc, i)->amount;
        if (amount > budget || sum > budget - amount) {
            *why = "the refill amounts add up to more than the budget";
            return false;
        }
        sum += amount;
    }
    if (sum != budget) {
        *why = "the refill amounts do not add up to the budget";
        return false;
    }
    if (refill_head(sc)->amount < MIN_BUDGET) {
        *why = "the head refill is smaller than MIN_BUDGET";
        return false;
    }
    if (sc_round_robin(sc)) {
        return true;
    }
    ticks_t start = refill_head(sc)->release;
    i = sc->refill_head;
    for (word_t n = 1; n < sc->refill_count; n++) {
        refill_t *r = refill_index(sc, i);
        i = refill_next(sc, i);
        refill_t *next = refill_index(sc, i);
        if (r->release + r->amount > next->release) {
            *why = "a refill reaches into the next one (out of release order)";
            return false;
        }
        /* refill_unblock_check may pull a nearly due head forward by up to a kernel WCET. */
        if (next->release - start > sc->period + MCS_KERNEL_WCET_TICKS) {
            *why = "a refill is released more than a period after the head";
            return false;
        }
    }
    return true;
}

#endif
