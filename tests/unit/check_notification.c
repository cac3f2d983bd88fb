/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications: Signal ORs badges, Wait and Poll write only x0, FIFO waiters, Call gets an empty
 * reply, rights and binding rules, and a bound notification waking a thread in endpoint Recv. */
#include "puppets.h"

static uint64_t nt; /* a notification with all rights */

static void setup(void)
{
    puppet_setup();
    nt = retype_obj(seL4_NotificationObject, 0);
}

static TCase *tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

static struct ktest_reply root_signal(int64_t sysno, uint64_t cptr)
{
    return ktest_syscall(sysno, cptr, 0, 0, NULL, 0, NULL);
}

/* Root Poll / Wait on cptr with sentinels in x1..x6; returns x0 and checks nothing else changed. */
static uint64_t root_recv(int64_t sysno, uint64_t cptr)
{
#ifdef CONFIG_KERNEL_MCS /* x6: the reply object (kept) */
    uint64_t x6 = reply_of(seL4_CapInitThreadTCB);
#else
    uint64_t x6 = SENT(6);
#endif
    uint64_t regs[8] = {cptr, SENT(1), SENT(2), SENT(3), SENT(4), SENT(5), x6, (uint64_t)sysno};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    for (int i = 1; i < 6; i++) {
        ck_assert_uint_eq(regs[i], SENT(i));
    }
    ck_assert_uint_eq(regs[6], x6);
    return regs[0];
}

START_TEST(test_signal_then_poll_ors_badges)
{
    uint64_t b1 = mint(nt, seL4_AllRights, 0x1), b4 = mint(nt, seL4_AllRights, 0x4);
    ck_assert_uint_eq(root_recv(seL4_SysNBRecv, nt), 0); /* nothing pending */
    ck_assert_int_eq(root_signal(seL4_SysSend, b1).status, HOSTSIM_OK);
    ck_assert_int_eq(root_signal(seL4_SysNBSend, b4).status, HOSTSIM_OK);
    ck_assert_uint_eq(root_recv(seL4_SysNBRecv, nt), 0x5);
    ck_assert_uint_eq(root_recv(seL4_SysNBRecv, nt), 0); /* the word was cleared */
    ck_assert_int_eq(root_signal(seL4_SysSend, b4).status, HOSTSIM_OK);
    ck_assert_uint_eq(root_recv(seL4_SysRecv, nt),
                      0x4); /* Wait with a pending word returns at once */
}
END_TEST

START_TEST(test_call_on_notification_empty_reply)
{
    uint64_t b2 = mint(nt, seL4_AllRights, 0x2);
    uint64_t regs[8] = {b2,      info_of(3, 0, 2), SENT(2), SENT(3),
                        SENT(4), SENT(5),          SENT(6), (uint64_t)seL4_SysCall};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_OK);
    ck_assert_uint_eq(regs[0], 0);
    ck_assert_uint_eq(regs[1], 0); /* label 0, length 0 */
    ck_assert_uint_eq(regs[2], SENT(2));
    ck_assert_uint_eq(root_recv(seL4_SysNBRecv, nt), 0x2);
}
END_TEST

START_TEST(test_wait_blocks_and_signal_wakes_fifo)
{
    uint64_t b8 = mint(nt, seL4_AllRights, 0x8), b3 = mint(nt, seL4_AllRights, 0x3);
    uint64_t w[2];
    for (int i = 0; i < 2; i++) {
        w[i] = make_thread(200 - i, 0, true);
    }
    for (int i = 0; i < 2; i++) {
        resume(w[i]);
        uint64_t regs[8];
        fill_msg(regs, w[i], 0, 0);
        ck_assert_int_eq(sys_as(w[i], seL4_SysRecv, nt, SENT(1), regs), HOSTSIM_BLOCKED);
        ck_assert_uint_eq(state_of(w[i]), ThreadState_BlockedOnNotification);
    }
    ck_assert_int_eq(root_signal(seL4_SysSend, b8).status, HOSTSIM_OK);
    ck_assert_uint_eq(state_of(w[0]), ThreadState_Running); /* the first waiter */
    ck_assert_uint_eq(state_of(w[1]), ThreadState_BlockedOnNotification);
    ck_assert_uint_eq(reg_of(w[0], REG_X0), 0x8);
    ck_assert_uint_eq(reg_of(w[0], REG_X1), SENT(1)); /* only x0 is written */
    ck_assert_uint_eq(reg_of(w[0], REG_X2), SENT(2));
    /* w[0] (current) signals w[1]. */
    uint64_t regs[8];
    fill_msg(regs, w[0], 0, 0);
    ck_assert_int_eq(sys_as(w[0], seL4_SysSend, b3, 0, regs), HOSTSIM_OK);
    ck_assert_uint_eq(state_of(w[1]), ThreadState_Running);
    ck_assert_uint_eq(reg_of(w[1], REG_X0), 0x3);
}
END_TEST

START_TEST(test_rights)
{
    uint64_t ro = mint(nt, seL4_CanRead, 0), wo = mint(nt, seL4_CanWrite, 0);
    /* Signal without Write: InvalidCapability(0) for a Call. */
    ERR(ktest_call(ro, 0, 0, NULL, 0, NULL), seL4_InvalidCapability, 1);
    /* Wait without Read: a receive-phase cap fault; the root has no handler, so it stops. */
    uint64_t regs[8] = {wo, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysNBRecv};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_STOPPED);
}
END_TEST

START_TEST(test_bound_notification_wakes_recv)
{
    uint64_t ep = retype_obj(seL4_EndpointObject, 0);
    uint64_t b6 = mint(nt, seL4_AllRights, 0x6);
    uint64_t a = make_thread(200, 0, true);
    OK(ktest_call(a, TCBBindNotification, 0, NULL, 1, &nt));
    resume(a);
    uint64_t regs[8];
    fill_msg(regs, a, 0, 0);
    ck_assert_int_eq(sys_as(a, seL4_SysRecv, ep, SENT(1), regs), HOSTSIM_BLOCKED);
    ck_assert_uint_eq(state_of(a), ThreadState_BlockedOnReceive);
    ck_assert_int_eq(root_signal(seL4_SysSend, b6).status, HOSTSIM_OK);
    ck_assert_uint_eq(state_of(a), ThreadState_Running);
    ck_assert_uint_eq(reg_of(a, REG_X0), 0x6);
    ck_assert_uint_eq(reg_of(a, REG_X1), SENT(1)); /* only x0 */
    endpoint_t *e = PTOV(endpoint_t, cap_endpoint_cap_get_ptr(root_slot(ep)->cap));
    ck_assert_uint_eq(endpoint_get_state(*e), 0); /* a left the endpoint queue */
    /* A pending bound signal is taken by the next endpoint Recv at once. */
    ck_assert_int_eq(sys_as(a, seL4_SysRecv, ep, SENT(1), regs), HOSTSIM_BLOCKED);
    ck_assert_int_eq(root_signal(seL4_SysSend, b6).status, HOSTSIM_OK);
    ck_assert_uint_eq(state_of(a), ThreadState_Running);
}
END_TEST

START_TEST(test_bound_notification_pending_before_recv)
{
    uint64_t ep = retype_obj(seL4_EndpointObject, 0);
    uint64_t b6 = mint(nt, seL4_AllRights, 0x9);
    OK(ktest_call(seL4_CapInitThreadTCB, TCBBindNotification, 0, NULL, 1, &nt));
    ck_assert_int_eq(root_signal(seL4_SysSend, b6).status, HOSTSIM_OK);
    ck_assert_uint_eq(root_recv(seL4_SysRecv, ep), 0x9);
}
END_TEST

START_TEST(test_wait_on_notification_bound_elsewhere)
{
    uint64_t a = make_thread(200, 0, true);
    OK(ktest_call(a, TCBBindNotification, 0, NULL, 1, &nt));
    /* The root may not wait on a notification bound to another thread: cap fault, stopped. */
    uint64_t regs[8] = {nt, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysNBRecv};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_STOPPED);
}
END_TEST

START_TEST(test_delete_releases_waiters)
{
    uint64_t a = start_thread(200, 0, true);
    uint64_t regs[8];
    fill_msg(regs, a, 0, 0);
    ck_assert_int_eq(sys_as(a, seL4_SysRecv, nt, 0, regs), HOSTSIM_BLOCKED);
    OK(ktest_cnode_delete(ROOT, nt, 64));
    ck_assert(state_of(a) == ThreadState_Restart || state_of(a) == ThreadState_Running);
}
END_TEST

static Suite *notification_suite(void)
{
    Suite *s = suite_create("notification");
    TCase *tc = tcase(s, "Signal_Poll_Wait");
    tcase_add_test(tc, test_signal_then_poll_ors_badges);
    tcase_add_test(tc, test_call_on_notification_empty_reply);
    tcase_add_test(tc, test_wait_blocks_and_signal_wakes_fifo);
    tcase_add_test(tc, test_rights);
    tcase_add_test(tc, test_delete_releases_waiters);
    tc = tcase(s, "bound");
    tcase_add_test(tc, test_bound_notification_wakes_recv);
    tcase_add_test(tc, test_bound_notification_pending_before_recv);
    tcase_add_test(tc, test_wait_on_notification_bound_elsewhere);
    return s;
}

int main(void) { return ktest_run(notification_suite()); }
