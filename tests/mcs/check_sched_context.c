/* SPDX-License-Identifier: BSD-2-Clause */
/* MCS scheduling contexts on the hostsim kernel (-Dmcs=true): the refill arithmetic and the time
 * conversions; SchedControl_ConfigureFlags and the SchedContext invocations, every error in seL4's
 * order; budgets enforced, round robin vs sporadic, the release queue, Yield, Consumed, YieldTo and
 * timeout faults, all measured on the virtual clock (simulated time, never the host's); and the
 * invariant checker's MCS rules, each proven by a corruption it must catch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"

#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/sched.h>
#include <kaal/sporadic.h>
#include <kaal/thread.h>

#define ROOT seL4_CapInitThreadCNode
#define ROOT_TCB seL4_CapInitThreadTCB
#define ROOT_VSPACE seL4_CapInitThreadVSpace
#define ROOT_SC seL4_CapInitThreadSC

#define US(us) (mcs_us_to_ticks(us)) /* ticks of us microseconds */
#define MAX_PERIOD 36893488147419ull /* the sheet's MAX_PERIOD_US for this platform */

static uint64_t E0;    /* first free root CNode slot */
static uint64_t SCTRL; /* the SchedControl cap */

static void setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
    SCTRL = hostsim_bootinfo()->schedcontrol.start;
}

/* ---- helpers --------------------------------------------------------------------------------- */

static struct ktest_reply configure_flags(uint64_t sc, uint64_t budget_us, uint64_t period_us,
                                          uint64_t extra, uint64_t badge, uint64_t flags)
{
    uint64_t mrs[5] = {budget_us, period_us, extra, badge, flags};
    uint64_t caps[1] = {sc};
    return ktest_call(SCTRL, SchedControlConfigureFlags, 5, mrs, 1, caps);
}

/* An invocation on a SchedContext cap with at most one extra cap. */
static struct ktest_reply sc_op(uint64_t sc, uint64_t label, uint64_t cap)
{
    uint64_t caps[1] = {cap};
    return ktest_call(sc, label, 0, NULL, cap ? 1 : 0, caps);
}

static struct tcb *tcb_at(uint64_t slot)
{
    cte_t *slots = cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap);
    return tcb_from_paddr(cap_thread_cap_get_tcb(slots[slot].cap));
}
static uint64_t handle_at(uint64_t slot) { return VTOP(tcb_at(slot)); }
static notification_t *ntfn_at(uint64_t slot)
{
    cte_t *slots = cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap);
    return PTOV(notification_t, cap_notification_cap_get_ptr(slots[slot].cap));
}
static struct sched_context *sc_at(uint64_t slot)
{
    cte_t *slots = cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap);
    return sc_from_paddr(cap_sched_context_cap_get_ptr(slots[slot].cap));
}

/* A thread in slot (IPC buffer frame in slot + 1): the root's CSpace and VSpace, buffer at
 * 0x10000, pc 0x400000 + 0x1000 * slot, priority prio, MCP 0, Inactive, no SC. */
static void make_thread(uint64_t slot, uint64_t prio)
{
    ktest_retype_at(seL4_TCBObject, 0, slot);
    ktest_retype_at(seL4_ARM_SmallPageObject, 0, slot + 1);
    uint64_t mrs[3] = {0, 0, 0x10000};
    uint64_t caps[3] = {ROOT, ROOT_VSPACE, slot + 1};
    OK(ktest_call(slot, TCBConfigure, 3, mrs, 3, caps));
    uint64_t regs[4] = {0, 2, 0x400000 + 0x1000 * slot, 0x800000};
    OK(ktest_call(slot, TCBWriteRegisters, 4, regs, 0, NULL));
    uint64_t auth[1] = {ROOT_TCB};
    OK(ktest_call(slot, TCBSetPriority, 1, &prio, 1, auth));
}

/* make_thread, plus an SC of 2^bits bytes in sc_slot configured as given, bound, resumed. */
static void make_running_thread(uint64_t slot, uint64_t prio, uint64_t sc_slot, uint64_t budget_us,
                                uint64_t period_us, uint64_t extra, uint64_t flags)
{
    make_thread(slot, prio);
    ktest_retype_at(seL4_SchedContextObject, 10, sc_slot);
    OK(configure_flags(sc_slot, budget_us, period_us, extra, sc_slot, flags));
    OK(sc_op(sc_slot, SchedContextBind, slot));
    OK(ktest_call(slot, TCBResume, 0, NULL, 0, NULL));
}

/* Let simulated time run for ticks: step to each deadline in turn and credit the time to the
 * thread that was current (slot handles in who[], its time in spent[]; index n: anyone else). */
static void run_for(uint64_t ticks, const uint64_t *who, uint64_t *spent, unsigned n)
{
    uint64_t end = hostsim_clock_now() + ticks;
    while (hostsim_clock_now() < end) {
        uint64_t now = hostsim_clock_now(), deadline = hostsim_clock_deadline();
        uint64_t step = deadline > now ? MIN(deadline - now, end - now) : 0;
        uint64_t cur = hostsim_current_thread();
        hostsim_clock_advance(step);
        unsigned k = 0;
        while (k < n && who[k] != cur) {
            k++;
        }
        if (spent != NULL) {
            spent[k] += hostsim_clock_now() - now;
        }
    }
}

static bool in_release_queue(struct sched_context *sc)
{
    for (struct sched_context *q = sched_release_queue_head(); q != NULL; q = q->release_next) {
        if (q == sc) {
            return true;
        }
    }
    return false;
}

/* ---- time conversions ------------------------------------------------------------------------ */

START_TEST(test_time_conversions)
{
    ck_assert_uint_eq(mcs_us_to_ticks(1), 62);       /* 62.5 truncated */
    ck_assert_uint_eq(mcs_us_to_ticks(20), 1250);    /* MIN_BUDGET_US -> MIN_BUDGET */
    ck_assert_uint_eq(mcs_us_to_ticks(1000), 62500); /* 1 ms */
    ck_assert_uint_eq(mcs_ticks_to_us(1249), 19);    /* truncated */
    ck_assert_uint_eq(mcs_ticks_to_us(62500), 1000);
    ck_assert_uint_eq(mcs_ticks_to_us(63), 1);
    ck_assert_uint_eq(mcs_min_budget_ticks(), 1250);
    ck_assert_uint_eq(mcs_max_period_us(), MAX_PERIOD);
    ck_assert_uint_eq(MIN_BUDGET, 1250);
}
END_TEST

/* ---- refill arithmetic (a context in host memory, no kernel needed) ------------------------ */

static struct sched_context *new_sc(word_t max_refills)
{
    struct sched_context *sc = calloc(1, sizeof(*sc) + max_refills * sizeof(refill_t));
    ck_assert_ptr_nonnull(sc);
    return sc;
}

static void assert_refill(struct sched_context *sc, word_t nth, uint64_t release, uint64_t amount)
{
    word_t i = sc->refill_head;
    for (word_t k = 0; k < nth; k++) {
        i = refill_next(sc, i);
    }
    ck_assert_msg(sc->refills[i].release == release && sc->refills[i].amount == amount,
                  "refill %lu is {%lu, %lu}, expected {%lu, %lu}", (unsigned long)nth,
                  (unsigned long)sc->refills[i].release, (unsigned long)sc->refills[i].amount,
                  (unsigned long)release, (unsigned long)amount);
}

static void assert_well_formed(struct sched_context *sc)
{
    const char *why = NULL;
    ck_assert_msg(refill_well_formed(sc, &why), "not well formed: %s", why);
    ck_assert_uint_eq(refill_sum(sc), sc->budget);
}

START_TEST(test_refill_sporadic_charging)
{
    struct sched_context *sc = new_sc(10);
    refill_new(sc, 10, 10000, 100000, 0);
    ck_assert_uint_eq(refill_size(sc), 1);
    assert_refill(sc, 0, 0, 10000);
    assert_well_formed(sc);

    /* A partly used head: what was used comes back a period after the head's release, the rest
     * starts that much later. */
    refill_budget_check(sc, 3000);
    ck_assert_uint_eq(refill_size(sc), 2);
    assert_refill(sc, 0, 3000, 7000);
    assert_refill(sc, 1, 100000, 3000);
    assert_well_formed(sc);

    /* Unblocked at 50000: the due head moves to now; the next refill does not overlap it. */
    ck_assert(refill_unblock_check(sc, 50000));
    assert_refill(sc, 0, 50000, 7000);
    ck_assert_uint_eq(refill_size(sc), 2);

    /* The whole head used: it comes back a period after its release, behind the tail. */
    refill_budget_check(sc, 7000);
    ck_assert_uint_eq(refill_size(sc), 2);
    assert_refill(sc, 0, 100000, 3000);
    assert_refill(sc, 1, 150000, 7000);
    assert_well_formed(sc);
    ck_assert(!refill_ready(sc, 100000 - MCS_KERNEL_WCET_TICKS - 1));
    ck_assert(refill_ready(sc, 100000 - MCS_KERNEL_WCET_TICKS)); /* within a kernel WCET */

    /* Unblocked once both are due: they overlap and merge into one refill released now. */
    ck_assert(refill_unblock_check(sc, 200000));
    ck_assert_uint_eq(refill_size(sc), 1);
    assert_refill(sc, 0, 200000, 10000);
    assert_well_formed(sc);
    free(sc);
}
END_TEST

START_TEST(test_refill_merging_and_min_budget)
{
    /* Two slots: a used amount touching the tail merges into it... */
    struct sched_context *sc = new_sc(2);
    refill_new(sc, 2, 10000, 100000, 0);
    refill_budget_check(sc, 2000);
    assert_refill(sc, 0, 2000, 8000);
    assert_refill(sc, 1, 100000, 2000);
    refill_budget_check(sc, 2000);
    ck_assert_uint_eq(refill_size(sc), 2);
    assert_refill(sc, 0, 4000, 6000);
    assert_refill(sc, 1, 100000, 4000);
    assert_well_formed(sc);
    /* ...and one that does not touch it, with the list full, delays the tail to end where the new
     * refill would have ended. */
    ck_assert(refill_unblock_check(sc, 50000));
    refill_budget_check(sc, 1000);
    assert_refill(sc, 0, 51000, 5000);
    assert_refill(sc, 1, 146000, 5000);
    assert_well_formed(sc);
    free(sc);

    /* A head left below MIN_BUDGET folds into the next refill, which starts earlier by as much. */
    sc = new_sc(10);
    refill_new(sc, 10, 10000, 100000, 0);
    refill_budget_check(sc, 9000);
    ck_assert_uint_eq(refill_size(sc), 1);
    assert_refill(sc, 0, 99000, 10000);
    assert_well_formed(sc);

    /* Usage beyond the whole budget: every refill moves on a period (overrun), still well formed.
     */
    refill_budget_check(sc, 25000);
    ck_assert(refill_head(sc)->release >= 199000);
    assert_well_formed(sc);
    free(sc);
}
END_TEST

START_TEST(test_refill_round_robin_and_update)
{
    struct sched_context *sc = new_sc(4);
    refill_new(sc, MIN_REFILLS, 5000, 0, 7);
    ck_assert_uint_eq(refill_size(sc), 2);
    assert_refill(sc, 0, 7, 5000);
    assert_refill(sc, 1, 7, 0);
    refill_rr_charge(sc, 2000);
    assert_refill(sc, 0, 7, 3000);
    assert_refill(sc, 1, 7, 2000);
    assert_well_formed(sc);
    ck_assert(!refill_unblock_check(sc, 1000000)); /* round robin: nothing to merge */
    refill_rr_reset(sc);
    assert_refill(sc, 0, 7, 5000);
    assert_refill(sc, 1, 7, 0);
    free(sc);

    /* refill_update on a context in use: a smaller budget trims the head... */
    sc = new_sc(10);
    refill_new(sc, 10, 10000, 100000, 0);
    refill_update(sc, 50000, 4000, 4, 10);
    ck_assert_uint_eq(refill_size(sc), 1);
    assert_refill(sc, 0, 10, 4000);
    ck_assert_uint_eq(sc->refill_max, 4);
    assert_well_formed(sc);
    /* ...a larger one gets the rest one (new) period after the head. */
    refill_budget_check(sc, 2000);
    refill_update(sc, 50000, 8000, 4, 3000);
    ck_assert_uint_eq(refill_size(sc), 2);
    assert_refill(sc, 0, 3000, 2000); /* the due head moved to now; the used 2000 are gone */
    assert_refill(sc, 1, 53000, 6000);
    assert_well_formed(sc);
    free(sc);
}
END_TEST

/* Each rule of refill_well_formed catches its corruption. */
START_TEST(test_refill_well_formed_catches)
{
    struct sched_context *sc = new_sc(4);
    const char *why;
    refill_new(sc, 4, 10000, 100000, 0);
    refill_budget_check(sc, 3000); /* {3000, 7000} {100000, 3000} */
    assert_well_formed(sc);

    sc->budget = 10001;
    ck_assert(!refill_well_formed(sc, &why));
    ck_assert_str_eq(why, "the refill amounts do not add up to the budget");
    sc->budget = 9999;
    ck_assert(!refill_well_formed(sc, &why));
    ck_assert_str_eq(why, "the refill amounts add up to more than the budget");
    sc->budget = 10000;

    refill_tail(sc)->release = 5000; /* before the head ends (3000 + 7000) */
    ck_assert(!refill_well_formed(sc, &why));
    ck_assert_str_eq(why, "a refill reaches into the next one (out of release order)");
    refill_tail(sc)->release = 100000;

    refill_tail(sc)->release = 3000 + 100000 + MCS_KERNEL_WCET_TICKS + 1;
    ck_assert(!refill_well_formed(sc, &why));
    ck_assert_str_eq(why, "a refill is released more than a period after the head");
    refill_tail(sc)->release = 100000;

    sc->refill_count = 3;
    ck_assert(!refill_well_formed(sc, &why));
    ck_assert_str_eq(why, "the refill count disagrees with head and tail");
    sc->refill_count = 2;

    sc->refill_tail = 4;
    ck_assert(!refill_well_formed(sc, &why));
    ck_assert_str_eq(why, "head, tail or count outside the refill array");
    sc->refill_tail = 1;

    refill_head(sc)->amount = MIN_BUDGET - 1;
    refill_tail(sc)->amount = 10000 - (MIN_BUDGET - 1);
    ck_assert(!refill_well_formed(sc, &why));
    ck_assert_str_eq(why, "the head refill is smaller than MIN_BUDGET");
    refill_head(sc)->amount = 7000;
    refill_tail(sc)->amount = 3000;

    sc->period = 0; /* round robin needs exactly two refills: it has two... */
    assert_well_formed(sc);
    sc->refill_count = 3; /* ...three break it (the count check sees the indices first) */
    sc->refill_tail = 2;
    refill_tail(sc)->amount = 0;
    ck_assert(!refill_well_formed(sc, &why));
    ck_assert_str_eq(why, "a round-robin list does not have exactly two refills");
    free(sc);
}
END_TEST

/* ---- SchedControl_ConfigureFlags ---------------------------------------------------------- */

static void assert_range(struct ktest_reply r, uint64_t min, uint64_t max)
{
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[0], min);
    ck_assert_uint_eq(r.mr[1], max);
}

START_TEST(test_configure_flags_errors)
{
    uint64_t sc7 = E0, sc8 = E0 + 1, ep = E0 + 2;
    ktest_retype_at(seL4_SchedContextObject, 7, sc7);
    ktest_retype_at(seL4_SchedContextObject, 8, sc8);
    ktest_retype_at(seL4_EndpointObject, 0, ep);
    uint64_t mrs[5] = {1000, 10000, 0, 0, 0};
    uint64_t caps[1] = {sc8};

    /* 1. No extra cap (even with a bad budget) 2. fewer than five words. */
    uint64_t bad[5] = {MAX_PERIOD + 1, 10000, 0, 0, 0};
    ERR(ktest_call(SCTRL, SchedControlConfigureFlags, 5, bad, 0, NULL), seL4_TruncatedMessage, 0);
    ERR(ktest_call(SCTRL, SchedControlConfigureFlags, 4, mrs, 1, caps), seL4_TruncatedMessage, 0);
    /* 3. budget above the maximum (checked before the cap's type) 4. period above it. */
    assert_range(configure_flags(ep, MAX_PERIOD + 1, 10000, 0, 0, 0), 20, MAX_PERIOD);
    assert_range(configure_flags(sc8, 1000, MAX_PERIOD + 1, 0, 0, 0), 20, MAX_PERIOD);
    /* 5. budget below MIN_BUDGET (19 µs is 1187 ticks; 20 µs passes) 6. period below it. */
    assert_range(configure_flags(sc8, 1, 10000, 0, 0, 0), 20, MAX_PERIOD);
    assert_range(configure_flags(sc8, 19, 10000, 0, 0, 0), 20, MAX_PERIOD);
    assert_range(configure_flags(sc8, 20, 19, 0, 0, 0), 20, MAX_PERIOD);
    /* 7. budget above the period: the range's maximum is the period. */
    assert_range(configure_flags(sc8, 1000, 500, 0, 0, 0), 20, 500);
    /* 8. not a scheduling context. */
    struct ktest_reply r = configure_flags(ep, 1000, 10000, 0, 0, 0);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);
    /* 9. more extra refills than the object holds: size 8 holds 8, size 7 none. */
    assert_range(configure_flags(sc8, 1000, 10000, 9, 0, 0), 0, 8);
    assert_range(configure_flags(sc7, 1000, 10000, 1, 0, 0), 0, 0);
    ck_assert(!sc_active(sc_at(sc8)) && !sc_active(sc_at(sc7))); /* nothing changed */

    /* The extremes that pass: 20 µs, the whole object, the maximum period. */
    OK(configure_flags(sc8, 20, MAX_PERIOD, 8, 0, 0));
    ck_assert_uint_eq(sc_at(sc8)->refill_max, 10);
    OK(configure_flags(sc7, 20, 20, 0, 0, 0));
    /* Another label on the SchedControl cap. */
    ERR(ktest_call(SCTRL, SchedContextBind, 0, NULL, 0, NULL), seL4_IllegalOperation, 0);
    ktest_check_invariants();
}
END_TEST

START_TEST(test_configure_flags_effect)
{
    uint64_t sc = E0;
    ktest_retype_at(seL4_SchedContextObject, 9, sc);
    struct sched_context *s = sc_at(sc);
    ck_assert(!sc_active(s));
    /* Sporadic: the period, extra_refills + 2 slots, the whole budget now, badge and flag. */
    OK(configure_flags(sc, 1000, 10000, 5, 0x5c, seL4_SchedContext_Sporadic));
    ck_assert_uint_eq(s->period, US(10000));
    ck_assert_uint_eq(s->budget, US(1000));
    ck_assert_uint_eq(s->refill_max, 7);
    ck_assert_uint_eq(refill_size(s), 1);
    ck_assert_uint_eq(refill_head(s)->amount, US(1000));
    ck_assert_uint_eq(refill_head(s)->release, hostsim_clock_now());
    ck_assert_uint_eq(s->badge, 0x5c);
    ck_assert(s->sporadic);
    /* budget == period: round robin, period stored as 0, two refills, extra refills ignored. */
    OK(configure_flags(sc, 2000, 2000, 5, 1, 0));
    ck_assert_uint_eq(s->period, 0);
    ck_assert_uint_eq(s->refill_max, MIN_REFILLS);
    ck_assert_uint_eq(refill_size(s), 2);
    ck_assert_uint_eq(refill_head(s)->amount, US(2000));
    ck_assert(!s->sporadic);
    ktest_check_invariants();
}
END_TEST

/* ---- Bind, Unbind, UnbindObject ---------------------------------------------------------- */

START_TEST(test_bind_errors_and_effects)
{
    uint64_t A = E0, B = E0 + 2, X = E0 + 4, Y = E0 + 5, N = E0 + 6, M = E0 + 7, EP = E0 + 8;
    make_thread(A, 100);
    make_thread(B, 100);
    ktest_retype_at(seL4_SchedContextObject, 8, X);
    ktest_retype_at(seL4_SchedContextObject, 8, Y);
    ktest_retype_at(seL4_NotificationObject, 0, N);
    ktest_retype_at(seL4_NotificationObject, 0, M);
    ktest_retype_at(seL4_EndpointObject, 0, EP);

    ERR(sc_op(X, SchedContextBind, 0), seL4_TruncatedMessage, 0);
    struct ktest_reply r = sc_op(X, SchedContextBind, EP);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);

    /* An inactive SC binds to an Inactive thread (not blocked); the thread does not run. */
    OK(sc_op(X, SchedContextBind, A));
    ck_assert_ptr_eq(tcb_at(A)->sched_context, sc_at(X));
    ck_assert_ptr_eq(sc_at(X)->tcb, tcb_at(A));
    ERR(sc_op(X, SchedContextBind, B), seL4_IllegalOperation, 0); /* SC has a thread */
    ERR(sc_op(Y, SchedContextBind, A), seL4_IllegalOperation, 0); /* thread has an SC */
    OK(ktest_call(A, TCBResume, 0, NULL, 0, NULL));
    ck_assert(!tcb_at(A)->sched_queued); /* runnable, but its SC is inactive */
    ktest_check_invariants();

    /* Notifications: one SC each way. */
    OK(sc_op(X, SchedContextBind, N));
    ck_assert_uint_eq(notification_get_sched_context(*PTOV(notification_t, sc_at(X)->notification)),
                      VTOP(sc_at(X)));
    ERR(sc_op(Y, SchedContextBind, N), seL4_IllegalOperation, 0); /* notification has an SC */
    ERR(sc_op(X, SchedContextBind, M), seL4_IllegalOperation, 0); /* SC has a notification */
    ktest_check_invariants();

    /* UnbindObject: its errors, then each object alone. */
    ERR(sc_op(X, SchedContextUnbindObject, 0), seL4_TruncatedMessage, 0);
    r = sc_op(X, SchedContextUnbindObject, EP);
    ERR(r, seL4_InvalidCapability, 1);
    ERR(sc_op(X, SchedContextUnbindObject, B), seL4_IllegalOperation, 0); /* not its thread */
    ERR(sc_op(X, SchedContextUnbindObject, M), seL4_IllegalOperation, 0); /* not its ntfn */
    ERR(sc_op(ROOT_SC, SchedContextUnbindObject, ROOT_TCB), seL4_IllegalOperation, 0); /* caller */
    OK(sc_op(X, SchedContextUnbindObject, N));
    ck_assert_uint_eq(sc_at(X)->notification, 0);
    ck_assert_ptr_eq(sc_at(X)->tcb, tcb_at(A));
    OK(sc_op(X, SchedContextUnbindObject, A));
    ck_assert_ptr_null(sc_at(X)->tcb);
    ck_assert_ptr_null(tcb_at(A)->sched_context);

    /* Unbind: not on the caller's own SC; otherwise everything at once. */
    ERR(sc_op(ROOT_SC, SchedContextUnbind, 0), seL4_IllegalOperation, 0);
    OK(sc_op(X, SchedContextBind, A));
    OK(sc_op(X, SchedContextBind, N));
    OK(sc_op(X, SchedContextUnbind, 0));
    ck_assert_ptr_null(sc_at(X)->tcb);
    ck_assert_uint_eq(sc_at(X)->notification, 0);
    ck_assert_ptr_null(tcb_at(A)->sched_context);
    ck_assert_uint_eq(notification_get_sched_context(*ntfn_at(N)), 0);
    /* Another label on a SchedContext cap. */
    ERR(ktest_call(X, SchedControlConfigureFlags, 0, NULL, 0, NULL), seL4_IllegalOperation, 0);
    ktest_check_invariants();
}
END_TEST

/* A blocked thread takes an SC only if the SC is released (active and due). */
START_TEST(test_bind_blocked_thread)
{
    uint64_t A = E0, X = E0 + 2, Z = E0 + 3, N = E0 + 4;
    ktest_retype_at(seL4_NotificationObject, 0, N);
    make_running_thread(A, 255, X, 1000, 1000, 0, 0); /* as urgent as the root: queued behind */
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    /* The root waits on N (seL4_Wait): A runs and waits on N too, blocked. */
    uint64_t regs[8] = {N, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysWait};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    uint64_t aregs[8] = {N, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysWait};
    ck_assert_int_eq(hostsim_syscall_as_current(aregs, NULL), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(hostsim_current_thread(), 0); /* idle */
    ck_assert_uint_eq(hostsim_thread_state(handle_at(A)), ThreadState_BlockedOnNotification);
    /* Wake the root (signal N from the kernel: it has the lower queue position). */
    ntfn_signal(ntfn_at(N), 1);
    kernel_exit();
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());

    OK(sc_op(X, SchedContextUnbindObject, A));
    ktest_retype_at(seL4_SchedContextObject, 8, Z);
    ERR(sc_op(Z, SchedContextBind, A), seL4_IllegalOperation, 0); /* inactive: not released */
    OK(configure_flags(Z, 1000, 10000, 0, 0, 0));
    OK(sc_op(Z, SchedContextBind, A)); /* released now */
    ktest_check_invariants();
}
END_TEST

/* ---- budgets --------------------------------------------------------------------------------- */

/* A thread with 10% of a period gets 10% of the CPU, measured on the virtual clock. */
START_TEST(test_budget_enforced)
{
    uint64_t A = E0, B = E0 + 2, SA = E0 + 4, SB = E0 + 5;
    make_running_thread(A, 200, SA, 1000, 10000, 0, 0); /* 1 ms every 10 ms */
    make_running_thread(B, 100, SB, 5000, 5000, 0, 0);  /* round robin: whatever is left */
    uint64_t prio = 10;
    uint64_t auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, auth)); /* the root steps aside */
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    ktest_check_invariants();

    uint64_t who[2] = {handle_at(A), handle_at(B)}, spent[3] = {0, 0, 0};
    uint64_t total = US(1000000); /* one simulated second */
    run_for(total, who, spent, 2);
    ktest_check_invariants();
    /* 10% to A, to within one kernel WCET per period (the timer's precision here is 0). */
    uint64_t slack = (total / US(10000)) * MCS_KERNEL_WCET_TICKS;
    ck_assert_msg(spent[0] + slack >= total / 10 && spent[0] <= total / 10 + slack,
                  "A ran %lu of %lu ticks", (unsigned long)spent[0], (unsigned long)total);
    ck_assert_uint_eq(spent[0] + spent[1], total); /* B had the rest, nobody else ran */
    if (getenv("KTEST_VERBOSE") != NULL) {
        fprintf(stderr, "budget: A %lu, B %lu of %lu ticks (A %.4f%%)\n", (unsigned long)spent[0],
                (unsigned long)spent[1], (unsigned long)total, 100.0 * spent[0] / total);
    }

    /* Consumed (µs), as A's own call: the time charged to its SC so far, then from zero. */
    run_for(0, NULL, NULL, 0);
    while (hostsim_current_thread() != handle_at(A)) {
        hostsim_clock_advance(hostsim_clock_deadline() - hostsim_clock_now());
    }
    struct ktest_reply r =
        ktest_syscall_as_current(seL4_SysCall, SA, SchedContextConsumed, 0, NULL, 0, NULL);
    ck_assert_uint_eq(r.label, 0);
    ck_assert_uint_eq(r.length, 1);
    ck_assert_uint_ge(r.mr[0], mcs_ticks_to_us(spent[0]));
    ck_assert_uint_le(r.mr[0], mcs_ticks_to_us(spent[0]) + 1000);
    r = ktest_syscall_as_current(seL4_SysCall, SA, SchedContextConsumed, 0, NULL, 0, NULL);
    ck_assert_uint_eq(r.mr[0], 0);
    ktest_check_invariants();
}
END_TEST

/* Round robin: out of budget, a thread goes behind its equals with a fresh budget and never waits
 * in the release queue. Sporadic: it waits there until its refill is due. */
START_TEST(test_round_robin_vs_sporadic)
{
    uint64_t A = E0, B = E0 + 2, SA = E0 + 4, SB = E0 + 5;
    make_running_thread(A, 200, SA, 1000, 1000, 0, 0);
    make_running_thread(B, 200, SB, 1000, 1000, 0, 0);
    uint64_t prio = 10, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, auth));
    uint64_t first = hostsim_current_thread();
    ck_assert(first == handle_at(A) || first == handle_at(B));
    for (int turn = 0; turn < 6; turn++) {
        uint64_t cur = hostsim_current_thread();
        ck_assert_uint_eq(hostsim_clock_deadline() - hostsim_clock_now(), US(1000));
        hostsim_clock_advance(US(1000));
        ck_assert_uint_ne(hostsim_current_thread(), cur); /* the other one's turn */
        ck_assert_ptr_null(sched_release_queue_head());
        struct sched_context *used = cur == handle_at(A) ? sc_at(SA) : sc_at(SB);
        ck_assert_uint_eq(refill_head(used)->amount, US(1000)); /* a fresh budget */
        ktest_check_invariants();
    }
}
END_TEST

/* Sporadic (budget < period): out of budget the thread waits in the release queue, and the timer
 * is set for its refill; the queue is ordered by release time. */
START_TEST(test_release_queue)
{
    uint64_t C1 = E0, C2 = E0 + 2, C3 = E0 + 4, B = E0 + 6;
    uint64_t S1 = E0 + 8, S2 = E0 + 9, S3 = E0 + 10, SB = E0 + 11;
    make_running_thread(C1, 200, S1, 500, 3000, 0, 0);
    make_running_thread(C2, 199, S2, 500, 2000, 0, 0);
    make_running_thread(C3, 198, S3, 500, 4000, 0, 0);
    make_running_thread(B, 100, SB, 5000, 5000, 0, 0);
    uint64_t prio = 10, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, auth));
    /* Each runs its 500 µs in priority order (a constant-bandwidth SC's refill starts when it is
     * switched to), then waits for its refill a period after it started. */
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(C1));
    hostsim_clock_advance(US(500));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(C2));
    ck_assert(in_release_queue(sc_at(S1)));
    hostsim_clock_advance(US(500));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(C3));
    hostsim_clock_advance(US(500));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(B));
    /* C2 (released at 500 + 2000 µs), C1 (0 + 3000), C3 (1000 + 4000). */
    struct sched_context *q = sched_release_queue_head();
    ck_assert_ptr_eq(q, sc_at(S2));
    ck_assert_uint_eq(refill_head(q)->release, US(2500));
    ck_assert_ptr_eq(q->release_next, sc_at(S1));
    ck_assert_uint_eq(refill_head(q->release_next)->release, US(3000));
    ck_assert_ptr_eq(q->release_next->release_next, sc_at(S3));
    ck_assert_uint_eq(refill_head(sc_at(S3))->release, US(5000));
    ck_assert_ptr_null(sc_at(S3)->release_next);
    ck_assert(!tcb_at(C1)->sched_queued && !tcb_at(C2)->sched_queued);
    /* The deadline is the queue's head; there C2 preempts B. */
    ck_assert_uint_eq(hostsim_clock_deadline(), US(2500));
    ktest_check_invariants();
    hostsim_clock_advance(US(1000));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(C2));
    ck_assert_ptr_eq(sched_release_queue_head(), sc_at(S1));
    ktest_check_invariants();
}
END_TEST

/* Yield: round robin goes behind its equals with a fresh budget; sporadic waits for its next
 * refill; Consumed counts only the time used. */
START_TEST(test_yield)
{
    uint64_t A = E0, B = E0 + 2, SA = E0 + 4, SB = E0 + 5;
    make_running_thread(A, 255, SA, 1000, 1000, 0, 0);
    make_running_thread(B, 255, SB, 1000, 1000, 0, 0);
    /* Resume queued both at the head, B first: the root yields, B runs. */
    ck_assert_int_eq(ktest_syscall_as_current(seL4_SysYield, 0, 0, 0, NULL, 0, NULL).status,
                     HOSTSIM_OK);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(B));
    hostsim_clock_advance(US(300));
    ktest_syscall_as_current(seL4_SysYield, 0, 0, 0, NULL, 0, NULL);
    ck_assert_uint_ne(hostsim_current_thread(), handle_at(B));
    ck_assert_uint_eq(refill_head(sc_at(SB))->amount, US(1000)); /* a fresh budget */
    ck_assert_uint_eq(sc_at(SB)->consumed, US(300));             /* only what it used */
    ck_assert(!in_release_queue(sc_at(SB)));
    ktest_check_invariants();

    /* Sporadic: the yielded rest of the budget comes back a period after the head's release. */
    while (hostsim_current_thread() != hostsim_root_thread()) {
        ktest_syscall_as_current(seL4_SysYield, 0, 0, 0, NULL, 0, NULL);
    }
    OK(configure_flags(SA, 1000, 10000, 0, 0, seL4_SchedContext_Sporadic));
    while (hostsim_current_thread() != handle_at(A)) {
        ktest_syscall_as_current(seL4_SysYield, 0, 0, 0, NULL, 0, NULL);
    }
    uint64_t start = hostsim_clock_now();
    sc_at(SA)->consumed = 0;
    hostsim_clock_advance(US(200));
    ktest_syscall_as_current(seL4_SysYield, 0, 0, 0, NULL, 0, NULL);
    ck_assert_uint_ne(hostsim_current_thread(), handle_at(A));
    ck_assert(in_release_queue(sc_at(SA)));
    ck_assert_uint_eq(refill_head(sc_at(SA))->release, start + US(10000));
    ck_assert_uint_eq(sc_at(SA)->consumed, US(200));
    ktest_check_invariants();
}
END_TEST

START_TEST(test_yield_to)
{
    uint64_t A = E0, B = E0 + 2, C = E0 + 4, SA = E0 + 6, SB = E0 + 7, SC = E0 + 8, X = E0 + 9;
    ktest_retype_at(seL4_SchedContextObject, 8, X);
    OK(configure_flags(X, 1000, 10000, 0, 0, 0));
    ERR(sc_op(X, SchedContextYieldTo, 0), seL4_IllegalOperation, 0);       /* no thread */
    ERR(sc_op(ROOT_SC, SchedContextYieldTo, 0), seL4_IllegalOperation, 0); /* the caller's own */

    make_running_thread(B, 100, SB, 1000, 1000, 0, 0);
    make_running_thread(C, 100, SC, 1000, 1000, 0, 0); /* C now heads priority 100's queue */
    ck_assert_uint_eq((uint64_t)VTOP(sched_debug_queue_head(0, 100)), handle_at(C));
    /* Lower priority: the target moves to the head of its queue; the answer comes at once. */
    struct ktest_reply r = sc_op(SB, SchedContextYieldTo, 0);
    ck_assert_int_eq(r.status, HOSTSIM_OK);
    ck_assert_uint_eq(r.label, 0);
    ck_assert_uint_eq(r.length, 1);
    ck_assert_uint_eq(r.mr[0], 0);
    ck_assert_uint_eq((uint64_t)VTOP(sched_debug_queue_head(0, 100)), handle_at(B));
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());

    /* Above the caller's MCP: A (priority 200, MCP 0) may not yield to B (100). */
    make_running_thread(A, 200, SA, 1000, 1000, 0, 0);
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    uint64_t prio = 150, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, auth));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    r = ktest_syscall_as_current(seL4_SysCall, SB, SchedContextYieldTo, 0, NULL, 0, NULL);
    ck_assert_uint_eq(r.label, seL4_IllegalOperation);

    /* At least as urgent: the target runs now, the caller waits behind it for its answer. */
    uint64_t p255 = 255;
    r = ktest_syscall_as_current(seL4_SysCall, ROOT_TCB, TCBSetPriority, 1, &p255, 1,
                                 auth); /* as A */
    ck_assert_uint_eq(r.label, 0);
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    uint64_t p100 = 100;
    OK(ktest_call(A, TCBSetPriority, 1, &p100, 1, auth)); /* A joins B and C at 100 */
    OK(ktest_call(B, TCBSetPriority, 1, &p255, 1, auth)); /* B as urgent as the root */
    r = sc_op(SB, SchedContextYieldTo, 0);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(B));
    ck_assert_ptr_eq(ks.root_thread->yield_to, sc_at(SB));
    ck_assert_ptr_eq(sc_at(SB)->yield_from, ks.root_thread);
    ktest_check_invariants();
    hostsim_clock_advance(US(300));
    ktest_syscall_as_current(seL4_SysYield, 0, 0, 0, NULL, 0,
                             NULL); /* B yields: the root runs, answered */
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    ck_assert_ptr_null(ks.root_thread->yield_to);
    ck_assert_ptr_null(sc_at(SB)->yield_from);
    uint64_t regs[37];
    hostsim_thread_regs(hostsim_root_thread(), regs);
    seL4_MessageInfo_t info = {{regs[1]}};
    ck_assert_uint_eq(seL4_MessageInfo_get_label(info), 0);
    ck_assert_uint_eq(seL4_MessageInfo_get_length(info), 1);
    ck_assert_uint_eq(regs[2], 300); /* µs B used on its SC */
    ktest_check_invariants();
}
END_TEST

/* ConfigureFlags on the SC the caller runs on: the time used so far is charged under the old
 * parameters, and the current window gets no more than the new budget. */
START_TEST(test_configure_running_sc)
{
    uint64_t A = E0, B = E0 + 2, SA = E0 + 4, SB = E0 + 5;
    make_running_thread(A, 200, SA, 1000, 10000, 0, 0);
    make_running_thread(B, 100, SB, 5000, 5000, 0, 0);
    uint64_t p10 = 10, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &p10, 1, auth));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    hostsim_clock_advance(US(400));
    uint64_t mrs[5] = {500, 10000, 0, 7, 0}, caps[1] = {SA};
    struct ktest_reply r =
        ktest_syscall_as_current(seL4_SysCall, SCTRL, SchedControlConfigureFlags, 5, mrs, 1, caps);
    ck_assert_uint_eq(r.label, 0);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    struct sched_context *sa = sc_at(SA);
    ck_assert_uint_eq(sa->consumed, US(400)); /* charged under the old parameters */
    ck_assert_uint_eq(sa->budget, US(500));
    ck_assert_uint_eq(refill_size(sa), 1); /* only the trimmed head is kept */
    ck_assert_uint_eq(refill_head(sa)->amount, US(500));
    ck_assert_uint_eq(refill_head(sa)->release, US(400)); /* due: moved to now */
    ck_assert_uint_eq(sa->badge, 7);
    ktest_check_invariants();
    hostsim_clock_advance(US(500));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(B));
    ck_assert(in_release_queue(sa));
    ktest_check_invariants();
}
END_TEST

/* Consumed through Send: no reply, but the count restarts all the same. */
START_TEST(test_consumed_by_send)
{
    uint64_t A = E0, SA = E0 + 4;
    make_running_thread(A, 255, SA, 1000, 1000, 0, 0);
    ck_assert_int_eq(ktest_syscall_as_current(seL4_SysYield, 0, 0, 0, NULL, 0, NULL).status,
                     HOSTSIM_OK);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    hostsim_clock_advance(US(250));
    ktest_syscall_as_current(seL4_SysYield, 0, 0, 0, NULL, 0,
                             NULL); /* charges A: back to the root */
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    ck_assert_uint_eq(sc_at(SA)->consumed, US(250));
    struct ktest_reply r = ktest_syscall(
        seL4_SysSend, SA, seL4_MessageInfo_new(SchedContextConsumed, 0, 0, 0).words[0], 0, NULL, 0,
        NULL);
    ck_assert_int_eq(r.status, HOSTSIM_OK);
    ck_assert_uint_eq(sc_at(SA)->consumed, 0);
    r = sc_op(SA, SchedContextConsumed, 0);
    ck_assert_uint_eq(r.label, 0);
    ck_assert_uint_eq(r.length, 1);
    ck_assert_uint_eq(r.mr[0], 0);
}
END_TEST

/* Preemption points of long operations also stop for an exhausted budget: the current SC cannot
 * pay for what it used plus one more kernel entry. */
START_TEST(test_preemption_point_budget)
{
    uint64_t A = E0, SA = E0 + 4;
    make_running_thread(A, 255, SA, 1000, 10000, 0, 0);
    ck_assert_int_eq(ktest_syscall_as_current(seL4_SysYield, 0, 0, 0, NULL, 0, NULL).status,
                     HOSTSIM_OK);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    hostsim_clock_advance(US(500));
    ck_assert(!sched_budget_exhausted_now());
    hostsim_clock_advance(US(485)); /* 15 µs left: less than MIN_BUDGET */
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    ck_assert(sched_budget_exhausted_now()); /* and charged: A's turn is over */
    kernel_exit();
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    ck_assert(in_release_queue(sc_at(SA)));
    ck_assert_uint_eq(sc_at(SA)->consumed, US(985));
    ktest_check_invariants();
}
END_TEST

/* DebugDumpScheduler shows each thread's SC: budget, period, consumed (µs), or why it has none. */
START_TEST(test_debug_dump_sc)
{
    uint64_t A = E0, B = E0 + 2, SA = E0 + 4, SB = E0 + 5;
    make_running_thread(A, 100, SA, 1000, 10000, 0, seL4_SchedContext_Sporadic);
    make_thread(B, 100);
    ktest_retype_at(seL4_SchedContextObject, 8, SB);
    OK(sc_op(SB, SchedContextBind, B));
    hostsim_console_capture(true);
    sched_debug_dump();
    const char *out = hostsim_console_take();
    hostsim_console_capture(false);
    ck_assert_msg(strstr(out, "budget 1000 us, period 10000 us, consumed 0 us, sporadic") != NULL,
                  "%s", out);
    ck_assert_msg(strstr(out, "budget 5000 us, period 5000 us") != NULL, "%s", out); /* root */
    ck_assert_msg(strstr(out, "scheduling context not configured") != NULL, "%s", out);
    OK(sc_op(SB, SchedContextUnbind, 0));
    hostsim_console_capture(true);
    sched_debug_dump();
    out = hostsim_console_take();
    hostsim_console_capture(false);
    ck_assert_msg(strstr(out, "no scheduling context (passive)") != NULL, "%s", out);
}
END_TEST

/* With every thread waiting, a run loop skips the clock to the next release (and only then). */
START_TEST(test_skip_to_release)
{
    uint64_t A = E0, SA = E0 + 4;
    ck_assert(!hostsim_clock_skip_to_release()); /* nothing waits for a refill */
    make_running_thread(A, 255, SA, 1000, 10000, 0, 0);
    ck_assert_int_eq(ktest_call(ROOT_TCB, TCBSuspend, 0, NULL, 0, NULL).status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    hostsim_clock_advance(US(1000)); /* A's budget: it waits, the idle thread runs */
    ck_assert_uint_eq(hostsim_current_thread(), 0);
    ck_assert(in_release_queue(sc_at(SA)));
    /* Deadline by deadline (the idle SC's turn ends at 6 ms, A's refill is due at 10 ms). */
    for (int i = 0; i < 10 && in_release_queue(sc_at(SA)); i++) {
        ck_assert(hostsim_clock_skip_to_release());
        hostsim_tick(1); /* take the pending timer interrupt */
    }
    ck_assert_uint_eq(hostsim_clock_now(), US(10000));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    ck_assert(!in_release_queue(sc_at(SA)));
    ktest_check_invariants();
}
END_TEST

/* An engine with its own ns clock: 16 ns per tick; the clock never goes back. */
START_TEST(test_clock_ns)
{
    ktest_check_invariants(); /* right after boot: the first deadline is programmed already */
    uint64_t d = hostsim_clock_deadline();
    ck_assert_uint_eq(d, US(5000)); /* the root's turn ends at 5 ms */
    ck_assert_uint_eq(hostsim_clock_deadline_ns(), d * 16);
    hostsim_clock_sync_ns(1600);
    ck_assert_uint_eq(hostsim_clock_now(), 100);
    hostsim_clock_sync_ns(1615); /* 100.9 ticks: still 100 */
    ck_assert_uint_eq(hostsim_clock_now(), 100);
    hostsim_clock_sync_ns(800); /* never back */
    ck_assert_uint_eq(hostsim_clock_now(), 100);
    hostsim_clock_advance(d - 100); /* reaching the deadline takes the interrupt */
    ck_assert_uint_eq(hostsim_clock_now(), d);
    ck_assert_uint_eq(hostsim_clock_deadline(), d + US(5000)); /* the root's next turn */
    ktest_check_invariants();
}
END_TEST

/* ---- timeout faults -------------------------------------------------------------------------- */

/* The root waits on EP with reply object R; A (sporadic, timeout handler EP) runs out of budget.
 * Returns with the root current, holding the timeout fault. */
static void timeout_fault_setup(uint64_t A, uint64_t SA, uint64_t EP, uint64_t R)
{
    ktest_retype_at(seL4_EndpointObject, 0, EP);
    ktest_retype_at(seL4_ReplyObject, 0, R);
    make_thread(A, 200);
    ktest_retype_at(seL4_SchedContextObject, 8, SA);
    OK(configure_flags(SA, 1000, 10000, 0, 0x5c, 0));
    OK(sc_op(SA, SchedContextBind, A));
    uint64_t caps[1] = {EP};
    ERR(ktest_call(A, TCBSetTimeoutEndpoint, 0, NULL, 0, NULL), seL4_TruncatedMessage, 0);
    OK(ktest_call(A, TCBSetTimeoutEndpoint, 0, NULL, 1, caps));
    OK(ktest_call(A, TCBResume, 0, NULL, 0, NULL));
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread()); /* A is less urgent */
    uint64_t regs[8] = {EP, 0, 0, 0, 0, 0, R, (uint64_t)seL4_SysRecv};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    hostsim_clock_advance(US(1000)); /* A's whole budget: the timeout fault */
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    ck_assert_uint_eq(hostsim_thread_state(handle_at(A)), ThreadState_BlockedOnReply);
    uint64_t rr[37];
    hostsim_thread_regs(hostsim_root_thread(), rr);
    seL4_MessageInfo_t info = {{rr[1]}};
    ck_assert_uint_eq(seL4_MessageInfo_get_label(info), seL4_Fault_Timeout);
    ck_assert_uint_eq(seL4_MessageInfo_get_length(info), seL4_Timeout_Length);
    ck_assert_uint_eq(rr[2 + seL4_Timeout_Data], 0x5c);     /* the SC's badge */
    ck_assert_uint_eq(rr[2 + seL4_Timeout_Consumed], 1000); /* µs used on the SC */
    ck_assert_uint_eq(sc_at(SA)->consumed, 0);              /* read, so restarted */
    ktest_check_invariants();
}

START_TEST(test_timeout_fault_restart)
{
    uint64_t A = E0, EP = E0 + 2, R = E0 + 3, SA = E0 + 4;
    timeout_fault_setup(A, SA, EP, R);
    /* Reply label 0, MR0 = a new PC: A restarts there, once its next refill is due. */
    uint64_t mrs[1] = {0x500000};
    struct ktest_reply r =
        ktest_syscall(seL4_SysSend, R, seL4_MessageInfo_new(0, 0, 0, 1).words[0], 1, mrs, 0, NULL);
    ck_assert_int_eq(r.status, HOSTSIM_OK);
    ck_assert_uint_eq(hostsim_thread_state(handle_at(A)), ThreadState_Restart);
    ck_assert(in_release_queue(sc_at(SA))); /* no budget until 10 ms after it started */
    uint64_t regs[37];
    hostsim_thread_regs(handle_at(A), regs);
    ck_assert_uint_eq(regs[REG_FAULT_IP], 0x500000);
    ktest_check_invariants();
    uint64_t p10 = 10, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &p10, 1, auth));
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread()); /* A still waits */
    hostsim_clock_advance(US(9000));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    hostsim_thread_regs(handle_at(A), regs);
    ck_assert_uint_eq(regs[REG_NEXT_IP], 0x500000);
    ktest_check_invariants();
}
END_TEST

START_TEST(test_timeout_fault_stop)
{
    uint64_t A = E0, EP = E0 + 2, R = E0 + 3, SA = E0 + 4;
    timeout_fault_setup(A, SA, EP, R);
    /* A reply with a label other than 0 leaves the thread Inactive. */
    struct ktest_reply r =
        ktest_syscall(seL4_SysSend, R, seL4_MessageInfo_new(1, 0, 0, 0).words[0], 0, NULL, 0, NULL);
    ck_assert_int_eq(r.status, HOSTSIM_OK);
    ck_assert_uint_eq(hostsim_thread_state(handle_at(A)), ThreadState_Inactive);
    ktest_check_invariants();
}
END_TEST

/* Round robin never raises a timeout fault, handler or not. */
START_TEST(test_no_timeout_fault_round_robin)
{
    uint64_t A = E0, EP = E0 + 2, SA = E0 + 4;
    ktest_retype_at(seL4_EndpointObject, 0, EP);
    make_running_thread(A, 255, SA, 1000, 1000, 0, 0);
    uint64_t caps[1] = {EP};
    OK(ktest_call(A, TCBSetTimeoutEndpoint, 0, NULL, 1, caps));
    uint64_t p10 = 10, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &p10, 1, auth));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    hostsim_clock_advance(US(3500));
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    ck_assert_uint_eq(hostsim_thread_state(handle_at(A)), ThreadState_Running);
    ktest_check_invariants();
}
END_TEST

/* ---- the invariant checker's MCS rules, each caught ------------------------------------------ */

/* The full check names the broken rule; the quick one (between entries) sees it too, unless
 * only a cap names the SC (full_only). */
static void expect_broken_in(const char *what, bool full_only)
{
    char why[256];
    ck_assert_msg(!kernel_invariants_hold(why, sizeof(why)), "the checker missed: %s", what);
    ck_assert_msg(strstr(why, what) != NULL, "expected \"%s\", the checker said \"%s\"", what, why);
    ck_assert_msg(full_only || !kernel_invariants_quick(why, sizeof(why)),
                  "the quick check missed: %s", what);
}
static void expect_broken(const char *what) { expect_broken_in(what, false); }

START_TEST(test_invariants_catch)
{
    uint64_t C1 = E0, C2 = E0 + 2, B = E0 + 4, S1 = E0 + 6, S2 = E0 + 7, SB = E0 + 8, X = E0 + 9;
    make_running_thread(C1, 200, S1, 500, 3000, 0, 0);
    make_running_thread(C2, 199, S2, 500, 2000, 0, 0);
    make_running_thread(B, 100, SB, 5000, 5000, 0, 0);
    ktest_retype_at(seL4_SchedContextObject, 8, X);
    OK(configure_flags(X, 1000, 10000, 0, 0, 0));
    uint64_t D = E0 + 10, Y = E0 + 12; /* an Inactive thread on an unconfigured SC */
    make_thread(D, 50);
    ktest_retype_at(seL4_SchedContextObject, 8, Y);
    OK(sc_op(Y, SchedContextBind, D));
    uint64_t p10 = 10, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &p10, 1, auth));
    hostsim_clock_advance(US(1000)); /* C1 and C2 wait in the release queue, B runs */
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(B));
    ktest_check_invariants();
    struct sched_context *s1 = sc_at(S1), *s2 = sc_at(S2), *sb = sc_at(SB), *x = sc_at(X);
    ck_assert_ptr_eq(sched_release_queue_head(), s2);

    /* Refills: a broken list on a thread's SC, and on an SC only a cap names (full check). */
    refill_head(sb)->amount -= 1;
    expect_broken("refills not well formed: the refill amounts do not add up to the budget");
    refill_head(sb)->amount += 1;
    x->budget += 1;
    char why[256];
    ck_assert(!kernel_invariants_hold(why, sizeof(why)));
    ck_assert_msg(strstr(why, "refills not well formed") != NULL, "%s", why);
    x->budget -= 1;
    ktest_check_invariants();

    /* Back-pointers. */
    s1->tcb = tcb_at(C2);
    expect_broken("which runs on SC");
    s1->tcb = tcb_at(C1);
    tcb_at(C1)->sched_context = x; /* x names no thread; s1 still names C1 */
    expect_broken("which runs on SC");
    tcb_at(C1)->sched_context = s1;
    /* A thread naming an SC that names nobody (the quick check walks threads first). */
    tcb_at(D)->sched_context = x;
    ck_assert(!kernel_invariants_hold(why, sizeof(why)));
    ck_assert(!kernel_invariants_quick(why, sizeof(why)));
    ck_assert_msg(strstr(why, "which is bound to another thread") != NULL, "%s", why);
    tcb_at(D)->sched_context = sc_at(Y);
    tcb_at(C1)->sched_context = s1;
    ktest_check_invariants();

    /* The release queue: out of order, a missing member, a thread in it that is also ready. */
    refill_head(s1)->release -= US(1000); /* before S2's, which heads the queue */
    expect_broken("the release queue is out of order");
    refill_head(s1)->release += US(1000);
    s2->release_next = NULL; /* S1 falls off the list but stays marked */
    expect_broken("SCs are marked as in the release queue, but it holds");
    s2->release_next = s1;
    ktest_check_invariants();

    /* A ready thread without a released SC. */
    tcb_at(C1)->sched_queued = true; /* as if queued: the ready-queue walk or the MCS rule */
    char w2[256];
    ck_assert(!kernel_invariants_hold(w2, sizeof(w2)));
    tcb_at(C1)->sched_queued = false;
    ktest_check_invariants();

    /* The current thread on an SC the scheduler does not charge. */
    struct tcb *cur = ks.cur_thread;
    cur->sched_context = x;
    x->tcb = cur;
    sb->tcb = NULL;
    expect_broken("the scheduler charges another");
    cur->sched_context = sb;
    sb->tcb = cur;
    x->tcb = NULL;
    ktest_check_invariants();

    /* The deadline: not the earliest event. */
    uint64_t d = hostsim_clock_deadline();
    ck_assert_uint_eq(sched_programmed_deadline(), d);
    refill_head(sb)->amount -= US(4000); /* B's turn would end before the queue's head */
    refill_tail(sb)->amount += US(4000);
    expect_broken("is not the earliest event");
    refill_head(sb)->amount += US(4000);
    refill_tail(sb)->amount -= US(4000);
    refill_head(s2)->release = d - 1; /* the queue's head before the deadline */
    expect_broken("is after the release queue's head");
    refill_head(s2)->release = US(2500);
    ktest_check_invariants();

    /* More release-queue rules: a cycle, a member not marked, a member whose thread stopped. */
    refill_head(s1)->release = refill_head(s2)->release; /* equal: still in order, then a cycle */
    ktest_check_invariants();
    s1->release_next = s2;
    expect_broken("the release queue is longer than the");
    s1->release_next = NULL;
    refill_head(s1)->release = US(3000);
    s1->in_release_queue = 0; /* its thread now looks ready: the thread rules see it first */
    expect_broken("is runnable but in no ready queue");
    s1->in_release_queue = 1;
    thread_state_ptr_set_ts_type(&tcb_at(C1)->state, ThreadState_Inactive);
    expect_broken("which is not a runnable unqueued thread");
    thread_state_ptr_set_ts_type(&tcb_at(C1)->state, ThreadState_Running);
    ktest_check_invariants();

    /* A ready (queued) thread, or the current one, on an SC that is not active. */
    struct sched_context *root_sc = ks.root_thread->sched_context;
    ck_assert(ks.root_thread->sched_queued); /* priority 10, behind B */
    root_sc->refill_max = 0;
    expect_broken("is in a ready queue without an active, released SC");
    root_sc->refill_max = MIN_REFILLS;
    sb->refill_max = 0;
    expect_broken("has no active, released SC");
    sb->refill_max = MIN_REFILLS;
    ktest_check_invariants();

    /* A notification that does not name the SC bound to it. */
    x->notification = VTOP(ks.root_thread); /* RAM that does not name x as a notification would */
    char w3[256];
    ck_assert(!kernel_invariants_hold(w3, sizeof(w3)));
    ck_assert_msg(strstr(w3, "which does not name it") != NULL, "%s", w3);
    x->notification = 0;
    ktest_check_invariants();

    /* YieldTo links. */
    tcb_at(C1)->yield_to = x;
    expect_broken("yields to SC");
    tcb_at(C1)->yield_to = NULL;
    x->yield_from = tcb_at(C2); /* x is only a cap's: the full check */
    expect_broken_in("its YieldTo thread", true);
    x->yield_from = NULL;
    ktest_check_invariants();
}
END_TEST

/* ---- registration -------------------------------------------------------------------------- */

static Suite *suite(void)
{
    Suite *s = suite_create("sched_context");
    TCase *tc = tcase_create("refills");
    tcase_add_test(tc, test_time_conversions);
    tcase_add_test(tc, test_refill_sporadic_charging);
    tcase_add_test(tc, test_refill_merging_and_min_budget);
    tcase_add_test(tc, test_refill_round_robin_and_update);
    tcase_add_test(tc, test_refill_well_formed_catches);
    suite_add_tcase(s, tc);

    tc = tcase_create("invocations");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, test_configure_flags_errors);
    tcase_add_test(tc, test_configure_flags_effect);
    tcase_add_test(tc, test_bind_errors_and_effects);
    tcase_add_test(tc, test_bind_blocked_thread);
    suite_add_tcase(s, tc);

    tc = tcase_create("budgets");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, test_budget_enforced);
    tcase_add_test(tc, test_round_robin_vs_sporadic);
    tcase_add_test(tc, test_release_queue);
    tcase_add_test(tc, test_yield);
    tcase_add_test(tc, test_yield_to);
    tcase_add_test(tc, test_configure_running_sc);
    tcase_add_test(tc, test_consumed_by_send);
    tcase_add_test(tc, test_preemption_point_budget);
    tcase_add_test(tc, test_debug_dump_sc);
    tcase_add_test(tc, test_skip_to_release);
    tcase_add_test(tc, test_clock_ns);
    suite_add_tcase(s, tc);

    tc = tcase_create("timeout_faults");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, test_timeout_fault_restart);
    tcase_add_test(tc, test_timeout_fault_stop);
    tcase_add_test(tc, test_no_timeout_fault_round_robin);
    suite_add_tcase(s, tc);

    tc = tcase_create("invariants");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, test_invariants_catch);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(suite()); }
