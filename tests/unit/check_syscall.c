/* SPDX-License-Identifier: BSD-2-Clause */
/* The system-call layer: where kernel replies are written, and the root thread's lifetime. */
#include "threads_support.h"

#include <stdio.h>

#include <kaal/invariants.h>

/* Make the root thread's IPC buffer a read-only mapping of its own IPC buffer frame. */
static void root_buffer_read_only(void)
{
    uint64_t ro = E0;
    OK(ktest_cnode_mint(ROOT, ro, 64, ROOT, seL4_CapInitThreadIPCBuffer, 64, seL4_CanRead, 0));
    uint64_t mrs[1] = {
        hostsim_bootinfo()->ipcBuffer ? (uint64_t)(uintptr_t)hostsim_bootinfo()->ipcBuffer : 0};
    uint64_t caps[1] = {ro};
    OK(ktest_call(ROOT_TCB, TCBSetIPCBuffer, 1, mrs, 1, caps));
}

START_TEST(test_error_reply_stops_at_registers_without_writable_buffer)
{
    /* A GuardMismatch FailedLookup has five words; the fifth lives in the IPC buffer. */
    uint64_t bad_src = 1ull << 40;
    struct ktest_reply r = ktest_cnode_copy(ROOT, E0 + 1, 64, ROOT, bad_src, 64, seL4_AllRights);
    ktest_assert_error(r, seL4_FailedLookup, 5);
    /* MR4 held the rights argument (AllRights); the reply overwrote it with bitsFound = guard size.
     */
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

START_TEST(test_debug_snapshot_dumps_cspaces_and_derivation)
{
    /* An endpoint, a badged child of it, and a CNode holding a copy of the endpoint cap. */
    uint64_t ep = E0, badged = E0 + 1, cnode = E0 + 2;
    retype_into(seL4_EndpointObject, 0, ep);
    OK(ktest_cnode_mint(ROOT, badged, 64, ROOT, ep, 64, seL4_AllRights, 0x77));
    retype_into(seL4_CapTableObject, 4, cnode);
    OK(ktest_cnode_copy(cnode, 3, 4, ROOT, ep, 64, seL4_AllRights));

    hostsim_console_capture(true);
    struct ktest_reply r = ktest_syscall(seL4_SysDebugSnapshot, 0x1234, 0x5678, 0, NULL, 0, NULL);
    const char *out = hostsim_console_take();
    hostsim_console_capture(false);
    ck_assert_int_eq(r.status, HOSTSIM_OK);

    char want[256];
    ck_assert_msg(strstr(out, "KaaL snapshot: CNode") && strstr(out, "of thread \"rootserver\""),
                  "%s", out);
    /* The badged cap's line names its slot and its parent: the original endpoint cap's slot. */
    snprintf(want, sizeof(want),
             "  0x%04llx: endpoint obj 0x%llx badge 0x77 rights RWGP at 0x%llx parent 0x%llx\n",
             (unsigned long long)badged,
             (unsigned long long)cap_endpoint_cap_get_ptr(root_slot(ep)->cap),
             (unsigned long long)VTOP(root_slot(badged)), (unsigned long long)VTOP(root_slot(ep)));
    ck_assert_msg(strstr(out, want) != NULL, "missing line\n%s\nin\n%.2000s", want, out);
    /* The nested CNode is printed once, with the copy in its slot 3 (a child of the original). */
    snprintf(want, sizeof(want), "KaaL snapshot: CNode 0x%llx (16 slots)",
             (unsigned long long)cap_cnode_cap_get_ptr(root_slot(cnode)->cap));
    const char *nested = strstr(out, want);
    ck_assert_msg(nested != NULL, "nested CNode not printed:\n%.3000s", out);
    ck_assert_ptr_null(strstr(nested + 1, want));
    ck_assert_ptr_nonnull(strstr(nested, "  0x0003: endpoint"));
    ck_assert_ptr_nonnull(strstr(out, "KaaL snapshot: end\n"));
    /* DebugSnapshot changes no register. */
    ck_assert_uint_eq(r.badge, 0x1234);
    ck_assert_uint_eq(r.length, 0x5678 & 0x7f);
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
    tc = tcase_create("debug_snapshot");
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    tcase_add_test(tc, test_debug_snapshot_dumps_cspaces_and_derivation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return ktest_run(syscall_suite()); }
