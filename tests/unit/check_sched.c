/* SPDX-License-Identifier: BSD-2-Clause */
/* The scheduler on the puppet harness: who runs after each step. Preemption by priority, equal
 * priorities behind the current thread, Yield and time-slice round robin, the idle thread,
 * priority changes of running threads, and the debug dump. */
#include "threads_support.h"

static void setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
}

static uint64_t root(void) { return hostsim_root_thread(); }
static uint64_t current(void) { return hostsim_current_thread(); }

/* ---- sched_possible_switch_to (through Resume) ---- */

START_TEST(test_higher_priority_preempts)
{
    make_thread(E0, 0);
    OK(set_priority(E0, ROOT_TCB, 255)); /* equal to the root: no preemption */
    OK(resume(E0));
    ck_assert_uint_eq(current(), root());
    OK(suspend(E0));

    /* Root at 200, the thread at 201: resuming it switches at once, the root waits ready. */
    OK(set_priority(ROOT_TCB, ROOT_TCB, 200));
    OK(set_priority(E0, ROOT_TCB, 201));
    struct ktest_reply r = resume(E0);
    ck_assert_int_eq(r.status, HOSTSIM_OK); /* the root's call completed before the switch */
    ck_assert_uint_eq(r.label, 0);
    ck_assert_uint_eq(current(), handle_at(E0));
    ck_assert_uint_eq(hostsim_thread_state(handle_at(E0)), ThreadState_Running);
    ck_assert_uint_eq(hostsim_thread_state(root()), ThreadState_Running);
    ck_assert(ks.root_thread->sched_queued);
    /* The thread started at its pc (Restart: NextIP := FaultIP). */
    uint64_t regs[37];
    hostsim_thread_regs(handle_at(E0), regs);
    ck_assert_uint_eq(regs[32], 0x400000 + 0x1000 * E0);

    /* Acting as the thread: it suspends itself, and the root runs again. */
    r = cur_call(E0, TCBSuspend, 0, NULL, 0, NULL);
    ck_assert_int_eq(r.status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), root());
    ck_assert(!ks.root_thread->sched_queued);
}
END_TEST

START_TEST(test_lower_priority_waits)
{
    make_thread(E0, 10);
    OK(resume(E0));
    ck_assert_uint_eq(current(), root());
    ck_assert(tcb_at(E0)->sched_queued);
    /* The root lowers itself below the thread: the thread runs at the exit. */
    OK(set_priority(ROOT_TCB, ROOT_TCB, 5));
    ck_assert_uint_eq(current(), handle_at(E0));
    /* The thread raises the root (its authority is the root's TCB, MCP 255) back over itself. */
    uint64_t caps[1] = {ROOT_TCB};
    uint64_t prio = 11;
    ktest_assert_ok(cur_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, caps));
    ck_assert_uint_eq(current(), root());
}
END_TEST

START_TEST(test_idle_when_nothing_runs)
{
    make_thread(E0, 100);
    OK(resume(E0));
    struct ktest_reply r = suspend(ROOT_TCB);
    ck_assert_int_eq(r.status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), handle_at(E0));
    r = cur_call(E0, TCBSuspend, 0, NULL, 0, NULL);
    ck_assert_int_eq(r.status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), 0);
    ck_assert(ks.cur_thread == sched_idle_thread());
    uint64_t regs[8] = {0};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_IDLE);
}
END_TEST

/* ---- sched_handle_yield ---- */

START_TEST(test_yield_round_robin)
{
    /* Three threads at 255 with the root: each Yield passes to the next in the queue. */
    uint64_t A = E0, B = E0 + 2, C = E0 + 4;
    make_thread(A, 255);
    make_thread(B, 255);
    make_thread(C, 255);
    OK(resume(A));
    OK(resume(B));
    OK(resume(C));
    ck_assert_uint_eq(current(), root());
    /* Resume queues each at the head of its priority (seL4 restart), behind the running root. */
    uint64_t order[] = {handle_at(C), handle_at(B), handle_at(A), root(), handle_at(C), handle_at(B)};
    for (unsigned i = 0; i < ARRAY_SIZE(order); i++) {
        yield_current();
        ck_assert_msg(current() == order[i], "step %u", i);
    }
}
END_TEST

START_TEST(test_yield_alone)
{
    yield_current();
    ck_assert_uint_eq(current(), root());
    make_thread(E0, 254); /* lower: never chosen while the root yields */
    OK(resume(E0));
    yield_current();
    ck_assert_uint_eq(current(), root());
}
END_TEST

/* ---- sched_timer_tick ---- */

START_TEST(test_time_slice_round_robin)
{
    uint64_t A = E0;
    make_thread(A, 255);
    OK(resume(A));
    ck_assert_uint_eq(current(), root());
    timer_ticks(CONFIG_TIME_SLICE - 1);
    ck_assert_uint_eq(current(), root());
    timer_ticks(1);
    ck_assert_uint_eq(current(), handle_at(A));
    ck_assert_uint_eq(ks.root_thread->time_slice, CONFIG_TIME_SLICE); /* refilled */
    timer_ticks(CONFIG_TIME_SLICE);
    ck_assert_uint_eq(current(), root());
    /* A higher-priority thread is never sliced away for a lower one. */
    OK(set_priority(A, ROOT_TCB, 100));
    timer_ticks(3 * CONFIG_TIME_SLICE);
    ck_assert_uint_eq(current(), root());
}
END_TEST

START_TEST(test_tick_while_idle)
{
    OK(set_priority(ROOT_TCB, ROOT_TCB, 255));
    ck_assert_int_eq(suspend(ROOT_TCB).status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), 0);
    timer_ticks(2 * CONFIG_TIME_SLICE);
    ck_assert_uint_eq(current(), 0);
}
END_TEST

/* ---- sched_set_priority ---- */

START_TEST(test_set_priority_of_queued_thread)
{
    uint64_t A = E0, B = E0 + 2;
    make_thread(A, 50);
    make_thread(B, 60);
    OK(resume(A));
    OK(resume(B));
    OK(set_priority(A, ROOT_TCB, 70)); /* requeued at 70, above B */
    OK(set_priority(ROOT_TCB, ROOT_TCB, 0));
    ck_assert_uint_eq(current(), handle_at(A));
    ck_assert_int_eq(cur_call(A, TCBSuspend, 0, NULL, 0, NULL).status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(current(), handle_at(B));
}
END_TEST

/* ---- sched_debug_dump ---- */

START_TEST(test_debug_dump)
{
    make_thread(E0, 7);
    OK(resume(E0));
    hostsim_console_capture(true);
    sched_debug_dump();
    const char *out = hostsim_console_take();
    hostsim_console_capture(false);
    ck_assert_msg(strstr(out, "rootserver") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "(unnamed)") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "idle") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "queued") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "current") != NULL, "%s", out);
    /* A deleted TCB leaves the list. */
    OK(ktest_cnode_delete(ROOT, E0, 64));
    hostsim_console_capture(true);
    sched_debug_dump();
    out = hostsim_console_take();
    hostsim_console_capture(false);
    ck_assert_msg(strstr(out, "(unnamed)") == NULL, "%s", out);
}
END_TEST

/* ---- deletion of a ready thread ---- */

START_TEST(test_delete_ready_thread)
{
    make_thread(E0, 255);
    OK(resume(E0));
    ck_assert(tcb_at(E0)->sched_queued);
    struct tcb *t = tcb_at(E0);
    OK(ktest_cnode_delete(ROOT, E0, 64));
    ck_assert(!t->sched_queued);
    yield_current();
    ck_assert_uint_eq(current(), root());
}
END_TEST

static Suite *sched_suite(void)
{
    Suite *s = suite_create("sched");
    TCase *tc = fixture_tcase(s, "sched_possible_switch_to", setup);
    tcase_add_test(tc, test_higher_priority_preempts);
    tcase_add_test(tc, test_lower_priority_waits);
    tcase_add_test(tc, test_idle_when_nothing_runs);
    tc = fixture_tcase(s, "sched_handle_yield", setup);
    tcase_add_test(tc, test_yield_round_robin);
    tcase_add_test(tc, test_yield_alone);
    tc = fixture_tcase(s, "sched_timer_tick", setup);
    tcase_add_test(tc, test_time_slice_round_robin);
    tcase_add_test(tc, test_tick_while_idle);
    tc = fixture_tcase(s, "sched_set_priority", setup);
    tcase_add_test(tc, test_set_priority_of_queued_thread);
    tc = fixture_tcase(s, "sched_debug_dump", setup);
    tcase_add_test(tc, test_debug_dump);
    tc = fixture_tcase(s, "sched_tcb_destroyed", setup);
    tcase_add_test(tc, test_delete_ready_thread);
    return s;
}

int main(void) { return ktest_run(sched_suite()); }
