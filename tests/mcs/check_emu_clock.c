/* SPDX-License-Identifier: BSD-2-Clause */
/* The emulated EL0 drives the MCS clock (-Dmcs=true, hostsim): AArch64 code executed in the
 * emulator moves the kernel's 62.5 MHz virtual clock by a fixed number of instructions per tick
 * (hostsim_emu_set_clock_rate), and the kernel's one-shot deadline stops the engine at exactly
 * the instruction where the clock reaches it; so a spinning thread's budget ends at the same
 * instruction every run, budgets hold in simulated time, and Consumed reports that time. */
#include <stdio.h>
#include <stdlib.h>

#include "ktest.h"

#include <hal_port/machine.h>
#include <hostsim/emu.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/sporadic.h>

#define ROOT seL4_CapInitThreadCNode
#define ROOT_TCB seL4_CapInitThreadTCB
#define ROOT_VSPACE seL4_CapInitThreadVSpace

#define US(us) (mcs_us_to_ticks(us))
/* The spinners' code: `b .` on the root image's last page (RW, executable), shared by every
 * thread here (they all run in the root's VSpace). */
#define CODE_VA 0x40f000ull
#define INSN_B_SELF 0x14000000u
/* Instructions per kernel entry in these tests: 10 ticks at 16 per tick. */
#define ENTRY_COST 160u

static uint64_t E0;    /* first free root CNode slot */
static uint64_t SCTRL; /* the SchedControl cap */

static void setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
    SCTRL = hostsim_bootinfo()->schedcontrol.start;
    hostsim_emu_set_clock_rate(HOSTSIM_EMU_CLOCK_RATE_DEFAULT);
    hostsim_emu_set_entry_cost(ENTRY_COST);
    hostsim_emu_set_entry_jitter(0);
}

static void teardown(void)
{
    ktest_teardown();
    hostsim_emu_set_clock_rate(HOSTSIM_EMU_CLOCK_RATE_DEFAULT);
    hostsim_emu_set_entry_cost(HOSTSIM_EMU_ENTRY_COST_DEFAULT);
    hostsim_emu_set_entry_jitter(HOSTSIM_EMU_ENTRY_JITTER_DEFAULT);
}

static uint64_t handle_at(uint64_t slot)
{
    cte_t *slots = cnode_slots(ks.root_thread->ctes[TCB_CTABLE].cap);
    return cap_thread_cap_get_tcb(slots[slot].cap);
}

/* A thread in slot (IPC buffer frame in slot + 1) spinning at CODE_VA in the root's VSpace, at
 * priority prio, on an SC in sc_slot of budget and period (µs), bound and resumed. */
static void make_spinner(uint64_t slot, uint64_t prio, uint64_t sc_slot, uint64_t budget_us,
                         uint64_t period_us)
{
    ktest_retype_at(seL4_TCBObject, 0, slot);
    ktest_retype_at(seL4_ARM_SmallPageObject, 0, slot + 1);
    uint64_t mrs[3] = {0, 0, 0x10000};
    uint64_t caps[3] = {ROOT, ROOT_VSPACE, slot + 1};
    OK(ktest_call(slot, TCBConfigure, 3, mrs, 3, caps));
    uint64_t regs[4] = {0, 2, CODE_VA, 0x800000};
    OK(ktest_call(slot, TCBWriteRegisters, 4, regs, 0, NULL));
    uint64_t auth[1] = {ROOT_TCB};
    OK(ktest_call(slot, TCBSetPriority, 1, &prio, 1, auth));
    ktest_retype_at(seL4_SchedContextObject, 10, sc_slot);
    uint64_t cf[5] = {budget_us, period_us, 0, sc_slot, 0};
    uint64_t sc[1] = {sc_slot};
    OK(ktest_call(SCTRL, SchedControlConfigureFlags, 5, cf, 1, sc));
    uint64_t bind[1] = {slot};
    OK(ktest_call(sc_slot, SchedContextBind, 0, NULL, 1, bind));
    OK(ktest_call(slot, TCBResume, 0, NULL, 0, NULL));
}

static void root_steps_aside(void)
{
    uint64_t prio = 10, auth[1] = {ROOT_TCB};
    OK(ktest_call(ROOT_TCB, TCBSetPriority, 1, &prio, 1, auth));
}

static void place_spin_code(void)
{
    uint32_t code[1] = {INSN_B_SELF};
    ck_assert_int_eq(hostsim_emu_place_code(CODE_VA, code, 1), 0);
}

static uint64_t instructions(void)
{
    struct hostsim_emu_stats st;
    hostsim_emu_stats(&st);
    return st.instructions;
}

/* ---- the deadline stops the engine ----------------------------------------------------------- */

/* A thread of 100 µs every 1 ms spins: the engine executes exactly the instructions that bring the
 * clock to the kernel's deadline (16 per tick), takes the timer interrupt before the next one, and
 * the clock reads the deadline plus the entry's cost; the kernel then sends the thread to wait for
 * its refill. Runs from a fresh boot give the same instruction every time. */
START_TEST(test_deadline_stops_engine)
{
    uint64_t A = E0, SA = E0 + 2;
    place_spin_code();
    make_spinner(A, 200, SA, 100, 1000);
    root_steps_aside();
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    ktest_check_invariants();

    uint64_t now = hostsim_clock_now(), deadline = hostsim_clock_deadline();
    ck_assert_uint_gt(deadline, now);
    ck_assert_uint_le(deadline - now, US(100)); /* A's budget ends there (or earlier) */
    uint64_t before = instructions();
    struct hostsim_emu_step step;
    enum hostsim_status st = hostsim_emu_step_current(UINT64_MAX, &step);
    ck_assert_int_ne(st, HOSTSIM_HALTED);
    ck_assert_int_eq(step.kind, HOSTSIM_EMU_INTERRUPT);
    ck_assert_uint_eq(step.detail, HAL_TIMER_IRQ);
    ck_assert_uint_eq(step.pc, CODE_VA); /* preempted inside its loop */
    ck_assert_uint_eq(instructions() - before, (deadline - now) * HOSTSIM_EMU_CLOCK_RATE_DEFAULT);
    ck_assert_uint_eq(hostsim_clock_now(), deadline + ENTRY_COST / HOSTSIM_EMU_CLOCK_RATE_DEFAULT);
    ck_assert_uint_ne(hostsim_current_thread(), handle_at(A)); /* out of budget: it waits */
    ktest_check_invariants();

    /* A fresh machine, the same program: the same instruction. */
    uint64_t first = instructions() - before;
    teardown();
    setup();
    place_spin_code();
    make_spinner(A, 200, SA, 100, 1000);
    root_steps_aside();
    before = instructions();
    ck_assert_int_ne(hostsim_emu_step_current(UINT64_MAX, &step), HOSTSIM_HALTED);
    ck_assert_int_eq(step.kind, HOSTSIM_EMU_INTERRUPT);
    ck_assert_uint_eq(instructions() - before, first);
}
END_TEST

/* The rate is configurable: at 4 instructions per tick the same budget takes a quarter of the
 * instructions; and an instruction limit (hostsim_emu_step_current's) below the deadline stops the
 * engine there, moving the clock by whole ticks and carrying the rest to the next run. */
START_TEST(test_rate_and_remainder)
{
    uint64_t A = E0, SA = E0 + 2;
    hostsim_emu_set_clock_rate(4);
    ck_assert_uint_eq(hostsim_emu_clock_rate(), 4);
    hostsim_emu_set_entry_cost(0);
    place_spin_code();
    make_spinner(A, 200, SA, 100, 1000);
    root_steps_aside();
    uint64_t now = hostsim_clock_now(), deadline = hostsim_clock_deadline();
    struct hostsim_emu_step step;
    uint64_t before = instructions();
    /* 10 instructions: 2 ticks and half of the third (a spurious timer interrupt: the kernel
     * finds nothing due and carries on with A) */
    ck_assert_int_ne(hostsim_emu_step_current(10, &step), HOSTSIM_HALTED);
    ck_assert_uint_eq(instructions() - before, 10);
    ck_assert_uint_eq(hostsim_clock_now(), now + 2);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    ck_assert_uint_eq(hostsim_clock_deadline(), deadline); /* the same budget end */
    /* the rest: the remainder of 2 instructions counts towards the next tick */
    ck_assert_int_ne(hostsim_emu_step_current(UINT64_MAX, &step), HOSTSIM_HALTED);
    ck_assert_uint_eq(instructions() - before, (deadline - now) * 4);
    ck_assert_uint_eq(hostsim_clock_now(), deadline);
    ck_assert_uint_ne(hostsim_current_thread(), handle_at(A));
    ktest_check_invariants();

    hostsim_emu_set_clock_rate(0); /* 0 counts as 1 */
    ck_assert_uint_eq(hostsim_emu_clock_rate(), 1);
}
END_TEST

/* ---- budgets in simulated time -----------------------------------------------------------------
 */

/* Emulated A (100 µs every 1 ms, priority 200) and B (round robin, priority 100) spin for 20 of
 * A's periods; every step is credited, in clock ticks, to the thread that ran it. A gets 10% to
 * within one kernel WCET per period (the timer's precision is 0 here); B gets the rest; Consumed,
 * as A's own call, reports A's simulated time. The second run from a fresh boot executes exactly
 * as many instructions. (1 instruction per tick: the same schedule in 1/16 of the instructions.) */
static uint64_t share_run(uint64_t spent[2])
{
    uint64_t A = E0, B = E0 + 2, SA = E0 + 4, SB = E0 + 5;
    hostsim_emu_set_clock_rate(1);
    place_spin_code();
    make_spinner(A, 200, SA, 100, 1000);
    make_spinner(B, 100, SB, 1000, 1000);
    root_steps_aside();
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    ktest_check_invariants();

    uint64_t start = hostsim_clock_now(), total = US(20 * 1000), before = instructions();
    spent[0] = spent[1] = 0;
    while (hostsim_clock_now() - start < total) {
        uint64_t cur = hostsim_current_thread(), now = hostsim_clock_now();
        ck_assert(cur == handle_at(A) || cur == handle_at(B)); /* nobody else, never idle */
        struct hostsim_emu_step step;
        ck_assert_int_ne(hostsim_emu_step_current(UINT64_MAX, &step), HOSTSIM_HALTED);
        ck_assert_int_eq(step.kind, HOSTSIM_EMU_INTERRUPT);
        spent[cur == handle_at(A) ? 0 : 1] += hostsim_clock_now() - now;
    }
    ktest_check_invariants();
    uint64_t elapsed = hostsim_clock_now() - start;
    ck_assert_uint_eq(spent[0] + spent[1], elapsed);
    uint64_t periods = elapsed / US(1000), slack = (periods + 1) * MCS_KERNEL_WCET_TICKS;
    ck_assert_msg(spent[0] + slack >= elapsed / 10 && spent[0] <= elapsed / 10 + slack,
                  "A ran %lu of %lu ticks", (unsigned long)spent[0], (unsigned long)elapsed);
    if (getenv("KTEST_VERBOSE") != NULL) {
        fprintf(stderr, "emulated budget: A %lu, B %lu of %lu ticks (A %.4f%%), %lu instructions\n",
                (unsigned long)spent[0], (unsigned long)spent[1], (unsigned long)elapsed,
                100.0 * (double)spent[0] / (double)elapsed,
                (unsigned long)(instructions() - before));
    }

    /* Consumed, as A's call once it runs again: its time so far, in µs, then from zero. */
    while (hostsim_current_thread() != handle_at(A)) {
        uint64_t now = hostsim_clock_now();
        struct hostsim_emu_step step;
        ck_assert_int_ne(hostsim_emu_step_current(UINT64_MAX, &step), HOSTSIM_HALTED);
        spent[1] += hostsim_clock_now() - now;
    }
    struct ktest_reply r =
        ktest_syscall_as_current(seL4_SysCall, SA, SchedContextConsumed, 0, NULL, 0, NULL);
    ck_assert_uint_eq(r.label, 0);
    ck_assert_uint_eq(r.length, 1);
    ck_assert_uint_ge(r.mr[0] + 1, mcs_ticks_to_us(spent[0]));
    ck_assert_uint_le(r.mr[0], mcs_ticks_to_us(spent[0] + slack));
    r = ktest_syscall_as_current(seL4_SysCall, SA, SchedContextConsumed, 0, NULL, 0, NULL);
    ck_assert_uint_eq(r.mr[0], 0);
    ktest_check_invariants();
    return instructions() - before;
}

START_TEST(test_budget_share_emulated)
{
    uint64_t spent[2], again[2];
    uint64_t n = share_run(spent);
    teardown();
    setup();
    ck_assert_uint_eq(share_run(again), n);
    ck_assert_uint_eq(again[0], spent[0]);
    ck_assert_uint_eq(again[1], spent[1]);
}
END_TEST

/* ---- the idle skip and the engine ------------------------------------------------------------ */

/* A alone: out of budget it waits, the idle kernel skips the clock to its refill (the clock moved
 * without the engine), and A's next turn again ends exactly at its next budget end. */
START_TEST(test_engine_after_idle_skip)
{
    uint64_t A = E0, SA = E0 + 2;
    hostsim_emu_set_entry_cost(0);
    place_spin_code();
    make_spinner(A, 255, SA, 100, 1000);
    ck_assert_int_eq(ktest_call(ROOT_TCB, TCBSuspend, 0, NULL, 0, NULL).status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    struct hostsim_emu_step step;
    uint64_t release = hostsim_clock_now() + US(1000);
    ck_assert_int_ne(hostsim_emu_step_current(UINT64_MAX, &step), HOSTSIM_HALTED);
    ck_assert_uint_eq(hostsim_current_thread(), 0); /* idle: A waits for its refill */
    for (int i = 0; i < 10 && hostsim_current_thread() == 0; i++) {
        ck_assert(hostsim_clock_skip_to_release());
        hostsim_tick(1);
    }
    ck_assert_uint_eq(hostsim_current_thread(), handle_at(A));
    ck_assert_uint_eq(hostsim_clock_now(), release);
    uint64_t now = hostsim_clock_now(), deadline = hostsim_clock_deadline(),
             before = instructions();
    ck_assert_uint_eq(deadline - now, US(100));
    ck_assert_int_ne(hostsim_emu_step_current(UINT64_MAX, &step), HOSTSIM_HALTED);
    ck_assert_uint_eq(instructions() - before, US(100) * HOSTSIM_EMU_CLOCK_RATE_DEFAULT);
    ck_assert_uint_eq(hostsim_clock_now(), deadline);
    ktest_check_invariants();
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("emu_clock");
    TCase *tc = tcase_create("deadline");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_deadline_stops_engine);
    tcase_add_test(tc, test_rate_and_remainder);
    tcase_add_test(tc, test_engine_after_idle_skip);
    suite_add_tcase(s, tc);

    tc = tcase_create("budgets");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_budget_share_emulated);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(suite()); }
