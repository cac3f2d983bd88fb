/* SPDX-License-Identifier: BSD-2-Clause */
/* The invariant checker's MCS rules for scheduling contexts (<kaal/invariants.h>,
 * invariants_internal.h): refill lists well formed, each SC bound to at most one thread with the
 * back-pointers agreeing, the release queue ordered and holding exactly the postponed SCs, no
 * queued or current thread without an active SC, YieldTo links agreeing, and the timer deadline
 * equal to the earliest event. Every SC a thread, the release queue or the scheduler names is
 * checked; the full check also every SC a cap names. */
#include <kaal/gen_config.h>

#if defined(CONFIG_KERNEL_INVARIANTS) && defined(CONFIG_KERNEL_MCS)
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/sporadic.h>

#include "invariants_internal.h"

static char *why_buf;
static size_t why_size;

static bool fail3(const char *fmt, unsigned long a, unsigned long b, unsigned long c)
{
    if (why_buf != NULL && why_size > 0) {
        ksnprintf(why_buf, why_size, fmt, a, b, c);
    }
    return false;
}
static bool fail(const char *fmt, unsigned long a, unsigned long b) { return fail3(fmt, a, b, 0); }

static unsigned long pa_of(const void *p) { return p == NULL ? 0 : (unsigned long)VTOP(p); }

/* One SC on its own: its refills, its thread and notification back-pointers, its YieldTo link. */
static bool check_sc(struct sched_context *sc)
{
    if (sc == sched_idle_sc()) {
        return true; /* the idle thread's, in the scheduler's own state */
    }
    if (sc_active(sc)) {
        const char *why = NULL;
        if (!refill_well_formed(sc, &why)) {
            return fail("SC %lx: refills not well formed: %s", pa_of(sc), (unsigned long)why);
        }
    }
    if (sc->tcb != NULL) {
        if (!kernel_invariants_thread_is_live(VTOP(sc->tcb))) {
            return fail("SC %lx is bound to %lx, not a live TCB", pa_of(sc), pa_of(sc->tcb));
        }
        if (sc->tcb->sched_context != sc) {
            return fail3("SC %lx is bound to TCB %lx, which runs on SC %lx", pa_of(sc),
                         pa_of(sc->tcb), pa_of(sc->tcb->sched_context));
        }
    }
    if (sc->notification != 0 &&
        notification_get_sched_context(*PTOV(notification_t, sc->notification)) != VTOP(sc)) {
        return fail("SC %lx is bound to notification %lx, which does not name it", pa_of(sc),
                    sc->notification);
    }
    if (sc->yield_from != NULL && sc->yield_from->yield_to != sc) {
        return fail("SC %lx: its YieldTo thread %lx yields to another SC", pa_of(sc),
                    pa_of(sc->yield_from));
    }
    if (sc->in_release_queue && (sc->tcb == NULL || !sc_active(sc))) {
        return fail("SC %lx is marked as in the release queue without a thread (%lx) or refills",
                    pa_of(sc), pa_of(sc->tcb));
    }
    return true;
}

/* Walk the release queue: SCs marked in it, threads runnable and in no ready queue, ordered by the
 * head refill's release, each once (no longer than the number of live threads). */
static bool check_release_queue(uint32_t *n_out)
{
    uint32_t n = 0, limit = kernel_invariants_thread_count();
    ticks_t last = 0;
    for (struct sched_context *sc = sched_release_queue_head(); sc != NULL; sc = sc->release_next) {
        if (++n > limit) {
            return fail("the release queue is longer than the %lu live threads (a cycle)", limit,
                        0);
        }
        if (!sc->in_release_queue || sc->tcb == NULL || !sc_active(sc)) {
            return fail("the release queue holds SC %lx, which is not marked in it or has no "
                        "thread or refills",
                        pa_of(sc), 0);
        }
        if (!thread_state_runnable(thread_state_get_ts_type(sc->tcb->state)) ||
            sc->tcb->sched_queued) {
            return fail("the release queue holds SC %lx of TCB %lx, which is not a runnable "
                        "unqueued thread",
                        pa_of(sc), pa_of(sc->tcb));
        }
        ticks_t release = refill_head(sc)->release;
        if (release < last) {
            return fail("the release queue is out of order at SC %lx (release %lx)", pa_of(sc),
                        release);
        }
        last = release;
        if (!check_sc(sc)) {
            return false;
        }
    }
    *n_out = n;
    return true;
}

/* The deadline is the earliest event: the current SC's head refill running out (counted from the
 * last charge, cur_time - consumed), the release queue's head and, with more than one domain, the
 * current domain's end (cur_time + the domain time left: both move together at every entry),
 * early by the timer's precision. */
static bool check_deadline(void)
{
    if (sched_reprogram_pending()) {
        return fail("between entries a deadline is still to be programmed", 0, 0);
    }
    ticks_t deadline = sched_programmed_deadline();
    struct sched_context *head = sched_release_queue_head();
    if (head != NULL && deadline > refill_head(head)->release - MCS_TIMER_PRECISION_TICKS) {
        return fail("the timer deadline %lx is after the release queue's head %lx", deadline,
                    refill_head(head)->release);
    }
    struct tcb *cur = ks.cur_thread;
    if (cur == sched_idle_thread()) {
        return true; /* the idle budget is never charged */
    }
    ticks_t next = sched_cur_time() - sched_consumed() + refill_head(cur->sched_context)->amount;
    if (head != NULL) {
        next = MIN(next, refill_head(head)->release);
    }
    if (CONFIG_NUM_DOMAINS > 1) {
        next = MIN(next, sched_cur_time() + sched_domain_time());
    }
    if (deadline != next - MCS_TIMER_PRECISION_TICKS) {
        return fail("the timer deadline %lx is not the earliest event %lx", deadline,
                    next - MCS_TIMER_PRECISION_TICKS);
    }
    return true;
}

bool inv_mcs_check(char *why, size_t why_len)
{
    why_buf = why;
    why_size = why_len;
    struct tcb *cur = ks.cur_thread, *idle = sched_idle_thread();
    if (cur->sched_context == NULL || cur->sched_context != sched_cur_sc()) {
        return fail("the current thread %lx runs on SC %lx, but the scheduler charges another",
                    pa_of(cur), pa_of(cur->sched_context));
    }
    if (cur != idle && !sched_is_schedulable(cur)) {
        return fail("the current thread %lx has no active, released SC (SC %lx)", pa_of(cur),
                    pa_of(cur->sched_context));
    }
    uint32_t in_release = 0, marked = 0;
    if (!check_release_queue(&in_release)) {
        return false;
    }
    for (uint32_t i = 0; i < kernel_invariants_thread_count(); i++) {
        struct tcb *t = kernel_invariants_thread(i);
        struct sched_context *sc = t->sched_context;
        if (t->sched_queued && !sched_is_schedulable(t)) {
            return fail("TCB %lx is in a ready queue without an active, released SC (SC %lx)",
                        pa_of(t), pa_of(sc));
        }
        if (t->yield_to != NULL && t->yield_to->yield_from != t) {
            return fail("TCB %lx yields to SC %lx, which names another thread", pa_of(t),
                        pa_of(t->yield_to));
        }
        if (sc == NULL) {
            continue;
        }
        if (sc->tcb != t) {
            return fail("TCB %lx runs on SC %lx, which is bound to another thread", pa_of(t),
                        pa_of(sc));
        }
        if (sc->in_release_queue) {
            marked++;
        }
        if (!check_sc(sc)) {
            return false;
        }
    }
    if (marked != in_release) {
        return fail("%lu SCs are marked as in the release queue, but it holds %lu",
                    (unsigned long)marked, (unsigned long)in_release);
    }
    return check_deadline();
}

void inv_mcs_note_cap(const cte_t *slot, char *why, size_t why_len, bool *ok)
{
    if (!*ok || cap_get_cap_type(slot->cap) != cap_sched_context_cap) {
        return;
    }
    why_buf = why;
    why_size = why_len;
    *ok = check_sc(sc_from_paddr(cap_sched_context_cap_get_ptr(slot->cap)));
}

#endif
