/* SPDX-License-Identifier: BSD-2-Clause */
/* Domains under MCS (-Dmcs=true -Dnum_domains=N, N > 1; hostsim, simulated time): the domain
 * schedule's durations are timer ticks, the kernel's one-shot deadline falls on each domain's end,
 * the domain switches exactly at the schedule's boundaries, and a thread of another domain never
 * runs outside its domain's time, whatever its priority and budget. Time moves only by
 * hostsim_clock_advance, deadline by deadline, so every figure is exact. */
#include <stdio.h>
#include <stdlib.h>

#include "ktest.h"

#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/sched.h>
#include <kaal/sporadic.h>

#define ROOT seL4_CapInitThreadCNode
#define ROOT_TCB seL4_CapInitThreadTCB
#define ROOT_VSPACE seL4_CapInitThreadVSpace
#define DOMAIN seL4_CapDomain

#define US(us) (mcs_us_to_ticks(us))

/* Two configurable schedule entries (the last of CONFIG_NUM_DOMAIN_SCHEDULES is never configured).
 */
_Static_assert(
    CONFIG_NUM_DOMAINS > 1 && CONFIG_NUM_DOMAIN_SCHEDULES > 2,
    "built only with -Dnum_domains > 1 -Dnum_domain_schedules > 2 (tests/mcs/meson.build)");

static uint64_t E0;    /* first free root CNode slot */
static uint64_t SCTRL; /* the SchedControl cap */

static void setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
    SCTRL = hostsim_bootinfo()->schedcontrol.start;
}

static uint64_t handle_at(uint64_t slot)
{
    cte_t *slots = cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap);
    return cap_thread_cap_get_tcb(slots[slot].cap);
}

/* A thread in slot (IPC buffer frame in slot + 1) in domain dom at priority prio, on an SC in
 * sc_slot of budget and period (µs), bound and resumed. */
static void make_thread_in(uint64_t slot, uint64_t dom, uint64_t prio, uint64_t sc_slot,
                           uint64_t budget_us, uint64_t period_us)
{
    ktest_retype_at(seL4_TCBObject, 0, slot);
    ktest_retype_at(seL4_ARM_SmallPageObject, 0, slot + 1);
    uint64_t mrs[3] = {0, 0, 0x10000};
    uint64_t caps[3] = {ROOT, ROOT_VSPACE, slot + 1};
    OK(ktest_call(slot, TCBConfigure, 3, mrs, 3, caps));
    uint64_t auth[1] = {ROOT_TCB};
    OK(ktest_call(slot, TCBSetPriority, 1, &prio, 1, auth));
    uint64_t tcb[1] = {slot};
    OK(ktest_call(DOMAIN, DomainSetSet, 1, &dom, 1, tcb));
    ktest_retype_at(seL4_SchedContextObject, 10, sc_slot);
    uint64_t cf[5] = {budget_us, period_us, 0, sc_slot, 0};
    uint64_t sc[1] = {sc_slot};
    OK(ktest_call(SCTRL, SchedControlConfigureFlags, 5, cf, 1, sc));
    uint64_t bind[1] = {slot};
    OK(ktest_call(sc_slot, SchedContextBind, 0, NULL, 1, bind));
    OK(ktest_call(slot, TCBResume, 0, NULL, 0, NULL));
}

static void schedule_entry(uint64_t index, uint64_t dom, uint64_t duration_ticks)
{
    uint64_t mrs[3] = {index, dom, duration_ticks};
    OK(ktest_call(DOMAIN, DomainScheduleConfigure, 3, mrs, 0, NULL));
}

static void root_steps_aside(void)
{
    uint64_t prio = 10, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, auth));
}

/* Which domain the thread with this handle is in (its TCB). */
static uint64_t domain_of(uint64_t handle) { return tcb_from_paddr(handle)->domain; }

/* Before any schedule is configured: domain 0 for ever (seL4-MCS's default entry), so the root's
 * system calls complete and no deadline falls on a domain's end. (With a one-tick default entry
 * under MCS every kernel entry ended domain 0 and no system call completed.) */
START_TEST(test_default_schedule)
{
    ck_assert_uint_eq(sched_current_domain(), 0);
    ck_assert_uint_ge(sched_domain_time(), UINT64_MAX / 8 - US(1000000));
    uint64_t prio = 200, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, auth));
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, auth));
    ck_assert_uint_eq(hostsim_clock_deadline(), US(5000)); /* the root's round-robin turn */
    hostsim_clock_advance(US(20000));
    ck_assert_uint_eq(sched_current_domain(), 0);
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, auth));
    ktest_check_invariants();
}
END_TEST

/* Two domains, 2 ms and 3 ms (in ticks: the MCS unit). A (domain 0, priority 100) and B (domain
 * 1, priority 200: more urgent, and with a budget it never exhausts) both always runnable; the
 * root (domain 0, priority 10) beneath A. Stepping from deadline to deadline for 10 rounds: every
 * domain switch falls exactly on a boundary of the schedule (the kernel programs its deadline
 * there), and in every interval the thread that ran belongs to the current domain: B never runs
 * in domain 0's time, A never in domain 1's. Each got exactly its domain's share. */
START_TEST(test_switch_at_boundaries)
{
    const uint64_t D0 = US(2000), D1 = US(3000), ROUNDS = 10;
    uint64_t A = E0, B = E0 + 2, SA = E0 + 4, SB = E0 + 5;
    make_thread_in(A, 0, 100, SA, 1000, 1000);
    make_thread_in(B, 1, 200, SB, 1000000, 1000000);
    schedule_entry(0, 0, D0);
    schedule_entry(1, 1, D1);
    uint64_t start_index = 0;
    OK(ktest_call(DOMAIN, DomainScheduleSetStart, 1, &start_index, 0, NULL));
    root_steps_aside();
    ktest_check_invariants();
    uint64_t t0 = hostsim_clock_now();
    ck_assert_uint_eq(sched_current_domain(), 0);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    ck_assert_uint_le(hostsim_clock_deadline(), t0 + D0); /* the domain's end at the latest */

    uint64_t end = t0 + ROUNDS * (D0 + D1), ran[2] = {0, 0};
    uint64_t dom = 0, switches = 0, next_boundary = t0 + D0;
    while (hostsim_clock_now() < end) {
        uint64_t now = hostsim_clock_now(), deadline = hostsim_clock_deadline();
        uint64_t cur = hostsim_current_thread();
        ck_assert_uint_gt(deadline, now);
        /* never past the domain's end: the deadline is there or earlier */
        ck_assert_uint_le(deadline, next_boundary);
        if (cur != 0) {
            ck_assert_msg(domain_of(cur) == dom, "a thread of domain %lu ran in domain %lu's time",
                          (unsigned long)domain_of(cur), (unsigned long)dom);
            ran[cur == handle_at(A) ? 0 : 1] += deadline - now;
            ck_assert(cur == handle_at(A) || cur == handle_at(B));
        }
        hostsim_clock_advance(deadline - now);
        if (sched_current_domain() != dom) {
            ck_assert_uint_eq(hostsim_clock_now(), next_boundary); /* exactly on the boundary */
            dom = sched_current_domain();
            switches++;
            next_boundary += dom == 0 ? D0 : D1;
        }
        ktest_check_invariants();
    }
    ck_assert_uint_eq(hostsim_clock_now(), end);
    ck_assert_uint_eq(switches, 2 * ROUNDS);
    ck_assert_uint_eq(ran[0], ROUNDS * D0); /* A: all of domain 0's time (the root never ran) */
    ck_assert_uint_eq(ran[1], ROUNDS * D1); /* B: all of domain 1's, though more urgent */
}
END_TEST

/* A domain with nothing runnable idles for its whole time: the thread of the other domain waits,
 * runnable, and runs again exactly when its domain comes back. A sporadic thread's refill that
 * falls due in the other domain's time does not let it run there. */
START_TEST(test_idle_domain_and_release)
{
    const uint64_t D0 = US(4000), D1 = US(1000);
    uint64_t A = E0, SA = E0 + 4;
    /* A (domain 1): 100 µs every 500 µs; its refills fall due inside domain 0's time too. */
    make_thread_in(A, 1, 200, SA, 100, 500);
    schedule_entry(0, 0, D0);
    schedule_entry(1, 1, D1);
    uint64_t start_index = 0;
    OK(ktest_call(DOMAIN, DomainScheduleSetStart, 1, &start_index, 0, NULL));
    /* The root (domain 0) suspends itself: domain 0 has nothing left to run. */
    ck_assert_int_eq(ktest_call(ROOT_TCB, TCBSuspend, 0, NULL, 0, NULL).status, HOSTSIM_STOPPED);
    uint64_t t0 = hostsim_clock_now();
    ck_assert_uint_eq(sched_current_domain(), 0);
    ck_assert_uint_eq(hostsim_current_thread(), 0); /* idle */

    uint64_t a_ran = 0;
    for (int round = 0; round < 4; round++) {
        uint64_t base = t0 + (uint64_t)round * (D0 + D1);
        /* domain 0: idle for all of it, whatever A's refills do */
        while (hostsim_clock_now() < base + D0) {
            ck_assert_uint_eq(sched_current_domain(), 0);
            ck_assert_uint_eq(hostsim_current_thread(), 0);
            hostsim_clock_advance(hostsim_clock_deadline() - hostsim_clock_now());
        }
        ck_assert_uint_eq(hostsim_clock_now(), base + D0);
        ck_assert_uint_eq(sched_current_domain(), 1);
        /* domain 1: A runs on its budget (twice: 100 µs at the start and one refill later) */
        while (hostsim_clock_now() < base + D0 + D1) {
            uint64_t now = hostsim_clock_now(), cur = hostsim_current_thread();
            ck_assert_uint_eq(sched_current_domain(), 1);
            hostsim_clock_advance(hostsim_clock_deadline() - now);
            if (cur == handle_at(A)) {
                a_ran += hostsim_clock_now() - now;
            } else {
                ck_assert_uint_eq(cur, 0);
            }
        }
        ck_assert_uint_eq(hostsim_clock_now(), base + D0 + D1);
        ktest_check_invariants();
    }
    /* Only in domain 1's 1 ms per round, at most two budgets of 100 µs each time. */
    ck_assert_uint_gt(a_ran, 0);
    ck_assert_uint_le(a_ran, 4 * 2 * US(100));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("mcs_domains");
    TCase *tc = tcase_create("domains");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, test_default_schedule);
    tcase_add_test(tc, test_switch_at_boundaries);
    tcase_add_test(tc, test_idle_domain_and_release);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(suite()); }
