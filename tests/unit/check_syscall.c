/* SPDX-License-Identifier: BSD-2-Clause */
/* The system-call layer: where kernel replies are written, and the root thread's lifetime. */
#include "threads_support.h"

#include <kaal/invariants.h>

/* Make the root thread's IPC buffer a read-only mapping of its own IPC buffer frame. */
static void root_buffer_read_only(void)
{
    uint64_t ro = E0;
    OK(ktest_cnode_mint(ROOT, ro, 64, ROOT, seL4_CapInitThreadIPCBuffer, 64, seL4_CanRead, 0));
    uint64_t mrs[1] = {hostsim_bootinfo()->ipcBuffer ? (uint64_t)(uintptr_t)hostsim_bootinfo()->ipcBuffer : 0};
    uint64_t caps[1] = {ro};
    OK(ktest_call(ROOT_TCB, TCBSetIPCBuffer, 1, mrs, 1, caps));
}

START_TEST(test_error_reply_stops_at_registers_without_writable_buffer)
{
    /* A GuardMismatch FailedLookup has five words; the fifth lives in the IPC buffer. */
    uint64_t bad_src = 1ull << 40;
    struct ktest_reply r = ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, bad_src, 64, seL4_AllRights);
    ktest_assert_error(r, seL4_FailedLookup, 5);
    /* MR4 held the rights argument (AllRights); the reply overwrote it with bitsFound = guard size. */
    ck_assert_uint_eq(r.mr[4], 64 - hostsim_bootinfo()->initThreadCNodeSizeBits);

    root_buffer_read_only();
    r = ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, bad_src, 64, seL4_AllRights);
    /* seL4 writes kernel replies through a writable view of the buffer only: the reply stops at
     * the four register MRs and the read-only buffer keeps the argument the caller put there. */
    ktest_assert_error(r, seL4_FailedLookup, 4);
    ck_assert_uint_eq(r.mr[1], seL4_GuardMismatch);
    ck_assert_uint_eq(hostsim_root_ipc_buffer()->msg[4], seL4_AllRights);
}
END_TEST

START_TEST(test_result_words_stop_at_registers_without_writable_buffer)
{
    /* ReadRegisters of another thread returns 36 words; with a read-only buffer only 4 arrive. */
    uint64_t t = E0 + 2;
    retype_into(seL4_TCBObject, 0, t);
    uint64_t mrs[2] = {0, 36};
    struct ktest_reply r = ktest_call(t, TCBReadRegisters, 2, mrs, 0, NULL);
    ktest_assert_ok(r);
    ck_assert_uint_eq(r.length, 36);
    root_buffer_read_only();
    r = ktest_call(t, TCBReadRegisters, 2, mrs, 0, NULL);
    ktest_assert_ok(r);
    ck_assert_uint_eq(r.length, 4);
}
END_TEST

START_TEST(test_root_deleting_its_own_tcb)
{
    /* The root thread deletes the only cap to its own TCB: it is finalised (suspended), the kernel
     * forgets it, and nothing dangles. */
    struct ktest_reply r = ktest_cnode_delete(ROOT, ROOT_TCB, 64);
    ck_assert_int_ne(r.status, HOSTSIM_HALTED);
    ck_assert_uint_eq(hostsim_root_thread(), 0);
    ck_assert_uint_eq(hostsim_current_thread(), 0); /* nothing left to run */
    uint64_t regs[8] = {0, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysYield};
    ck_assert_int_eq(hostsim_root_syscall(regs, NULL), HOSTSIM_HALTED);
    char why[256];
    ck_assert_msg(kernel_invariants_hold(why, sizeof(why)), "%s", why);
}
END_TEST

static void setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
}

static Suite *syscall_suite(void)
{
    Suite *s = suite_create("syscall");
    TCase *tc = tcase_create("reply_from_kernel");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, test_error_reply_stops_at_registers_without_writable_buffer);
    tcase_add_test(tc, test_result_words_stop_at_registers_without_writable_buffer);
    suite_add_tcase(s, tc);
    tc = tcase_create("root_thread");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, test_root_deleting_its_own_tcb);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(syscall_suite()); }
