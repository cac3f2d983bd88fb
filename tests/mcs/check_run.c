/* SPDX-License-Identifier: BSD-2-Clause */
/* MCS under hostsim's run loop (hal/hostsim/machine/run.c): a root task running as host code whose
 * scheduling context has used up its budget waits in the release queue; with nothing else to run
 * the loop moves the virtual clock to the kernel's next deadline (hostsim_clock_skip_to_release)
 * instead of ending the run, and the thread runs again at its refill's release. A thread that
 * waits for something time cannot bring still ends the run as a deadlock. */
#include <string.h>

#include <hostsim/user.h>
#include <kaal/abi/invocation_gen.h>
#include <kaal/invariants.h>
#include <kaal/kernel.h>
#include <kaal/mcs.h>

#include "ktest.h"

#define BUDGET_US 1000
#define PERIOD_US 10000
#define YIELDS 3

static seL4_BootInfo *bi; /* the root's bootinfo, at its user address */

static struct {
    uint64_t configure_label; /* SchedControl_ConfigureFlags' answer */
    unsigned yields_back;     /* yields the root came back from */
    uint64_t wait_label;      /* the notification retype's answer (deadlock case) */
} R;

/* One call through the trap: x0 = cptr, message words MR0..MR(n-1) (n <= 6: the four registers
 * and the IPC buffer), ncaps extra caps; returns the answer's label. */
static uint64_t u_call(uint64_t cptr, uint64_t label, unsigned n, const uint64_t *mrs,
                       unsigned ncaps, const uint64_t *caps)
{
    seL4_IPCBuffer *buf = bi->ipcBuffer;
    uint64_t r[8] = {0};
    r[0] = cptr;
    r[1] = seL4_MessageInfo_new(label, 0, ncaps, n).words[0];
    r[7] = (uint64_t)seL4_SysCall;
    for (unsigned i = 0; i < n; i++) {
        if (i < 4) {
            r[2 + i] = mrs[i];
        } else {
            buf->msg[i] = mrs[i];
        }
    }
    for (unsigned i = 0; i < ncaps; i++) {
        buf->caps_or_badges[i] = caps[i];
    }
    hostsim_user_trap(r);
    return seL4_MessageInfo_get_label((seL4_MessageInfo_t){{r[1]}});
}

/* The root makes its own SC sporadic (BUDGET_US every PERIOD_US) and yields YIELDS times: each
 * Yield charges the rest of its refill, so it waits for the next release with nothing else to
 * run. */
static void root_yields(seL4_BootInfo *boot)
{
    bi = boot;
    uint64_t mrs[5] = {BUDGET_US, PERIOD_US, 0, 0, 0};
    uint64_t caps[1] = {seL4_CapInitThreadSC};
    R.configure_label = u_call(bi->schedcontrol.start, SchedControlConfigureFlags, 5, mrs, 1, caps);
    for (unsigned i = 0; i < YIELDS; i++) {
        uint64_t r[8] = {0, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysYield};
        hostsim_user_trap(r);
        R.yields_back++;
    }
}

START_TEST(test_run_waits_for_release)
{
    memset(&R, 0, sizeof(R));
    ck_assert_uint_eq(hostsim_clock_now(), 0);
    ck_assert_int_eq(hostsim_run_root(root_yields), HOSTSIM_RUN_DONE);
    ck_assert_uint_eq(R.configure_label, seL4_NoError);
    ck_assert_uint_eq(R.yields_back, YIELDS);
    /* Host code does not move the clock: only the releases did, one period per Yield. */
    ck_assert_uint_eq(hostsim_clock_now(), YIELDS * mcs_us_to_ticks(PERIOD_US));
    ck_assert_uint_eq(hostsim_thread_state(hostsim_root_thread()), ThreadState_Inactive);
    char why[256];
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "invariants: %s", why);
}
END_TEST

/* The root waits on a notification nobody signals: no refill is pending, so time cannot help and
 * the run is a deadlock, as in the base configuration. */
static void root_waits_forever(seL4_BootInfo *boot)
{
    bi = boot;
    uint64_t ut = 0;
    for (uint64_t s = bi->untyped.start; s < bi->untyped.end && ut == 0; s++) {
        const seL4_UntypedDesc *d = &bi->untypedList[s - bi->untyped.start];
        if (!d->isDevice && d->sizeBits >= 12) {
            ut = s;
        }
    }
    uint64_t ntfn = bi->empty.start;
    uint64_t mrs[6] = {seL4_NotificationObject, 0, 0, 0, ntfn, 1};
    uint64_t caps[1] = {seL4_CapInitThreadCNode};
    R.wait_label = u_call(ut, UntypedRetype, 6, mrs, 1, caps);
    uint64_t r[8] = {ntfn, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysWait};
    hostsim_user_trap(r); /* never returns: the run ends here */
}

START_TEST(test_run_deadlock_without_release)
{
    memset(&R, 0, sizeof(R));
    hostsim_console_capture(true);
    enum hostsim_run_status st = hostsim_run_root(root_waits_forever);
    const char *out = hostsim_console_take();
    hostsim_console_capture(false);
    ck_assert_int_eq(st, HOSTSIM_RUN_DEADLOCK);
    ck_assert_uint_eq(R.wait_label, seL4_NoError);
    ck_assert_msg(strstr(out, "hostsim: deadlock") != NULL, "console: %s", out);
    ck_assert_uint_eq(hostsim_clock_now(), 0); /* nothing to wait for: the clock stayed */
    ck_assert_uint_eq(hostsim_thread_state(hostsim_root_thread()),
                      ThreadState_BlockedOnNotification);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("mcs_run");
    TCase *tc = tcase_create("run_loop");
    tcase_add_checked_fixture(tc, ktest_setup, ktest_teardown);
    tcase_add_test(tc, test_run_waits_for_release);
    tcase_add_test(tc, test_run_deadlock_without_release);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(suite()); }
