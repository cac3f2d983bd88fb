/* SPDX-License-Identifier: BSD-2-Clause */
/* The scheduler's state (core/kernel/sched.c owns it), for the code that must read it in place:
 * the MCS fastpath (fastpath.c) charges time and checks the ready queues without a call, and the
 * MCS system-call entry (syscall.c) charges time with no call either (sched_charge_on_entry).
 * Nothing else includes this header; everyone else goes through <kaal/sched.h>. */
#ifndef KAAL_SCHED_INTERNAL_H
#define KAAL_SCHED_INTERNAL_H

#include <kaal/sched.h>
#include <kaal/structures.h>
#ifdef CONFIG_KERNEL_MCS
#include <kaal/sporadic.h>
#endif

#define L2_BITS 6 /* one bitmap word covers 64 priorities */
#define L2_WORDS ((CONFIG_NUM_PRIORITIES + (1 << L2_BITS) - 1) >> L2_BITS)
_Static_assert(L2_WORDS == SCHED_L2_WORDS, "one bitmap size");
_Static_assert(L2_WORDS <= 64, "the level-1 bitmap is one word");
_Static_assert(CONFIG_NUM_PRIORITIES == seL4_MaxPrio + 1, "priorities are 0..seL4_MaxPrio");

#define ready_queue sched_ready_queue /* <kaal/sched.h>, for the invariant checker */

struct dom_entry {
    word_t domain;
    word_t duration; /* ticks; 0 with domain 0 marks the end of the schedule */
};

/* The scheduler action lives in ks.sched_action (beside ks.cur_thread, for the inline helpers). */
struct sched_globals {
#ifdef CONFIG_KERNEL_MCS
    /* MCS time and budgets (seL4 ksCurTime, ksConsumed, ksCurSC, ksReprogram, ksReleaseQueue).
     * First, so that the fastpath reaches them with small offsets (paired loads and stores). */
    ticks_t cur_time;                   /* the clock when this kernel entry began */
    ticks_t consumed;                   /* used by cur_sc since its last charge, not charged yet */
    struct sched_context *cur_sc;       /* the SC the current thread runs on */
    bool reprogram;                     /* set the timer deadline again at this exit */
    ticks_t deadline;                   /* the deadline last given to the timer */
    struct sched_context *release_head; /* SCs waiting for their head refill, soonest first */
    /* The idle thread's SC: round robin, never charged (its budget only bounds the deadline). */
    _Alignas(struct sched_context) uint8_t idle_sc[seL4_CoreSchedContextBytes];
#endif
    struct ready_queue queues[CONFIG_NUM_DOMAINS][CONFIG_NUM_PRIORITIES];
    word_t l1[CONFIG_NUM_DOMAINS];           /* bit i: l2[d][i] != 0 */
    word_t l2[CONFIG_NUM_DOMAINS][L2_WORDS]; /* bit p%64 of word p/64: queue p not empty */

    struct dom_entry dom_schedule[CONFIG_NUM_DOMAIN_SCHEDULES];
    word_t dom_index; /* the running schedule entry */
    word_t dom_start; /* where the schedule starts and wraps to */
    bool dom_restart; /* the next domain switch goes to dom_start (ScheduleSetStart) */
    word_t cur_domain;
    word_t domain_time; /* ticks left in the current domain */

    struct tcb idle;        /* never queued; ks.cur_thread when nothing runs */
    struct tcb *debug_head; /* every TCB object (sched_tcb_created) */
};
extern struct sched_globals sched;

static inline word_t highest_bit(word_t w) { return 63u - (word_t)__builtin_clzll(w); }

/* Highest priority with a non-empty queue in dom (the domain must have one). */
static inline word_t highest_prio(word_t dom)
{
    kassert(sched.l1[dom] != 0);
    word_t i = highest_bit(sched.l1[dom]);
    return (i << L2_BITS) | highest_bit(sched.l2[dom][i]);
}

/* seL4 isHighestPrio: no queued thread in dom is more urgent than prio. */
static inline bool is_highest_prio(word_t dom, word_t prio)
{
    return sched.l1[dom] == 0 || prio >= highest_prio(dom);
}

#ifdef CONFIG_KERNEL_MCS
/* seL4 updateTimestamp: the clock is now; the time since the last entry is owed by cur_sc. */
static inline void update_timestamp_to(ticks_t now)
{
    ticks_t prev = sched.cur_time;
    sched.cur_time = now;
    kassert(sched.cur_time >= prev && sched.cur_time < MAX_RELEASE_TIME); /* a monotonic clock */
    ticks_t used = sched.cur_time - prev;
    sched.consumed += used;
    if (CONFIG_NUM_DOMAINS > 1) {
        sched.domain_time = used + MIN_BUDGET >= sched.domain_time ? 0 : sched.domain_time - used;
    }
}

static inline bool cur_domain_expired(void)
{
    return CONFIG_NUM_DOMAINS > 1 && sched.domain_time == 0;
}

/* sched_charge_on_entry when the head refill cannot pay for this entry, or the domain's time is
 * up: check_budget's other answers (sched.c). Out of line, so that the usual entry needs no stack
 * frame. */
__attribute__((noinline)) bool sched_entry_budget_short(void);

/* mcs_charge_on_entry's first part, inline, for the system-call entry: the clock read with no
 * call (this early in the entry, the exception entry's context synchronization keeps the read
 * from being done ahead of time, as in the fastpath) and check_budget's usual answer: true when
 * the head refill can pay for this entry. Otherwise the caller goes on to
 * sched_entry_budget_short. */
static inline bool sched_charge_on_entry_paid(void)
{
    update_timestamp_to(HAL_FASTPATH_TIMER_NOW());
    return refill_sufficient(sched.cur_sc, sched.consumed) && !cur_domain_expired();
}

/* mcs_charge_on_entry (<kaal/mcs.h>) inline. */
static inline bool sched_charge_on_entry(void)
{
    return sched_charge_on_entry_paid() || sched_entry_budget_short();
}
#endif

#endif
