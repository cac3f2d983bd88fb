/* SPDX-License-Identifier: BSD-2-Clause */
/* The scheduler: ready queues per (domain, priority) with a two-level bitmap, the scheduler
 * action, Yield, the idle thread and the domain schedule; time slices in the base configuration,
 * and under MCS (CONFIG_KERNEL_MCS) seL4-MCS's budgets instead: time charged to the current
 * scheduling context on every kernel entry, the release queue, and the one-shot timer deadline. */
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/string.h>
#include <kaal/thread.h>

#include "sched_internal.h"
#ifdef CONFIG_KERNEL_MCS
#include <kaal/ipc.h>
#include <kaal/sporadic.h>
#endif

struct sched_globals sched; /* sched_internal.h: the MCS fastpath reads it too */

/* Default schedule: domain 0 for one tick at a time, which with one domain never switches. MCS:
 * durations are timer ticks and a domain with less than MIN_BUDGET left is over, so one tick would
 * end domain 0 at every kernel entry (with more than one domain no system call could complete
 * until a schedule was configured); as seL4-MCS, the default entry lasts for ever instead: an
 * eighth of the 64-bit range, so that adding it to the clock cannot overflow. */
#ifdef CONFIG_KERNEL_MCS
#define DOMAIN_DEFAULT_DURATION (UINT64_MAX / 8)
#else
#define DOMAIN_DEFAULT_DURATION 1
#endif

/* ---- queues and bitmaps --------------------------------------------------------------------- */

static inline word_t dom_of(const struct tcb *t) { return CONFIG_NUM_DOMAINS > 1 ? t->domain : 0; }
static inline word_t cur_dom(void) { return CONFIG_NUM_DOMAINS > 1 ? sched.cur_domain : 0; }

static inline void bitmap_add(word_t dom, word_t prio)
{
    word_t i = prio >> L2_BITS;
    sched.l2[dom][i] |= BIT(prio & MASK(L2_BITS));
    sched.l1[dom] |= BIT(i);
}

static inline void bitmap_remove(word_t dom, word_t prio)
{
    word_t i = prio >> L2_BITS;
    word_t w = sched.l2[dom][i] & ~BIT(prio & MASK(L2_BITS));
    sched.l2[dom][i] = w;
    if (w == 0) {
        sched.l1[dom] &= ~BIT(i);
    }
}

static inline bool runnable(const struct tcb *t)
{
    return thread_state_runnable(thread_state_type(t));
}

/* May t be in a ready queue? Base: runnable; MCS: runnable on an active SC whose refill is due
 * (seL4 isSchedulable). */
static inline bool schedulable(const struct tcb *t)
{
#ifdef CONFIG_KERNEL_MCS
    return sched_is_schedulable(t);
#else
    return runnable(t);
#endif
}

/* Link t (runnable, not queued, not the idle thread) at the head / tail of its queue. */
static inline void link_head(struct tcb *t)
{
    kassert(!t->sched_queued && t != &sched.idle && runnable(t));
    kassert(t->priority < CONFIG_NUM_PRIORITIES && t->domain < CONFIG_NUM_DOMAINS);
    word_t dom = dom_of(t), prio = t->priority;
    struct ready_queue *q = &sched.queues[dom][prio];
    struct tcb *head = q->head;
    t->sched_prev = NULL;
    t->sched_next = head;
    if (head != NULL) {
        head->sched_prev = t;
    } else {
        q->tail = t;
        bitmap_add(dom, prio);
    }
    q->head = t;
    t->sched_queued = true;
}

static inline void link_tail(struct tcb *t)
{
    kassert(!t->sched_queued && t != &sched.idle && runnable(t));
    kassert(t->priority < CONFIG_NUM_PRIORITIES && t->domain < CONFIG_NUM_DOMAINS);
    word_t dom = dom_of(t), prio = t->priority;
    struct ready_queue *q = &sched.queues[dom][prio];
    struct tcb *tail = q->tail;
    t->sched_next = NULL;
    t->sched_prev = tail;
    if (tail != NULL) {
        tail->sched_next = t;
    } else {
        q->head = t;
        bitmap_add(dom, prio);
    }
    q->tail = t;
    t->sched_queued = true;
}

/* The idle thread's state (IdleThreadState) is not runnable: it is never queued. */
static inline bool can_queue(const struct tcb *t) { return !t->sched_queued && schedulable(t); }

void sched_enqueue(struct tcb *t)
{
    if (can_queue(t)) {
        link_head(t);
    }
}

void sched_append(struct tcb *t)
{
    if (can_queue(t)) {
        link_tail(t);
    }
}

/* The links of a thread off its queue are stale; only sched_queued says whether they mean anything.
 */
void sched_dequeue_queued(struct tcb *t)
{
    kassert(t->sched_queued);
    word_t dom = dom_of(t), prio = t->priority;
    struct ready_queue *q = &sched.queues[dom][prio];
    struct tcb *next = t->sched_next, *prev = t->sched_prev;
    if (prev != NULL) {
        prev->sched_next = next;
    } else {
        q->head = next;
    }
    if (next != NULL) {
        next->sched_prev = prev;
    } else {
        q->tail = prev;
        if (prev == NULL) {
            bitmap_remove(dom, prio);
        }
    }
    t->sched_queued = false;
}

/* Take the head of a non-empty queue off it. */
static inline void unlink_head(struct ready_queue *q, word_t dom, word_t prio)
{
    struct tcb *t = q->head, *next = t->sched_next;
    kassert(t->sched_queued && t->sched_prev == NULL);
    q->head = next;
    if (next != NULL) {
        next->sched_prev = NULL;
    } else {
        q->tail = NULL;
        bitmap_remove(dom, prio);
    }
    t->sched_queued = false;
}

/* ---- scheduler action ----------------------------------------------------------------------- */

void sched_reschedule_required(void)
{
    struct tcb *action = ks.sched_action;
    if (action != SCHED_RESUME_CURRENT && action != SCHED_CHOOSE_NEW) {
        sched_enqueue(action);
    }
    ks.sched_action = SCHED_CHOOSE_NEW;
}

/* seL4 possibleSwitchTo once t may run (MCS: schedulable, its head refill due and sufficient). */
/* sched_enqueue(t); with is_schedulable (a constant) the caller knows t is schedulable, so only
 * whether it is queued already is left to test. */
static inline void enqueue_woken(struct tcb *t, bool is_schedulable)
{
    if (!is_schedulable) {
        sched_enqueue(t);
    } else if (!t->sched_queued) {
        link_head(t);
    }
}

static inline void possible_switch_to(struct tcb *t, bool is_schedulable)
{
    if (dom_of(t) != cur_dom()) {
        enqueue_woken(t, is_schedulable);
    } else if (ks.sched_action != SCHED_RESUME_CURRENT) {
        /* Changes no thread but the old candidate. With is_schedulable (the reply path, where the
         * donation just asked for a new choice) it is skipped when there is none. */
        if (!is_schedulable || ks.sched_action != SCHED_CHOOSE_NEW) {
            sched_reschedule_required();
        }
        enqueue_woken(t, is_schedulable);
    } else {
        ks.sched_action = t;
    }
}

void sched_possible_switch_to_general(struct tcb *t)
{
#ifdef CONFIG_KERNEL_MCS
    if (!schedulable(t)) {
        return; /* no SC, an inactive one, or waiting in the release queue */
    }
    struct sched_context *sc = t->sched_context;
    if (!(refill_ready(sc, sched.cur_time) && refill_sufficient(sc, 0))) {
        sched_dequeue(t);
        sched_postpone(sc); /* it becomes runnable when its refill is due */
        return;
    }
#endif
    possible_switch_to(t, false);
}

#ifdef CONFIG_KERNEL_MCS
void sched_possible_switch_to_due(struct tcb *t)
{
    struct sched_context *sc = t->sched_context;
    kassert(schedulable(t) && refill_ready(sc, sched.cur_time) && refill_sufficient(sc, 0));
    possible_switch_to(t, true);
}
#endif

#ifdef CONFIG_KERNEL_MCS
/* seL4-MCS setPriority: a runnable thread that is queued or current is re-queued and the
 * scheduler chooses again; a thread waiting in an endpoint or notification queue (kept in
 * priority order under MCS) moves to its new place there (the IPC layer's ipc_priority_changed). */
COLD void sched_set_priority(struct tcb *t, word_t prio)
{
    kassert(prio < CONFIG_NUM_PRIORITIES); /* decoders check against the MCP, which is <= 255 */
    if (runnable(t) && (t->sched_queued || t == ks.cur_thread)) {
        sched_dequeue(t);
        t->priority = prio;
        sched_enqueue(t);
        sched_reschedule_required();
        return;
    }
    t->priority = prio;
    ipc_priority_changed(t);
}
#else
COLD void sched_set_priority(struct tcb *t, word_t prio)
{
    kassert(prio < CONFIG_NUM_PRIORITIES); /* decoders check against the MCP, which is <= 255 */
    sched_dequeue(t);
    t->priority = prio;
    if (runnable(t)) {
        if (t == ks.cur_thread) {
            sched_reschedule_required();
        } else {
            sched_possible_switch_to(t);
        }
    }
}
#endif

COLD void sched_set_domain(struct tcb *t, word_t dom)
{
    kassert(dom < CONFIG_NUM_DOMAINS); /* DomainSet_Set's decoder checks the range */
    sched_dequeue(t);
    t->domain = dom;
    if (runnable(t) && t != ks.cur_thread) {
        sched_enqueue(t);
    }
    if (t == ks.cur_thread) {
        sched_reschedule_required();
    }
}

/* ---- choosing ------------------------------------------------------------------------------- */

static COLD void next_domain(void)
{
    word_t i = sched.dom_index + 1;
    if (sched.dom_restart || i >= CONFIG_NUM_DOMAIN_SCHEDULES ||
        sched_domain_schedule_is_end_marker(i)) {
        i = sched.dom_start;
    }
    sched.dom_restart = false;
    sched.dom_index = i;
    sched.cur_domain = sched.dom_schedule[i].domain;
    sched.domain_time = sched.dom_schedule[i].duration; /* MCS: in timer ticks */
    ks.work_units = 0;
#ifdef CONFIG_KERNEL_MCS
    sched.reprogram = true;
#endif
}

/* seL4 scheduleChooseNewThread: the head of the highest non-empty queue of the current domain
 * (after moving to the next domain if its time is up), or the idle thread. */
static void choose_new_thread(void)
{
    if (sched.domain_time == 0) {
        next_domain();
    }
    word_t dom = cur_dom();
    if (sched.l1[dom] != 0) {
        word_t prio = highest_prio(dom);
        struct ready_queue *q = &sched.queues[dom][prio];
        struct tcb *t = q->head;
        kassert(runnable(t)); /* only runnable threads are queued */
        unlink_head(q, dom, prio);
        ks.cur_thread = t;
    } else {
        ks.cur_thread = &sched.idle;
    }
}

/* Run cand (runnable) instead of cur: cur, if runnable, goes to the head of its queue. */
static inline void switch_to(struct tcb *cur, bool was_runnable, struct tcb *cand)
{
    if (was_runnable && !cur->sched_queued) {
        link_head(cur);
    }
    sched_dequeue(cand);
    ks.cur_thread = cand;
}

/* seL4 schedule() for an action other than ResumeCurrentThread: the current thread, if runnable,
 * goes to the head of its queue (SCHED_ENQUEUE_CURRENT_TCB); a woken candidate runs at once unless
 * the fastfail rule (idle current thread or lower priority than the current one, and a more urgent
 * thread queued) or the equal-priority rule (it goes behind a runnable current thread of its
 * priority) sends everyone through chooseNewThread.
 *
 * Shortcut, same result: when the current thread was runnable and not queued and would be chosen
 * again at once (it heads the highest non-empty queue of the current domain, which it stays in),
 * enqueueing it and choosing takes it straight back off: it just keeps running. */
static inline void schedule(void)
{
    struct tcb *action = ks.sched_action;
    if (action == SCHED_RESUME_CURRENT) {
        return;
    }
    ks.sched_action = SCHED_RESUME_CURRENT;
    struct tcb *cur = ks.cur_thread;
    kassert(cur != NULL);
    /* The idle thread's state (IdleThreadState) is not runnable. */
    bool was_runnable = schedulable(cur);

    if (action != SCHED_CHOOSE_NEW) {
        struct tcb *cand = action;
        kassert(cand != &sched.idle);
        if (!schedulable(cand)) {
            /* The woken thread stopped again before this exit (MCS: or lost its SC or its
             * budget): choose. */
        } else if (was_runnable ? cand->priority < cur->priority
                                : cur == &sched.idle || cand->priority < cur->priority) {
            /* Fastfail: is anything queued in the current domain (the current thread included)
             * more urgent? A runnable current thread of the current domain is. (seL4 asks about
             * ksCurDomain, not the candidate's domain: they differ only if the candidate moved
             * domain after it was woken.) */
            word_t dom = cur_dom();
            if (!(was_runnable && dom_of(cur) == dom) && is_highest_prio(dom, cand->priority)) {
                switch_to(cur, was_runnable, cand);
                return;
            }
            if (!cand->sched_queued) {
                link_head(cand);
            }
        } else if (was_runnable && cand->priority == cur->priority) {
            if (!cand->sched_queued) {
                link_tail(cand); /* behind the current thread, which goes to the head */
            }
        } else {
            switch_to(cur, was_runnable, cand);
            return;
        }
    }

    if (was_runnable) {
        if (!cur->sched_queued) {
            word_t dom = cur_dom();
            if (sched.domain_time != 0 && dom_of(cur) == dom &&
                is_highest_prio(dom, cur->priority)) {
                return; /* chosen again at once */
            }
            link_head(cur);
        }
    }
    choose_new_thread();
}

#ifdef CONFIG_KERNEL_MCS
static __attribute__((noinline)) void awaken(void);
static void switch_sched_context(void);
static void check_domain_time(void);
#endif

/* The chosen thread can run: a Restart one from its FaultIP (or the idle thread: thread_activate);
 * MCS: one back from a YieldTo gets its reply. */
static inline void activate_current(void)
{
    struct tcb *t = ks.cur_thread;
    if (thread_state_type(t) != ThreadState_Running) {
        thread_activate(t); /* Restart, or the idle thread */
    }
#ifdef CONFIG_KERNEL_MCS
    if (t->yield_to != NULL) {
        sched_context_complete_yield_to(t); /* its YieldTo's reply, now that it runs again */
    }
#endif
}

#ifdef CONFIG_KERNEL_MCS
/* seL4-MCS schedule(): wake the SCs whose refill is due, end the domain's turn, choose, switch SCs
 * (committing time when the deadline moves), set the deadline; then activate. Out of line: most
 * exits need none of it but the activation (exit_unchanged). */
static __attribute__((noinline)) void schedule_mcs(void)
{
    struct sched_context *release = sched.release_head;
    if (release != NULL && refill_ready(release, sched.cur_time)) {
        awaken(); /* out of line: seldom due */
    }
    check_domain_time();
    schedule();
    switch_sched_context();
    mcs_set_next_deadline();
    activate_current();
}

/* Would schedule_mcs change nothing but activate? So when the current thread goes on (no new
 * choice) on the current SC, no deadline is to be set, the domain has time left and no refill of
 * the release queue is due: then awaken, check_domain_time, schedule and switch_sched_context find
 * nothing to do and mcs_set_next_deadline has nothing to set (no time is committed: seL4 commits
 * only when the deadline moves). */
static inline bool exit_unchanged(void)
{
    struct sched_context *release = sched.release_head;
    return ks.sched_action == SCHED_RESUME_CURRENT && !sched.reprogram &&
           ks.cur_thread->sched_context == sched.cur_sc && !cur_domain_expired() &&
           (release == NULL || !refill_ready(release, sched.cur_time));
}
#endif

void sched_schedule(void)
{
#ifdef CONFIG_KERNEL_MCS
    if (ks.sched_action != SCHED_RESUME_CURRENT || !exit_unchanged()) {
        schedule_mcs();
        return;
    }
#else
    schedule();
#endif
    activate_current();
}

#ifndef CONFIG_KERNEL_MCS
void sched_timer_tick(void)
{
    struct tcb *cur = ks.cur_thread;
    if (cur != NULL && thread_state_type(cur) == ThreadState_Running) {
        if (cur->time_slice > 1) {
            cur->time_slice--;
        } else {
            cur->time_slice = CONFIG_TIME_SLICE;
            sched_append(cur); /* round robin: behind its equals */
            sched_reschedule_required();
        }
    }
    if (CONFIG_NUM_DOMAINS > 1 && sched.domain_time > 0) {
        sched.domain_time--;
        if (sched.domain_time == 0) {
            sched_reschedule_required();
        }
    }
}

void sched_handle_yield(void)
{
    struct tcb *cur = ks.cur_thread;
    kassert(cur != &sched.idle && runnable(cur)); /* it is making this system call */
    sched_dequeue(cur);
    link_tail(cur);
    sched_reschedule_required();
}
#endif

#ifdef CONFIG_KERNEL_MCS
/* ---- MCS: release queue ---------------------------------------------------------------------- */

static inline struct sched_context *idle_sc(void)
{
    return (struct sched_context *)(void *)sched.idle_sc;
}

/* Queue sc (its thread runnable, off the ready queues) until its head refill is released; equal
 * release times keep their order of arrival. A new head moves the deadline. */
static void release_enqueue(struct sched_context *sc)
{
    kassert(!sc->in_release_queue && sc->tcb != NULL && !sc->tcb->sched_queued);
    ticks_t release = refill_head(sc)->release;
    struct sched_context **link = &sched.release_head;
    while (*link != NULL && refill_head(*link)->release <= release) {
        link = &(*link)->release_next;
    }
    if (link == &sched.release_head) {
        sched.reprogram = true;
    }
    sc->release_next = *link;
    *link = sc;
    sc->in_release_queue = 1;
}

void sched_release_remove_queued(struct sched_context *sc)
{
    kassert(sc->in_release_queue);
    struct sched_context **link = &sched.release_head;
    while (*link != sc) {
        kassert(*link != NULL); /* in_release_queue: it is on the list */
        link = &(*link)->release_next;
    }
    if (link == &sched.release_head) {
        sched.reprogram = true;
    }
    *link = sc->release_next;
    sc->release_next = NULL;
    sc->in_release_queue = 0;
}

void sched_postpone(struct sched_context *sc)
{
    kassert(sc->tcb != NULL);
    sched_dequeue(sc->tcb);
    release_enqueue(sc);
    sched.reprogram = true;
}

/* Every SC whose head refill is released by now leaves the release queue; its thread may run. */
static __attribute__((noinline)) void awaken(void)
{
    while (sched.release_head != NULL && refill_ready(sched.release_head, sched.cur_time)) {
        struct sched_context *sc = sched.release_head;
        sched.release_head = sc->release_next;
        sc->release_next = NULL;
        sc->in_release_queue = 0;
        sched.reprogram = true;
        kassert(sc->tcb != NULL && refill_sufficient(sc, 0)); /* only postponed SCs wait */
        sched_possible_switch_to(sc->tcb);
    }
}

void sched_context_resume(struct sched_context *sc)
{
    if (sc != NULL && sc->tcb != NULL && sched_is_schedulable(sc->tcb) &&
        !(refill_ready(sc, sched.cur_time) && refill_sufficient(sc, 0))) {
        sched_postpone(sc);
    }
}

void sched_unblock_check(struct sched_context *sc)
{
    if (sc_sporadic(sc) && sc != sched.cur_sc && refill_unblock_check(sc, sched.cur_time)) {
        sched.reprogram = true;
    }
}

/* ---- MCS: charging time ------------------------------------------------------------------------
 */

static void update_timestamp(void) { update_timestamp_to(hal_timer_now()); }

static void check_domain_time(void)
{
    if (cur_domain_expired()) {
        sched.reprogram = true;
        sched_reschedule_required();
    }
}

/* seL4 commitTime: charge what cur_sc owes (the head refill can pay it: the entry checked). */
static void commit_time(void)
{
    struct sched_context *sc = sched.cur_sc;
    if (sc->refill_max > 0 && sc != idle_sc()) {
        if (sched.consumed > 0) {
            kassert(refill_sufficient(sc, sched.consumed));
            if (sc_round_robin(sc)) {
                refill_rr_charge(sc, sched.consumed);
            } else {
                refill_budget_check(sc, sched.consumed);
            }
        }
        sc->consumed += sched.consumed;
    }
    sched.consumed = 0;
}

/* The current thread's time on its SC is over: a timeout fault if it is owed one (sporadic, a
 * handler), else behind its equals if the budget is back already (round robin), else the release
 * queue. */
static void end_timeslice(bool can_timeout_fault)
{
    struct tcb *cur = ks.cur_thread;
    struct sched_context *sc = sched.cur_sc;
    if (can_timeout_fault && !sc_round_robin(sc) && mcs_has_timeout_handler(cur)) {
        mcs_send_timeout_fault(cur);
    } else if (refill_ready(sc, sched.cur_time) && refill_sufficient(sc, 0)) {
        sched_append(cur);
    } else {
        sched_postpone(sc);
    }
}

/* seL4 chargeBudget: cur_sc pays consumed in full (its turn is over) and the current thread
 * leaves the CPU. */
static void charge_budget(ticks_t consumed, bool can_timeout_fault)
{
    struct sched_context *sc = sched.cur_sc;
    if (sc != idle_sc() && sc->refill_max > 0) {
        if (sc_round_robin(sc)) {
            refill_rr_reset(sc);
        } else {
            refill_budget_check(sc, consumed);
        }
        kassert(refill_head(sc)->amount >= MIN_BUDGET);
        sc->consumed += consumed;
    }
    sched.consumed = 0;
    struct tcb *cur = ks.cur_thread;
    if (sched_is_schedulable(cur)) {
        kassert(cur->sched_context == sc); /* the SC it ran on this entry */
        end_timeslice(can_timeout_fault);
        sched_reschedule_required();
        sched.reprogram = true;
    }
}

/* seL4 checkBudget: may the current thread go on with this entry's work? */
static bool check_budget(void)
{
    if (refill_sufficient(sched.cur_sc, sched.consumed)) {
        if (cur_domain_expired()) {
            sched.reprogram = true;
            sched_reschedule_required();
            return false;
        }
        return true;
    }
    charge_budget(sched.consumed, true);
    return false;
}

bool sched_entry_budget_short(void)
{
    bool ok = check_budget();
    struct tcb *cur = ks.cur_thread;
    if (!ok && runnable(cur)) {
        /* The system call (or the fault) is taken again when the thread next runs. */
        sched_set_thread_state(cur, ThreadState_Restart);
    }
    return ok;
}

bool mcs_charge_on_entry(void) { return sched_charge_on_entry(); }

void sched_interrupt_entry(void)
{
    /* The clock inline, as in sched_charge_on_entry: this is the first thing the entry does. */
    update_timestamp_to(HAL_FASTPATH_TIMER_NOW());
    (void)check_budget(); /* the interrupt is handled either way */
}

bool sched_budget_exhausted_now(void)
{
    update_timestamp();
    struct sched_context *sc = sched.cur_sc;
    if (sc == idle_sc() ||
        (sc->refill_max > 0 && refill_sufficient(sc, sched.consumed) && !cur_domain_expired())) {
        return false;
    }
    /* seL4 mcsPreemptionPoint: what was used is charged now (the exit must not commit more than
     * the head refill holds); the preempted system call restarts when the thread runs again. */
    if (sched_is_schedulable(ks.cur_thread)) {
        (void)check_budget(); /* charges (maybe a timeout fault), or ends the domain's turn */
    } else if (sc->refill_max > 0) {
        charge_budget(sched.consumed, false);
    } else {
        sched.consumed = 0; /* the SC was deleted: nothing to charge */
    }
    return true;
}

void sched_timer_tick(void)
{
    hal_timer_ack_deadline();
    sched.reprogram = true; /* a refill or a budget end is due: the exit decides anew */
}

/* ---- MCS: the exit --------------------------------------------------------------------------- */

/* seL4 switchSchedContext: the chosen thread's SC becomes cur_sc; the time owed is charged to the
 * old one whenever the deadline is about to move. */
static void switch_sched_context(void)
{
    struct sched_context *sc = ks.cur_thread->sched_context;
    kassert(sc != NULL); /* chosen threads are schedulable; the idle thread has its own */
    if (sc != sched.cur_sc) {
        sched.reprogram = true;
        if (!sc->sporadic) {
            refill_unblock_check(sc, sched.cur_time); /* constant bandwidth: merge on switch */
        }
        kassert(refill_ready(sc, sched.cur_time) && refill_sufficient(sc, 0));
    }
    if (sched.reprogram) {
        commit_time();
    }
    sched.cur_sc = sc;
}

void mcs_set_next_deadline(void)
{
    if (!sched.reprogram) {
        return;
    }
    sched.reprogram = false;
    ticks_t next = sched.cur_time + refill_head(ks.cur_thread->sched_context)->amount;
    if (CONFIG_NUM_DOMAINS > 1) {
        next = MIN(next, sched.cur_time + sched.domain_time);
    }
    if (sched.release_head != NULL) {
        next = MIN(next, refill_head(sched.release_head)->release);
    }
    kassert(next >= sched.cur_time);
    /* Early by the timer's precision; a deadline already past fires at once. */
    sched.deadline = next - MCS_TIMER_PRECISION_TICKS;
    hal_timer_set_deadline(sched.deadline);
}

/* ---- MCS: Yield --------------------------------------------------------------------------------
 */

/* seL4-MCS handleYield: the rest of the head refill is charged (no timeout fault), but Consumed
 * grows only by the time really used. */
void sched_handle_yield(void)
{
    struct sched_context *sc = sched.cur_sc;
    ticks_t used = sc->consumed + sched.consumed;
    charge_budget(refill_head(sc)->amount, false);
    sc->consumed = used;
}

/* ---- MCS: state for the SC layer, the checker and tests -----------------------------------------
 */

ticks_t sched_cur_time(void) { return sched.cur_time; }
struct sched_context *sched_cur_sc(void) { return sched.cur_sc; }
struct sched_context *sched_idle_sc(void) { return idle_sc(); }
struct sched_context *sched_release_queue_head(void) { return sched.release_head; }
ticks_t sched_programmed_deadline(void) { return sched.deadline; }
ticks_t sched_consumed(void) { return sched.consumed; }
bool sched_reprogram_pending(void) { return sched.reprogram; }

void sched_commit_if_current(struct sched_context *sc)
{
    if (sc == sched.cur_sc) {
        commit_time();
        sched.reprogram = true;
    }
}
#endif /* CONFIG_KERNEL_MCS */

struct tcb *sched_idle_thread(void) { return &sched.idle; }

void *sched_state(word_t *size)
{
    *size = sizeof(sched);
    return &sched;
}

/* ---- boot ----------------------------------------------------------------------------------- */

BOOT_CODE void sched_init(void)
{
    kmemset(&sched, 0, sizeof(sched));
    ks.sched_action = SCHED_RESUME_CURRENT;
    sched.dom_schedule[0] = (struct dom_entry){.domain = 0, .duration = DOMAIN_DEFAULT_DURATION};
    sched.cur_domain = sched.dom_schedule[0].domain;
    sched.domain_time = sched.dom_schedule[0].duration;

    struct tcb *idle = &sched.idle;
    hal_tcb_init(&idle->arch);
    thread_state_ptr_set_ts_type(&idle->state, ThreadState_IdleThreadState); /* never runnable */
    kstrlcpy(idle->name, "idle", sizeof(idle->name));
    ks.cur_thread = idle;

#ifdef CONFIG_KERNEL_MCS
    /* The clock starts now; the idle thread runs on a round-robin SC of the boot time slice. */
    sched.cur_time = hal_timer_now();
    struct sched_context *sc = idle_sc();
    refill_new(sc, MIN_REFILLS, MCS_US_TO_TICKS(CONFIG_BOOT_THREAD_TIME_SLICE * 1000ull), 0,
               sched.cur_time);
    sc->tcb = idle;
    idle->sched_context = sc;
    sched.cur_sc = sc;
    sched.reprogram = true;
    sched.deadline = UINT64_MAX;
#endif
}

BOOT_CODE void sched_boot_thread(struct tcb *t)
{
    kassert(runnable(t) && ks.cur_thread == &sched.idle);
    ks.sched_action = SCHED_RESUME_CURRENT;
    sched_dequeue(t);
    ks.cur_thread = t;
#ifdef CONFIG_KERNEL_MCS
    /* As seL4's boot ends with schedule(): the root's SC is the current one and its turn's end is
     * the first deadline (the ports need not pass through the exit path first). */
    switch_sched_context();
    mcs_set_next_deadline();
#endif
}

/* ---- domains -------------------------------------------------------------------------------- */

word_t sched_current_domain(void) { return sched.cur_domain; }
word_t sched_domain_time(void) { return sched.domain_time; }
word_t sched_domain_schedule_start(void) { return sched.dom_start; }

bool sched_domain_schedule_is_end_marker(word_t index)
{
    kassert(index < CONFIG_NUM_DOMAIN_SCHEDULES);
    return sched.dom_schedule[index].domain == 0 && sched.dom_schedule[index].duration == 0;
}

COLD void sched_domain_schedule_configure(word_t index, word_t dom, word_t duration)
{
    kassert(index < CONFIG_NUM_DOMAIN_SCHEDULES && dom < CONFIG_NUM_DOMAINS);
    sched.dom_schedule[index] = (struct dom_entry){.domain = dom, .duration = duration};
}

COLD void sched_domain_schedule_set_start(word_t index)
{
    kassert(index < CONFIG_NUM_DOMAIN_SCHEDULES && !sched_domain_schedule_is_end_marker(index));
    sched.dom_start = index;
    sched.dom_restart = true;
    sched.domain_time = 0;
    sched_reschedule_required();
}

/* ---- the list of every thread (debug) ------------------------------------------------------- */

COLD void sched_tcb_created(struct tcb *t)
{
    t->debug_prev = NULL;
    t->debug_next = sched.debug_head;
    if (sched.debug_head != NULL) {
        sched.debug_head->debug_prev = t;
    }
    sched.debug_head = t;
}

COLD void sched_tcb_destroyed(struct tcb *t)
{
    kassert(!t->sched_queued); /* finalisation suspends the thread first */
    if (t->debug_prev != NULL) {
        t->debug_prev->debug_next = t->debug_next;
    } else if (sched.debug_head == t) {
        sched.debug_head = t->debug_next;
    }
    if (t->debug_next != NULL) {
        t->debug_next->debug_prev = t->debug_prev;
    }
    t->debug_next = t->debug_prev = NULL;
    if (ks.sched_action == t) {
        ks.sched_action = SCHED_CHOOSE_NEW;
    }
}

static COLD const char *state_name(word_t ts)
{
    static const char *const names[] = {
        "inactive",        "running",          "restart",         "blocked on recv",
        "blocked on send", "blocked on reply", "blocked on ntfn", "idle",
    };
    return ts < ARRAY_SIZE(names) ? names[ts] : "?";
}

static COLD void dump_one(const struct tcb *t)
{
    const char *where = t == ks.cur_thread ? "  (current)" : t->sched_queued ? "  (queued)" : "";
    kprintf("  %s: %s, priority %lu, domain %lu%s\n", t->name[0] ? t->name : "(unnamed)",
            state_name(thread_state_type(t)), (unsigned long)t->priority, (unsigned long)t->domain,
            where);
#ifdef CONFIG_KERNEL_MCS
    const struct sched_context *sc = t->sched_context;
    if (t == &sched.idle) {
        return;
    }
    if (sc == NULL) {
        kprintf("    no scheduling context (passive)\n");
    } else if (sc->refill_max == 0) {
        kprintf("    scheduling context not configured\n");
    } else {
        /* µs, as users configure them; a round-robin SC's period is its budget */
        kprintf("    budget %lu us, period %lu us, consumed %lu us%s%s\n",
                (unsigned long)mcs_ticks_to_us(sc->budget),
                (unsigned long)mcs_ticks_to_us(sc->period ? sc->period : sc->budget),
                (unsigned long)mcs_ticks_to_us(sc->consumed), sc->sporadic ? ", sporadic" : "",
                sc->in_release_queue ? ", waiting for its refill" : "");
    }
#endif
}

struct tcb *sched_debug_first_thread(void) { return sched.debug_head; }

struct tcb *sched_debug_queue_head(word_t dom, word_t prio)
{
    kassert(dom < CONFIG_NUM_DOMAINS && prio < CONFIG_NUM_PRIORITIES);
    return sched.queues[dom][prio].head;
}

const struct sched_ready_queue *sched_debug_queues(word_t dom)
{
    kassert(dom < CONFIG_NUM_DOMAINS);
    return sched.queues[dom];
}

struct tcb *sched_debug_queue_tail(word_t dom, word_t prio)
{
    kassert(dom < CONFIG_NUM_DOMAINS && prio < CONFIG_NUM_PRIORITIES);
    return sched.queues[dom][prio].tail;
}

word_t *sched_debug_bitmap_l1(word_t dom)
{
    kassert(dom < CONFIG_NUM_DOMAINS);
    return &sched.l1[dom];
}

word_t *sched_debug_bitmap_l2(word_t dom, word_t word)
{
    kassert(dom < CONFIG_NUM_DOMAINS && word < L2_WORDS);
    return &sched.l2[dom][word];
}

COLD void sched_debug_dump(void)
{
    kprintf("KaaL scheduler: domain %lu (%lu ticks left), threads:\n",
            (unsigned long)sched.cur_domain, (unsigned long)sched.domain_time);
    for (const struct tcb *t = sched.debug_head; t != NULL; t = t->debug_next) {
        dump_one(t);
    }
    dump_one(&sched.idle);
}
