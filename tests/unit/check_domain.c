/* SPDX-License-Identifier: BSD-2-Clause */
/* DomainSet invocations (docs/abi.md#invocations, #invocation-semantics): DomainSet_Set,
 * ScheduleConfigure and ScheduleSetStart with every error and its words; with more than one domain
 * (-Dnum_domains=4), threads run only in the current domain. */
#include "threads_support.h"

#define DOMAIN seL4_CapDomain

static void setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
}

static struct ktest_reply domain_set(uint64_t dom, uint64_t tcb)
{
    uint64_t caps[1] = {tcb};
    return ktest_call(DOMAIN, DomainSetSet, 1, &dom, 1, caps);
}

static struct ktest_reply schedule_configure(uint64_t index, uint64_t dom, uint64_t duration)
{
    uint64_t mrs[3] = {index, dom, duration};
    return ktest_call(DOMAIN, DomainScheduleConfigure, 3, mrs, 0, NULL);
}

static struct ktest_reply schedule_set_start(uint64_t index)
{
    return ktest_call(DOMAIN, DomainScheduleSetStart, 1, &index, 0, NULL);
}

static void assert_invalid_argument(struct ktest_reply r, uint64_t arg)
{
    ERR(r, seL4_InvalidArgument, 1);
    ck_assert_uint_eq(r.mr[0], arg);
}

static void assert_range(struct ktest_reply r, uint64_t lo, uint64_t hi)
{
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[0], lo);
    ck_assert_uint_eq(r.mr[1], hi);
}

/* ---- decode_domain_invocation ---- */

START_TEST(test_unknown_labels)
{
    uint64_t mrs[3] = {0, 0, 1};
    ERR(ktest_call(DOMAIN, DomainScheduleSetStart + 1, 3, mrs, 0, NULL), seL4_IllegalOperation, 0);
    ERR(ktest_call(DOMAIN, TCBSuspend, 3, mrs, 0, NULL), seL4_IllegalOperation, 0);
}
END_TEST

/* ---- DomainSet_Set ---- */

START_TEST(test_domain_set)
{
    make_thread(E0, 0);
    uint64_t dom = 0;
    ERR(ktest_call(DOMAIN, DomainSetSet, 0, &dom, 1, (uint64_t[]){E0}), seL4_TruncatedMessage, 0);
    /* The domain is checked before the cap is looked at. */
    assert_invalid_argument(
        ktest_call(DOMAIN, DomainSetSet, 1, (uint64_t[]){CONFIG_NUM_DOMAINS}, 0, NULL), 0);
    assert_invalid_argument(domain_set(CONFIG_NUM_DOMAINS, E0), 0);
    assert_invalid_argument(domain_set(0x100, E0), 0); /* the whole word, not its low byte */
    ERR(ktest_call(DOMAIN, DomainSetSet, 1, &dom, 0, NULL), seL4_TruncatedMessage, 0);
    assert_invalid_argument(domain_set(0, ROOT), 1);
    assert_invalid_argument(domain_set(0, E0 + 40), 1); /* empty slot */
    OK(domain_set(0, E0));
    OK(domain_set(CONFIG_NUM_DOMAINS - 1, E0));
    ck_assert_uint_eq(tcb_at(E0)->domain, CONFIG_NUM_DOMAINS - 1);
    OK(domain_set(0, ROOT_TCB));
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
}
END_TEST

/* ---- DomainSet_ScheduleConfigure ---- */

START_TEST(test_schedule_configure)
{
    ERR(ktest_call(DOMAIN, DomainScheduleConfigure, 2, (uint64_t[]){0, 0, 5}, 0, NULL),
        seL4_TruncatedMessage, 0);
    /* Only entries 0 .. CONFIG_NUM_DOMAIN_SCHEDULES - 2: the last one stays an end marker. */
    assert_range(schedule_configure(CONFIG_NUM_DOMAIN_SCHEDULES - 1, 0, 5), 0,
                 CONFIG_NUM_DOMAIN_SCHEDULES - 2);
    assert_range(schedule_configure(~0ull, 0, 5), 0, CONFIG_NUM_DOMAIN_SCHEDULES - 2);
    assert_range(schedule_configure(0, CONFIG_NUM_DOMAINS, 5), 0, CONFIG_NUM_DOMAINS - 1);
    assert_invalid_argument(schedule_configure(0, 0, 1ull << 56), 2);
    /* The start entry cannot become an end marker. */
    assert_invalid_argument(schedule_configure(0, 0, 0), 2);
    OK(schedule_configure(0, 0, (1ull << 56) - 1));
    OK(schedule_configure(0, 0, 10));
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
#if CONFIG_NUM_DOMAINS > 1
    assert_invalid_argument(schedule_configure(0, 1, 0), 1); /* end markers are domain 0 */
#endif
#if CONFIG_NUM_DOMAIN_SCHEDULES > 2
    OK(schedule_configure(1, 0, 0)); /* an end marker elsewhere is fine */
#endif
}
END_TEST

/* ---- DomainSet_ScheduleSetStart ---- */

START_TEST(test_schedule_set_start)
{
    ERR(ktest_call(DOMAIN, DomainScheduleSetStart, 0, (uint64_t[]){0}, 0, NULL),
        seL4_TruncatedMessage, 0);
    assert_range(schedule_set_start(CONFIG_NUM_DOMAIN_SCHEDULES), 0,
                 CONFIG_NUM_DOMAIN_SCHEDULES - 1);
    assert_invalid_argument(schedule_set_start(CONFIG_NUM_DOMAIN_SCHEDULES - 1),
                            0); /* an end marker */
    OK(schedule_set_start(0));
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    ck_assert_uint_eq(sched_current_domain(), 0);
    ck_assert_uint_ne(sched_domain_time(), 0);
}
END_TEST

/* Under MCS a thread runs only on a scheduling context and a schedule entry counts timer ticks:
 * tests/mcs/check_mcs_domains.c tests domains there; these cases are the base configuration's. */
#if CONFIG_NUM_DOMAINS > 1 && !defined(CONFIG_KERNEL_MCS)
/* ---- more than one domain: threads run only in the current domain ---- */

START_TEST(test_domains_isolate)
{
    uint64_t A = E0;
    make_thread(A, 255);
    OK(domain_set(1, A));
    OK(resume(A)); /* domain 1 while domain 0 runs: queued, never chosen */
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());
    yield_current();
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread());

    /* The schedule becomes "domain 1 for 3 ticks" from now on. */
    OK(schedule_configure(0, 1, 3));
    OK(schedule_set_start(0));
    ck_assert_uint_eq(sched_current_domain(), 1);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    timer_ticks(3);
    ck_assert_uint_eq(sched_current_domain(), 1); /* the only entry: domain 1 again */
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    /* A leaves domain 1: nothing runnable there, the idle thread runs. */
    ck_assert_int_eq(cur_call(A, TCBSuspend, 0, NULL, 0, NULL).status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(hostsim_current_thread(), 0);
}
END_TEST

/* seL4 gives a new TCB the domain that is running when it is made (createObject uses
 * ksCurDomain), not domain 0. */
START_TEST(test_new_thread_in_current_domain)
{
    uint64_t A = E0;
    make_thread(A, 255);
    ck_assert_uint_eq(tcb_at(A)->domain, 0); /* made while domain 0 runs */
    OK(domain_set(1, A));
    OK(resume(A));
    OK(schedule_configure(0, 1, 3));
    OK(schedule_set_start(0));
    ck_assert_uint_eq(sched_current_domain(), 1);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    /* A (sharing the root's CSpace) retypes a TCB into slot E0 + 2 while domain 1 runs. */
    uint64_t mrs[6] = {seL4_TCBObject, 0, 0, 0, E0 + 2, 1};
    OK(cur_call(ktest_untyped(16), UntypedRetype, 6, mrs, 1, (uint64_t[]){ROOT}));
    ck_assert_uint_eq(tcb_at(E0 + 2)->domain, 1);
}
END_TEST

START_TEST(test_domain_set_moves_current)
{
    uint64_t A = E0;
    make_thread(A, 10);
    OK(resume(A));
    OK(domain_set(1, ROOT_TCB)); /* the root leaves the running domain */
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
}
END_TEST
#endif

static Suite *domain_suite(void)
{
    Suite *s = suite_create("domain");
    TCase *tc = fixture_tcase(s, "decode_domain_invocation", setup);
    tcase_add_test(tc, test_unknown_labels);
    tc = fixture_tcase(s, "DomainSet_Set", setup);
    tcase_add_test(tc, test_domain_set);
    tc = fixture_tcase(s, "DomainSet_ScheduleConfigure", setup);
    tcase_add_test(tc, test_schedule_configure);
    tc = fixture_tcase(s, "DomainSet_ScheduleSetStart", setup);
    tcase_add_test(tc, test_schedule_set_start);
#if CONFIG_NUM_DOMAINS > 1 && !defined(CONFIG_KERNEL_MCS)
    tc = fixture_tcase(s, "sched_domains", setup);
    tcase_add_test(tc, test_domains_isolate);
    tcase_add_test(tc, test_domain_set_moves_current);
    tcase_add_test(tc, test_new_thread_in_current_domain);
#endif
    return s;
}

int main(void) { return ktest_run(domain_suite()); }
