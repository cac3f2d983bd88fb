/* SPDX-License-Identifier: BSD-2-Clause */
/* Faults delivered to a handler thread as a Call on the faulting thread's fault endpoint: each
 * fault type's message layout and length (docs/abi.md#faults), each reply's effect
 * (docs/abi.md#fault-replies), and double faults. */
#include "puppets.h"

#define BADGE 0x77u
#define SVC_PC 0x402514ull
#define F_SP 0x7ff000ull

static uint64_t fep;     /* the fault endpoint (all rights) */
static uint64_t fep_cap; /* badged copy: the faulting thread's fault-handler CPtr */
static uint64_t handler, faulter;

/* A handler (prio 250, with or without IPC buffer) waiting on fep, and a faulting thread (prio 200)
 * that is current, at pc SVC_PC with sp F_SP. */
static void start_pair(bool handler_buffer, uint64_t fault_cptr)
{
    handler = make_thread(250, 0, handler_buffer);
    faulter = make_thread(200, fault_cptr, true);
    resume(handler);
    uint64_t regs[8];
    fill_msg(regs, handler, 0, 0);
    ck_assert_int_eq(sys_as(handler, seL4_SysRecv, fep, 0, regs), HOSTSIM_BLOCKED);
    resume(faulter);
    assert_current(faulter);
    struct tcb *t = tcb_ptr(faulter);
    hal_reg_set(&t->arch, REG_NEXT_IP, SVC_PC);
    hal_reg_set(&t->arch, REG_SP, F_SP);
}

static void setup(void)
{
    puppet_setup();
    fep = retype_obj(seL4_EndpointObject, 0);
    fep_cap = mint(fep, seL4_AllRights, BADGE);
}

static TCase *tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, setup, ktest_teardown);
    suite_add_tcase(s, tc);
    return tc;
}

/* Message register i the handler received. */
static uint64_t hmr(unsigned i)
{
    return i < 4 ? reg_of(handler, REG_X2 + i) : buf_of(handler)->msg[i];
}

#ifdef CONFIG_KERNEL_MCS
/* The reply object the handler receives with (puppets.h). */
static struct reply *handler_reply_object(void)
{
    return PTOV(struct reply, cap_reply_cap_get_ptr(root_slot(reply_of(handler))->cap));
}
#endif

/* The handler got the fault: badge, label, length, reply cap. */
static void assert_fault_msg(uint64_t label, uint64_t len)
{
    assert_current(handler);
    ck_assert_uint_eq(state_of(faulter), ThreadState_BlockedOnReply);
    ck_assert_uint_eq(reg_of(handler, REG_X0), BADGE);
    uint64_t info = reg_of(handler, REG_X1);
    ck_assert_uint_eq(label_of(info), label);
    ck_assert_uint_eq(length_of(info), len);
    ck_assert_uint_eq(extra_of(info), 0);
#ifdef CONFIG_KERNEL_MCS /* the handler's reply object holds the faulting thread */
    ck_assert_ptr_eq(handler_reply_object()->tcb, tcb_ptr(faulter));
#else
    ck_assert_uint_eq(cap_get_cap_type(tcb_ptr(handler)->ctes[TCB_CALLER].cap), cap_reply_cap);
#endif
}

/* The handler replies with (label, len words: mrs). */
static void handler_reply(uint64_t label, unsigned len, const uint64_t *mrs)
{
    uint64_t regs[8];
    fill_msg(regs, handler, 0, 0);
    for (unsigned i = 0; i < len; i++) {
        if (i < 4) {
            regs[2 + i] = mrs[i];
        } else {
            buf_of(handler)->msg[i] = mrs[i];
        }
    }
#ifdef CONFIG_KERNEL_MCS /* a Send on the handler's reply object; it then holds nobody */
    ck_assert_int_eq(sys_as(handler, seL4_SysSend, reply_of(handler), info_of(label, 0, len), regs),
                     HOSTSIM_OK);
    ck_assert_ptr_null(handler_reply_object()->tcb);
#else
    ck_assert_int_eq(sys_as(handler, seL4_SysReply, 0, info_of(label, 0, len), regs), HOSTSIM_OK);
    ck_assert_uint_eq(cap_get_cap_type(tcb_ptr(handler)->ctes[TCB_CALLER].cap), cap_null_cap);
#endif
}

/* The faulting thread executes svc with x7 = 5 and x0..x6 = 0x10..0x16. */
static void unknown_syscall(void)
{
    uint64_t regs[8] = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 5};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_BLOCKED);
}

/* ---- UnknownSyscall ---- */

START_TEST(test_unknown_syscall_message)
{
    start_pair(true, fep_cap);
    unknown_syscall();
    assert_fault_msg(seL4_Fault_UnknownSyscall, 13);
    for (unsigned i = 0; i < 7; i++) {
        ck_assert_uint_eq(hmr(i), 0x10 + i);
    }
    ck_assert_uint_eq(hmr(7), 5);
    ck_assert_uint_eq(hmr(seL4_UnknownSyscall_FaultIP), SVC_PC);
    ck_assert_uint_eq(hmr(seL4_UnknownSyscall_SP), F_SP);
    ck_assert_uint_eq(hmr(seL4_UnknownSyscall_LR), SVC_PC + 4); /* ELR, not x30 */
    ck_assert_uint_eq(hmr(seL4_UnknownSyscall_SPSR), 0x40);
    ck_assert_uint_eq(hmr(seL4_UnknownSyscall_Syscall), 5);
}
END_TEST

START_TEST(test_unknown_syscall_without_handler_buffer)
{
    start_pair(false, fep_cap);
    unknown_syscall();
    assert_fault_msg(seL4_Fault_UnknownSyscall, 4);
    ck_assert_uint_eq(hmr(3), 0x13);
}
END_TEST

START_TEST(test_unknown_syscall_reply_restarts)
{
    start_pair(true, fep_cap);
    unknown_syscall();
    uint64_t mrs[9] = {0x1234, 0x5678, 0, 0, 0, 0, 0, 0, SVC_PC + 4};
    handler_reply(0, 9, mrs);
    ck_assert_uint_eq(state_of(faulter), ThreadState_Restart);
    ck_assert_uint_eq(reg_of(faulter, REG_X0), 0x1234);
    ck_assert_uint_eq(reg_of(faulter, REG_X1), 0x5678);
    ck_assert_uint_eq(reg_of(faulter, REG_X7), 0);
    ck_assert_uint_eq(reg_of(faulter, REG_FAULT_IP), SVC_PC + 4);
    ck_assert_uint_eq(reg_of(faulter, REG_SP), F_SP); /* MR9 not sent */
}
END_TEST

START_TEST(test_unknown_syscall_reply_all_registers)
{
    start_pair(true, fep_cap);
    unknown_syscall();
    uint64_t mrs[13];
    for (unsigned i = 0; i < 13; i++) {
        mrs[i] = 0x900 + i;
    }
    mrs[11] = 0xffffffffffffffffull; /* SPSR: sanitised */
    handler_reply(0, 13, mrs);
    for (unsigned i = 0; i < 8; i++) {
        ck_assert_uint_eq(reg_of(faulter, REG_X0 + i), 0x900 + i);
    }
    ck_assert_uint_eq(reg_of(faulter, REG_FAULT_IP), 0x908);
    ck_assert_uint_eq(reg_of(faulter, REG_SP), 0x909);
    ck_assert_uint_eq(reg_of(faulter, REG_SPSR), 0xf0000040ull);
    ck_assert_uint_eq(reg_of(faulter, REG_X8), 0); /* only 12 registers: MR12 is ignored */
}
END_TEST

START_TEST(test_unknown_syscall_reply_label_stops)
{
    start_pair(true, fep_cap);
    unknown_syscall();
    uint64_t mrs[1] = {0x1};
    handler_reply(1, 1, mrs);
    ck_assert_uint_eq(state_of(faulter), ThreadState_Inactive);
    ck_assert_uint_eq(reg_of(faulter, REG_X0), 0x1);
}
END_TEST

/* ---- UserException ---- */

START_TEST(test_user_exception)
{
    start_pair(true, fep_cap);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_USER_EXCEPTION, 0, 0x02000000),
                     HOSTSIM_BLOCKED);
    assert_fault_msg(seL4_Fault_UserException, 5);
    ck_assert_uint_eq(hmr(0), SVC_PC);
    ck_assert_uint_eq(hmr(1), F_SP);
    ck_assert_uint_eq(hmr(2), 0x40);
    ck_assert_uint_eq(hmr(3), 0x02000000);
    ck_assert_uint_eq(hmr(4), 0);
    uint64_t mrs[3] = {SVC_PC + 4, 0x1000, 0x80000000ull | 0x3c5};
    handler_reply(0, 3, mrs);
    ck_assert_uint_eq(state_of(faulter), ThreadState_Restart);
    ck_assert_uint_eq(reg_of(faulter, REG_FAULT_IP), SVC_PC + 4);
    ck_assert_uint_eq(reg_of(faulter, REG_SP), 0x1000);
    ck_assert_uint_eq(reg_of(faulter, REG_SPSR), 0x80000040ull);
}
END_TEST

START_TEST(test_user_exception_reply_label_stops)
{
    start_pair(true, fep_cap);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_USER_EXCEPTION, 0, 0x1e000000),
                     HOSTSIM_BLOCKED);
    handler_reply(5, 0, NULL);
    ck_assert_uint_eq(state_of(faulter), ThreadState_Inactive);
}
END_TEST

/* ---- VMFault ---- */

START_TEST(test_vm_fault_data)
{
    start_pair(true, fep_cap);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_DATA, 0x8, 0x92000046),
                     HOSTSIM_BLOCKED);
    assert_fault_msg(seL4_Fault_VMFault, 4);
    ck_assert_uint_eq(hmr(seL4_VMFault_IP), SVC_PC);
    ck_assert_uint_eq(hmr(seL4_VMFault_Addr), 0x8);
    ck_assert_uint_eq(hmr(seL4_VMFault_PrefetchFault), 0);
    ck_assert_uint_eq(hmr(seL4_VMFault_FSR), 0x92000046);
    uint64_t mrs[2] = {0xbad, 0xbad};
    handler_reply(0, 2, mrs); /* the message is ignored */
    ck_assert_uint_eq(state_of(faulter), ThreadState_Restart);
    ck_assert_uint_eq(reg_of(faulter, REG_FAULT_IP), SVC_PC);
}
END_TEST

START_TEST(test_vm_fault_instruction)
{
    start_pair(false, fep_cap);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_INSTRUCTION, SVC_PC, 0x82000006),
                     HOSTSIM_BLOCKED);
    assert_fault_msg(seL4_Fault_VMFault, 4);
    ck_assert_uint_eq(hmr(seL4_VMFault_Addr), SVC_PC);
    ck_assert_uint_eq(hmr(seL4_VMFault_PrefetchFault), 1);
    handler_reply(3, 0, NULL); /* even a non-zero label restarts */
    ck_assert_uint_eq(state_of(faulter), ThreadState_Restart);
}
END_TEST

/* ---- CapFault ---- */

START_TEST(test_cap_fault_send_phase)
{
    start_pair(true, fep_cap);
    uint64_t regs[8] = {0xdead, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysCall};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_BLOCKED);
    assert_fault_msg(seL4_Fault_CapFault, 7);
    ck_assert_uint_eq(hmr(seL4_CapFault_IP), SVC_PC);
    ck_assert_uint_eq(hmr(seL4_CapFault_Addr), 0xdead);
    ck_assert_uint_eq(hmr(seL4_CapFault_InRecvPhase), 0);
    ck_assert_uint_eq(hmr(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    ck_assert_uint_eq(hmr(seL4_CapFault_BitsLeft), 64);
    handler_reply(0, 0, NULL);
    ck_assert_uint_eq(state_of(faulter), ThreadState_Restart);
    ck_assert_uint_eq(reg_of(faulter, REG_FAULT_IP), SVC_PC);
}
END_TEST

/* The state of the notification in root slot nt. */
static uint64_t ntfn_state(uint64_t nt)
{
    return notification_get_state(
        *PTOV(notification_t, cap_notification_cap_get_ptr(root_slot(nt)->cap)));
}

START_TEST(test_cap_fault_extra_cap)
{
    /* An extra cap that cannot be looked up: a send-phase cap fault on its CPtr before the
     * invocation happens (the notification is not signalled); NBSend just returns. */
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    start_pair(true, fep_cap);
    buf_of(faulter)->caps_or_badges[0] = 0xdead;
    uint64_t regs[8] = {nt, info_of(0, 1, 0), 0, 0, 0, 0, 0, (uint64_t)seL4_SysNBSend};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_OK);
    ck_assert_uint_eq(state_of(faulter), ThreadState_Running);
    ck_assert_uint_eq(ntfn_state(nt), 0); /* idle */
    uint64_t regs2[8] = {nt, info_of(0, 1, 0), 0, 0, 0, 0, 0, (uint64_t)seL4_SysSend};
    ck_assert_int_eq(hostsim_syscall_as_current(regs2, NULL), HOSTSIM_BLOCKED);
    assert_fault_msg(seL4_Fault_CapFault, 7);
    ck_assert_uint_eq(hmr(seL4_CapFault_Addr), 0xdead);
    ck_assert_uint_eq(hmr(seL4_CapFault_InRecvPhase), 0);
    ck_assert_uint_eq(hmr(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    ck_assert_uint_eq(ntfn_state(nt), 0);
}
END_TEST

START_TEST(test_cap_fault_second_extra_cap)
{
    /* The first extra cap resolves (the one-level CSpace, inline), the second does not: the
     * general walk takes over at the second and the cap fault names its CPtr. */
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    start_pair(true, fep_cap);
    buf_of(faulter)->caps_or_badges[0] = nt;
    buf_of(faulter)->caps_or_badges[1] = 0xbeef;
    uint64_t regs[8] = {nt, info_of(0, 2, 0), 0, 0, 0, 0, 0, (uint64_t)seL4_SysSend};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_BLOCKED);
    assert_fault_msg(seL4_Fault_CapFault, 7);
    ck_assert_uint_eq(hmr(seL4_CapFault_Addr), 0xbeef);
    ck_assert_uint_eq(hmr(seL4_CapFault_InRecvPhase), 0);
    ck_assert_uint_eq(hmr(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    ck_assert_uint_eq(ntfn_state(nt), 0);
}
END_TEST

START_TEST(test_extra_cap_without_buffer_not_looked_up)
{
    /* Without an IPC buffer there are no extra caps to look up: the Signal happens. */
    uint64_t nt = retype_obj(seL4_NotificationObject, 0);
    uint64_t t = start_thread(200, fep_cap, false);
    uint64_t regs[8] = {nt, info_of(0, 3, 0), 0, 0, 0, 0, 0, (uint64_t)seL4_SysSend};
    ck_assert_int_eq(sys_as(t, seL4_SysSend, nt, info_of(0, 3, 0), regs), HOSTSIM_OK);
    ck_assert_uint_eq(state_of(t), ThreadState_Running);
    ck_assert_uint_eq(ntfn_state(nt), 2); /* active */
}
END_TEST

START_TEST(test_cap_fault_recv_phase)
{
    uint64_t wo = mint(fep, seL4_CanWrite, 0);
    start_pair(true, fep_cap);
    uint64_t regs[8] = {wo, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysRecv};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_BLOCKED);
    assert_fault_msg(seL4_Fault_CapFault, 5);
    ck_assert_uint_eq(hmr(seL4_CapFault_Addr), wo);
    ck_assert_uint_eq(hmr(seL4_CapFault_InRecvPhase), 1);
    ck_assert_uint_eq(hmr(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    ck_assert_uint_eq(hmr(seL4_CapFault_BitsLeft), 0);
}
END_TEST

/* ---- double faults ---- */

START_TEST(test_double_fault_no_handler)
{
    start_pair(true, 0);
    hostsim_console_capture(true);
    uint64_t regs[8] = {0xdead, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysCall};
    ck_assert_int_eq(hostsim_syscall_as_current(regs, NULL), HOSTSIM_STOPPED);
    const char *out = hostsim_console_take();
    hostsim_console_capture(false);
#ifdef CONFIG_KERNEL_MCS /* no handler cap in the TCB: no second fault, the thread stops */
    ck_assert_ptr_nonnull(strstr(
        out, "Found thread has no fault handler while trying to handle:\ncap fault in send phase "
             "at address 0xdead"));
#else
    ck_assert_ptr_nonnull(strstr(out, "Caught cap fault in send phase at address 0x0"));
    ck_assert_ptr_nonnull(
        strstr(out, "while trying to handle:\ncap fault in send phase at address 0xdead"));
#endif
    ck_assert_uint_eq(state_of(faulter), ThreadState_Inactive);
    assert_current(seL4_CapInitThreadTCB);
}
END_TEST

#ifdef CONFIG_KERNEL_MCS
START_TEST(test_double_fault_handler_without_rights)
{
    /* MCS checks a fault endpoint when it is installed: without Grant or GrantReply,
     * TCB_SetSchedParams refuses it (InvalidCapability, its third extra cap) and the thread keeps
     * no handler. */
    uint64_t no_grant = mint(fep, seL4_CanWrite | seL4_CanRead, 1);
    uint64_t t = retype_obj(seL4_TCBObject, 0);
    uint64_t sp[2] = {0, 200};
    uint64_t caps[3] = {seL4_CapInitThreadTCB, 0, no_grant};
    struct ktest_reply r = ktest_call(t, TCBSetSchedParams, 2, sp, 3, caps);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 3);
    ck_assert_uint_eq(cap_get_cap_type(tcb_ptr(t)->ctes[TCB_FAULT_HANDLER].cap), cap_null_cap);
}
END_TEST
#else
START_TEST(test_double_fault_handler_without_rights)
{
    uint64_t no_grant = mint(fep, seL4_CanWrite | seL4_CanRead, 1);
    start_pair(true, no_grant);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_DATA, 0, 0), HOSTSIM_STOPPED);
    ck_assert_uint_eq(state_of(handler), ThreadState_BlockedOnReceive); /* nothing was sent */
}
END_TEST
#endif

START_TEST(test_grant_reply_only_handler)
{
    uint64_t gr = mint(fep, seL4_CanWrite | seL4_CanGrantReply, BADGE);
    start_pair(true, gr);
    ck_assert_int_eq(hostsim_fault_as_current(HOSTSIM_FAULT_VM_DATA, 0x10, 0), HOSTSIM_BLOCKED);
    assert_fault_msg(seL4_Fault_VMFault, 4);
}
END_TEST

static Suite *fault_suite(void)
{
    Suite *s = suite_create("fault");
    TCase *tc = tcase(s, "UnknownSyscall");
    tcase_add_test(tc, test_unknown_syscall_message);
    tcase_add_test(tc, test_unknown_syscall_without_handler_buffer);
    tcase_add_test(tc, test_unknown_syscall_reply_restarts);
    tcase_add_test(tc, test_unknown_syscall_reply_all_registers);
    tcase_add_test(tc, test_unknown_syscall_reply_label_stops);
    tc = tcase(s, "UserException");
    tcase_add_test(tc, test_user_exception);
    tcase_add_test(tc, test_user_exception_reply_label_stops);
    tc = tcase(s, "VMFault");
    tcase_add_test(tc, test_vm_fault_data);
    tcase_add_test(tc, test_vm_fault_instruction);
    tc = tcase(s, "CapFault");
    tcase_add_test(tc, test_cap_fault_send_phase);
    tcase_add_test(tc, test_cap_fault_recv_phase);
    tcase_add_test(tc, test_cap_fault_extra_cap);
    tcase_add_test(tc, test_cap_fault_second_extra_cap);
    tcase_add_test(tc, test_extra_cap_without_buffer_not_looked_up);
    tc = tcase(s, "double_fault");
    tcase_add_test(tc, test_double_fault_no_handler);
    tcase_add_test(tc, test_double_fault_handler_without_rights);
    tcase_add_test(tc, test_grant_reply_only_handler);
    return s;
}

int main(void) { return ktest_run(fault_suite()); }
