/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: faults (docs/abi.md#faults, #observed-on-sel4): VM faults on read, write, a
 * read-only page, execute of an execute-never or unmapped page, with the exact ESR and FAR;
 * UnknownSyscall with its 13 words and resume by reply; an undefined instruction (UserException,
 * ESR 0x02000000) and resume by reply; cap faults in the send and receive phase; the fault handler
 * looked up in the faulting thread's own CSpace; double faults; replies that resume and replies
 * that stop. The root task is the fault handler: it receives on the fault endpoint (under MCS with
 * a reply object, which it answers through: harness.h's conf_recv...). */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define PRIO CONF_THREAD_PRIO
#define BADGE 0x77
#define NREGS 36u

#define ESR_DABT_L2_READ 0x92000006ull  /* EC 0x24, IL, DFSC translation level 2 */
#define ESR_DABT_L2_WRITE 0x92000046ull /* ... WnR */
#define ESR_DABT_PERM_L3_WRITE 0x9200004full
#define ESR_IABT_L2 0x82000006ull /* EC 0x20, IL, IFSC translation level 2 */
#define ESR_IABT_PERM_L3 0x8200000full
#define ESR_UNKNOWN 0x02000000ull /* EC 0 (unknown reason), IL */

struct handler {
    seL4_CPtr ep, badged; /* the endpoint; a badged Write+Grant copy: the thread's fault handler */
    seL4_CPtr reply;      /* MCS: the root's reply object for the fault (0 in the base config) */
};

static void handler_make(struct conf_env *env, struct handler *h)
{
    h->ep = conf_alloc(env, seL4_EndpointObject, 0);
    h->badged = conf_slot(env);
    h->reply = conf_reply_object(env);
    if (!conf_failed()) {
        seL4_Error err =
            sys_cnode_mint(ROOT, h->badged, DEPTH, ROOT, h->ep, DEPTH, seL4_AllRights, BADGE);
        if (err != seL4_NoError) {
            conf_fail(__FILE__, __LINE__, "handler_make: mint", (seL4_Word)err, 0, 1);
        }
    }
}

/* Receive one fault: its info, with the MRs readable by seL4_GetMR. */
static seL4_MessageInfo_t take_fault(struct handler *h, seL4_Word *badge)
{
    return conf_recv(h->ep, badge, h->reply);
}

static seL4_Word fault_pc(seL4_CPtr tcb)
{
    seL4_UserContext c;
    c.pc = 0;
    (void)sys_tcb_read_registers(tcb, 0, 0, 1, &c);
    return c.pc;
}

static void empty_reply(struct handler *h)
{
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 0), h->reply);
}

/* --- VM faults --- */
static void reader(struct conf_thread *t)
{
    t->out[0] = 1;
    t->out[1] = *(volatile seL4_Word *)(uintptr_t)t->arg[0];
    t->out[2] = 2;
}

static void writer(struct conf_thread *t)
{
    t->out[0] = 1;
    *(volatile seL4_Word *)(uintptr_t)t->arg[0] = t->arg[1];
    t->out[2] = 2;
}

/* h: the fault handler it makes (its reply object answers the fault under MCS). */
static void vm_fault_case(struct conf_env *env, struct conf_thread *tp, struct handler *hp,
                          conf_thread_fn fn, seL4_Word addr, seL4_Word esr)
{
#define t (*tp)
#define h (*hp)
    handler_make(env, &h);
    conf_thread_make(env, &t, fn, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    t.arg[0] = addr;
    t.arg[1] = 0x1234;
    conf_thread_start(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_fault(&h, &badge);
    CONF_EQ(badge, BADGE);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CONF_EQ(seL4_MessageInfo_get_length(info), 4);
    CONF_EQ(seL4_GetMR(seL4_VMFault_Addr), addr);
    CONF_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
    CONF_EQ(seL4_GetMR(seL4_VMFault_FSR), esr);
    CONF_EQ(seL4_GetMR(seL4_VMFault_IP), fault_pc(t.tcb));
    CONF_EQ(t.out[0], 1);
    CONF_EQ(t.out[2], 0);
#undef h
#undef t
}

static void case_vm_fault_read(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct conf_thread t;
    struct handler h;
    vm_fault_case(env, &t, &h, reader, CONF_UNMAPPED_VA + 0x18, ESR_DABT_L2_READ);
}

static void case_vm_fault_write(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct conf_thread t;
    struct handler h;
    vm_fault_case(env, &t, &h, writer, CONF_UNMAPPED_VA + 0x20, ESR_DABT_L2_WRITE);
}

/* A write to a read-only page: a permission fault; the handler maps the page writable and its reply
 * resumes the thread, which retries the store. */
static void case_vm_fault_read_only_then_resume(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr frame =
        conf_map_frame(env, CONF_UNMAPPED_VA, seL4_CanRead, seL4_ARM_Default_VMAttributes);
    CONF_CHECK(!conf_failed());
    struct conf_thread t;
    struct handler h;
    vm_fault_case(env, &t, &h, writer, CONF_UNMAPPED_VA + 0x40, ESR_DABT_PERM_L3_WRITE);
    CONF_CHECK(!conf_failed());
    CONF_EQ(*(volatile seL4_Word *)(uintptr_t)(CONF_UNMAPPED_VA + 0x40), 0);
    CONF_OK(sys_arm_page_map(frame, seL4_CapInitThreadVSpace, CONF_UNMAPPED_VA, seL4_ReadWrite,
                             seL4_ARM_Default_VMAttributes));
    empty_reply(&h);
    conf_thread_join(&t);
    CONF_EQ(t.out[2], 2);
    CONF_EQ(*(volatile seL4_Word *)(uintptr_t)(CONF_UNMAPPED_VA + 0x40), 0x1234);
}

/* A read of an unmapped page: the handler maps a page with a value there and replies. */
static void case_vm_fault_map_and_resume(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct handler h;
    handler_make(env, &h);
    struct conf_thread t;
    conf_thread_make(env, &t, reader, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    t.arg[0] = CONF_UNMAPPED_VA + 0x100;
    conf_thread_start(&t);
    seL4_MessageInfo_t info = take_fault(&h, NULL);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    conf_map_frame(env, CONF_UNMAPPED_VA, seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
    CONF_CHECK(!conf_failed());
    *(volatile seL4_Word *)(uintptr_t)(CONF_UNMAPPED_VA + 0x100) = 0xfeedf00d;
    empty_reply(&h);
    conf_thread_join(&t);
    CONF_EQ(t.out[1], 0xfeedf00d);
    CONF_EQ(t.out[2], 2);
}

/* --- instruction fetches --- */
static void jumper(struct conf_thread *t)
{
    t->out[0] = 1;
    void (*fn)(void) = (void (*)(void))(uintptr_t)t->arg[0];
    fn();
    t->out[2] = 2;
}

static void exec_fault_case(struct conf_env *env, seL4_Word addr, seL4_Word esr)
{
    struct handler h;
    handler_make(env, &h);
    struct conf_thread t;
    conf_thread_make(env, &t, jumper, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    t.arg[0] = addr;
    conf_thread_start(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_fault(&h, &badge);
    CONF_EQ(badge, BADGE);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CONF_EQ(seL4_MessageInfo_get_length(info), 4);
    CONF_EQ(seL4_GetMR(seL4_VMFault_IP), addr);
    CONF_EQ(seL4_GetMR(seL4_VMFault_Addr), addr);
    CONF_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 1);
    CONF_EQ(seL4_GetMR(seL4_VMFault_FSR), esr);
    CONF_EQ(fault_pc(t.tcb), addr);
}

static void case_vm_fault_execute_never(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    conf_map_frame(env, CONF_UNMAPPED_VA, seL4_ReadWrite,
                   seL4_ARM_Default_VMAttributes | seL4_ARM_ExecuteNever);
    CONF_CHECK(!conf_failed());
    exec_fault_case(env, CONF_UNMAPPED_VA + 0x80, ESR_IABT_PERM_L3);
}

static void case_vm_fault_execute_unmapped(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    exec_fault_case(env, CONF_UNMAPPED_VA + 0x200, ESR_IABT_L2);
}

/* --- UserException: an undefined instruction (a zeroed, executable page: `udf #0` on aarch64;
 * hostsim reports any fetch from an executable page the same way) --- */
static void after_fault(struct conf_thread *t) { t->out[3] = 3; }

static void case_undefined_instruction(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    conf_map_frame(env, CONF_UNMAPPED_VA, seL4_CanRead, seL4_ARM_Default_VMAttributes);
    struct handler h;
    handler_make(env, &h);
    struct conf_thread t;
    conf_thread_make(env, &t, jumper, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    seL4_Word addr = CONF_UNMAPPED_VA + 0x10;
    t.arg[0] = addr;
    conf_thread_start(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_fault(&h, &badge);
    CONF_EQ(badge, BADGE);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CONF_EQ(seL4_MessageInfo_get_length(info), 5);
    CONF_EQ(seL4_GetMR(seL4_UserException_FaultIP), addr);
    CONF_EQ(seL4_GetMR(seL4_UserException_Number), ESR_UNKNOWN);
    CONF_EQ(seL4_GetMR(seL4_UserException_Code), 0);
    /* EL0t with only FIQ masked; the thread's own PSTATE bits (NZCV, and on newer CPUs SSBS, DIT,
     * BTYPE: an undefined instruction right after a blr leaves BTYPE set) are whatever they were.
     */
    CONF_EQ(seL4_GetMR(seL4_UserException_SPSR) & 0x3dfull, 0x40);
    seL4_Word sp = seL4_GetMR(seL4_UserException_SP);
    seL4_UserContext c;
    CONF_OK(sys_tcb_read_registers(t.tcb, 0, 0, NREGS, &c));
    CONF_EQ(c.pc, addr);
    CONF_EQ(sp, c.sp);
    /* Resume elsewhere: x0 by WriteRegisters (it does not restart a thread waiting for a reply),
     * pc and sp by the reply (its first 3 words: FaultIP, SP, SPSR). */
    t.fn = after_fault;
    c.x0 = (seL4_Word)(uintptr_t)&t;
    c.pc = 0x1000;
    CONF_OK(sys_tcb_write_registers(t.tcb, 0, 0, 4, &c));
    sys_set_mr(0, (seL4_Word)(uintptr_t)conf_thread_entry);
    sys_set_mr(1, t.stack_top);
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 2), h.reply);
    conf_thread_join(&t);
    CONF_EQ(t.out[3], 3);
    CONF_EQ(t.out[2], 0);
}

/* --- FP/SIMD with fpuDisabled (SetFlags): a UserException with EC 0x07 --- */
#if defined(KAAL_ARCH_AARCH64)
static void fp_user(struct conf_thread *t)
{
    t->out[0] = 1;
    __asm__ volatile("fmov d0, xzr" ::: "v0");
    t->out[2] = 2;
}
#endif

static void case_fpu_disabled_traps(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP("hostsim cannot trap the host's FP instructions");
#else
    struct handler h;
    handler_make(env, &h);
    struct conf_thread t;
    conf_thread_make(env, &t, fp_user, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    seL4_TCB_SetFlags_t f = sys_tcb_set_flags(t.tcb, 0, 1);
    CONF_OK(f.error);
    conf_thread_start(&t);
    seL4_MessageInfo_t info = take_fault(&h, NULL);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UserException);
    CONF_EQ(seL4_GetMR(seL4_UserException_Number) >> 25, (0x07ull << 1) | 1); /* EC 0x07, IL */
    CONF_EQ(t.out[0], 1);
    /* Enabled again, the reply's restart runs the instruction. */
    f = sys_tcb_set_flags(t.tcb, 1, 0);
    CONF_OK(f.error);
    empty_reply(&h);
    conf_thread_join(&t);
    CONF_EQ(t.out[2], 2);
#endif
}

/* --- UnknownSyscall --- */
static void bad_syscall(struct conf_thread *t)
{
    seL4_Word x0 = 0x10, x1 = 0x11, x2 = 0x12, x3 = 0x13, x4 = 0x14, x5 = 0x15;
    t->out[0] = 1;
    kaal_arch_syscall(t->arg[0], &x0, &x1, &x2, &x3, &x4, &x5);
    t->out[1] = x0;
    t->out[2] = x1;
    t->out[3] = x5;
}

static void case_unknown_syscall(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct handler h;
    handler_make(env, &h);
    struct conf_thread t;
    conf_thread_make(env, &t, bad_syscall, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    t.arg[0] = 5;
    conf_thread_start(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_fault(&h, &badge);
    seL4_Word mr[13];
    for (int i = 0; i < 13; i++) {
        mr[i] = seL4_GetMR(i);
    }
    CONF_EQ(badge, BADGE);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
    CONF_EQ(seL4_MessageInfo_get_length(info), 13);
    for (int i = 0; i < 6; i++) {
        CONF_EQ(mr[i], 0x10 + (seL4_Word)i);
    }
    CONF_EQ(mr[7], 5);
    CONF_EQ(mr[seL4_UnknownSyscall_Syscall], 5);
    seL4_Word ip = mr[seL4_UnknownSyscall_FaultIP];
    CONF_EQ(mr[seL4_UnknownSyscall_LR], ip + 4);            /* ELR: the instruction after the svc */
    CONF_EQ(mr[seL4_UnknownSyscall_SPSR] & 0x3dfull, 0x40); /* EL0t, FIQ masked (as above) */
    seL4_UserContext c;
    CONF_OK(sys_tcb_read_registers(t.tcb, 0, 0, NREGS, &c));
    CONF_EQ(ip, c.pc);
    CONF_EQ(mr[seL4_UnknownSyscall_SP], c.sp);
    CONF_EQ(c.x7, 5);
    /* Reply: x0, x1 and the pc after the svc; the other registers as they were. */
    mr[0] = 0x1234;
    mr[1] = 0x5678;
    mr[8] = ip + 4;
    for (int i = 0; i < 9; i++) {
        sys_set_mr(i, mr[i]);
    }
    conf_reply(seL4_MessageInfo_new(0, 0, 0, 9), h.reply);
    conf_thread_join(&t);
    CONF_EQ(t.out[1], 0x1234);
    CONF_EQ(t.out[2], 0x5678);
    CONF_EQ(t.out[3], 0x15);
}

/* A reply with a non-zero label leaves the thread stopped. */
static void case_unknown_syscall_reply_stops(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct handler h;
    handler_make(env, &h);
    struct conf_thread t;
    conf_thread_make(env, &t, bad_syscall, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    t.arg[0] = 0x1000;
    conf_thread_start(&t);
    seL4_MessageInfo_t info = take_fault(&h, NULL);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_UnknownSyscall);
    CONF_EQ(seL4_GetMR(seL4_UnknownSyscall_Syscall), 0x1000);
    sys_set_mr(8, seL4_GetMR(seL4_UnknownSyscall_FaultIP) + 4);
    conf_reply(seL4_MessageInfo_new(1, 0, 0, 9), h.reply);
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO - 1));
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255));
    seL4_Word done = 0;
    (void)sys_poll(t.done, &done);
    CONF_EQ(done, 0);
    CONF_EQ(t.out[1], 0);
}

/* --- cap faults --- */
static void bad_call(struct conf_thread *t)
{
    t->out[0] = 1;
    seL4_MessageInfo_t info = sys_call(t->arg[0], seL4_MessageInfo_new(0, 0, 0, 0));
    t->out[1] = seL4_MessageInfo_get_label(info);
    t->out[3] = sys_get_mr(0);
    seL4_Word badge = 0;
    (void)conf_recv(t->arg[1], &badge, t->reply);
    t->out[2] = badge;
}

/* Call on an empty slot is no fault: the lookup succeeds and finds a null cap, which is an
 * InvalidCapability error (cap 0). Recv on an empty slot is a receive-phase cap fault,
 * MissingCapability with 0 bits left; the handler puts a notification with a word pending there
 * and its reply restarts the Recv. */
static void case_cap_fault_recv_phase(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct handler h;
    handler_make(env, &h);
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0), s1 = conf_slot(env),
              s2 = conf_slot(env);
    struct conf_thread t;
    conf_thread_make(env, &t, bad_call, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    t.arg[0] = s1;
    t.arg[1] = s2;
    conf_thread_start(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_fault(&h, &badge);
    CONF_EQ(t.out[1], seL4_InvalidCapability);
    CONF_EQ(t.out[3], 0);
    CONF_EQ(badge, BADGE);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CONF_EQ(seL4_MessageInfo_get_length(info), 5);
    CONF_EQ(seL4_GetMR(seL4_CapFault_Addr), s2);
    CONF_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    CONF_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    CONF_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 0);
    CONF_EQ(seL4_GetMR(seL4_CapFault_IP), fault_pc(t.tcb)); /* last: a Call rewrites MR0-3 */
    CONF_OK(sys_cnode_mint(ROOT, s2, DEPTH, ROOT, n, DEPTH, seL4_AllRights, 0x44));
    sys_signal(s2);
    empty_reply(&h);
    conf_thread_join(&t);
    CONF_EQ(t.out[2], 0x44);
}

/* Caps without the right for the operation: Recv without Read is a receive-phase cap fault;
 * Send without Write is an InvalidCapability error, so lost (no fault); Call gets the error. */
static void no_rights(struct conf_thread *t)
{
    (void)conf_recv(t->arg[0], NULL, t->reply);
    t->out[1] = 1;
    sys_send(t->arg[1], seL4_MessageInfo_new(0, 0, 0, 0));
    t->out[2] = 2;
    seL4_MessageInfo_t info = sys_call(t->arg[1], seL4_MessageInfo_new(0, 0, 0, 0));
    t->out[3] = seL4_MessageInfo_get_label(info);
}

static void case_cap_fault_missing_rights(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct handler h;
    handler_make(env, &h);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0),
              n = conf_alloc(env, seL4_NotificationObject, 0);
    seL4_CPtr no_read = conf_slot(env), no_write = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_copy(ROOT, no_read, DEPTH, ROOT, ep, DEPTH, seL4_NoRead));
    CONF_OK(sys_cnode_copy(ROOT, no_write, DEPTH, ROOT, ep, DEPTH, seL4_NoWrite));
    struct conf_thread t;
    conf_thread_make(env, &t, no_rights, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    t.arg[0] = no_read;
    t.arg[1] = no_write;
    conf_thread_start(&t);
    seL4_MessageInfo_t info = take_fault(&h, NULL);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CONF_EQ(seL4_GetMR(seL4_CapFault_Addr), no_read);
    CONF_EQ(seL4_GetMR(seL4_CapFault_InRecvPhase), 1);
    CONF_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_MissingCapability);
    CONF_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 0);
    /* Swap in a readable notification with a word pending and let it retry. */
    CONF_OK(sys_cnode_delete(ROOT, no_read, DEPTH));
    CONF_OK(sys_cnode_copy(ROOT, no_read, DEPTH, ROOT, n, DEPTH, seL4_AllRights));
    sys_signal(n);
    empty_reply(&h);
    conf_thread_join(&t);
    CONF_EQ(t.out[1], 1);
    CONF_EQ(t.out[2], 2);
    CONF_EQ(t.out[3], seL4_InvalidCapability);
    seL4_Word badge = 1;
    (void)conf_nbrecv(h.ep, &badge, h.reply);
    CONF_EQ(badge, 0); /* no further fault */
}

/* A guard mismatch in the root CNode: 7 words (bits left 64, the guard found, its size). */
static void case_cap_fault_guard_mismatch(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct handler h;
    handler_make(env, &h);
    struct conf_thread t;
    conf_thread_make(env, &t, bad_call, PRIO, h.badged);
    CONF_CHECK(!conf_failed());
    t.arg[0] = 1ull << 62;
    conf_thread_start(&t);
    seL4_MessageInfo_t info = take_fault(&h, NULL);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_CapFault);
    CONF_EQ(seL4_MessageInfo_get_length(info), 7);
    CONF_EQ(seL4_GetMR(seL4_CapFault_Addr), 1ull << 62);
    CONF_EQ(seL4_GetMR(seL4_CapFault_LookupFailureType), seL4_GuardMismatch);
    CONF_EQ(seL4_GetMR(seL4_CapFault_BitsLeft), 64);
    CONF_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_GuardFound), 0);
    CONF_EQ(seL4_GetMR(seL4_CapFault_GuardMismatch_BitsFound),
            64 - env->bi->initThreadCNodeSizeBits);
    /* The thread stays blocked until the handler replies; suspending it ends the case. */
    CONF_OK(sys_tcb_suspend(t.tcb));
}

/* The fault handler CPtr is looked up in the faulting thread's CSpace: here its own CNode, where
 * slot 1 holds the handler (in the root CNode slot 1 is a TCB, which would be a double fault).
 * MCS: the handler is a cap copied into the TCB by SetSpace (cap0, looked up in the invoker's
 * CSpace), so the thread's own CNode does not matter: there its slot 1 holds its TCB. */
static void case_fault_handler_in_own_cspace(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct handler h;
    handler_make(env, &h);
    seL4_CPtr cn = conf_alloc(env, seL4_CapTableObject, 4);
    struct conf_thread t;
#ifdef CONFIG_KERNEL_MCS
    conf_thread_make(env, &t, reader, PRIO, seL4_CapNull);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_copy(cn, 1, 4, ROOT, t.tcb, DEPTH, seL4_AllRights));
    const seL4_CPtr handler = h.badged;
#else
    conf_thread_make(env, &t, reader, PRIO, 1);
    CONF_CHECK(!conf_failed());
    /* Its CNode: 1 = fault handler, 2 = its TCB, 3 = its done notification; guard 60 bits. */
    CONF_OK(sys_cnode_copy(cn, 1, 4, ROOT, h.badged, DEPTH, seL4_AllRights));
    const seL4_CPtr handler = 1;
#endif
    CONF_OK(sys_cnode_copy(cn, 2, 4, ROOT, t.tcb, DEPTH, seL4_AllRights));
    CONF_OK(sys_cnode_copy(cn, 3, 4, ROOT, t.done, DEPTH, seL4_AllRights));
    CONF_OK(sys_tcb_set_space(t.tcb, handler, cn, seL4_CNode_CapData_new(0, 60).words[0],
                              seL4_CapInitThreadVSpace, 0));
    seL4_CPtr tcb = t.tcb, done = t.done;
    t.tcb = 2;
    t.done = 3;
    t.arg[0] = CONF_UNMAPPED_VA + 0x300;
    conf_thread_start_as(&t, tcb);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_fault(&h, &badge);
    CONF_EQ(badge, BADGE);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CONF_EQ(seL4_GetMR(seL4_VMFault_Addr), CONF_UNMAPPED_VA + 0x300);
    conf_map_frame(env, CONF_UNMAPPED_VA, seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
    CONF_CHECK(!conf_failed());
    empty_reply(&h);
    sys_wait(done, NULL);
    CONF_EQ(t.out[2], 2);
}

/* Across address spaces: the thread runs in its own VSpace (sharing only the image with the
 * root), where the page the root has at an address is not mapped. Its read faults there (the
 * handler, in the root's VSpace, gets the same words), the handler maps a different frame at that
 * address in the thread's VSpace, and the retried read sees that frame, not the root's. */
static void case_vm_fault_other_vspace(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_Word va = CONF_UNMAPPED_VA + 0x28;
    conf_map_frame(env, CONF_UNMAPPED_VA, seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
    CONF_CHECK(!conf_failed());
    *(volatile seL4_Word *)(uintptr_t)va = 0xaaaa;
    struct handler h;
    handler_make(env, &h);
    seL4_CPtr vs = conf_vspace_with_image(env);
    struct conf_thread t;
    conf_thread_make(env, &t, reader, PRIO, 0);
    conf_thread_move_vspace(env, &t, vs, h.badged);
    CONF_CHECK(!conf_failed());
    t.arg[0] = va;
    conf_thread_start(&t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = take_fault(&h, &badge);
    CONF_EQ(badge, BADGE);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CONF_EQ(seL4_GetMR(seL4_VMFault_Addr), va);
    CONF_EQ(seL4_GetMR(seL4_VMFault_PrefetchFault), 0);
    CONF_EQ(seL4_GetMR(seL4_VMFault_FSR), ESR_DABT_L2_READ);
    /* Its frame: written through a mapping in the root's VSpace, then mapped in the thread's. */
    seL4_CPtr other = conf_map_frame(env, CONF_UNMAPPED_VA + 0x10000, seL4_ReadWrite,
                                     seL4_ARM_Default_VMAttributes);
    CONF_CHECK(!conf_failed());
    *(volatile seL4_Word *)(uintptr_t)(CONF_UNMAPPED_VA + 0x10028) = 0xbbbb;
    seL4_CPtr copy = conf_copy(env, other, seL4_AllRights);
    conf_map_frame_in(env, vs, copy, CONF_UNMAPPED_VA, seL4_ReadWrite,
                      seL4_ARM_Default_VMAttributes);
    CONF_CHECK(!conf_failed());
    empty_reply(&h);
    conf_thread_join(&t);
    CONF_EQ(t.out[1], 0xbbbb);
    CONF_EQ(*(volatile seL4_Word *)(uintptr_t)va, 0xaaaa);
}

/* No valid fault handler: a double fault, the thread stops (Inactive) and nobody hears of it.
 * Resume runs it again from the faulting instruction (it faults again). */
static void double_fault_case(struct conf_env *env, seL4_CapRights_t handler_rights)
{
    struct handler h;
    handler_make(env, &h);
    seL4_CPtr weak = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(ROOT, weak, DEPTH, ROOT, h.ep, DEPTH, handler_rights, BADGE));
#ifdef CONFIG_KERNEL_MCS
    /* MCS: the fault handler is a cap copied into the TCB when it is set, and one without Write,
     * or without both Grant and GrantReply, is refused then; a thread with none (a null cap)
     * stops on a fault the same way. */
    seL4_CPtr probe = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_ERR(sys_tcb_set_space(probe, weak, ROOT, 0, seL4_CapInitThreadVSpace, 0),
             seL4_InvalidCapability);
    weak = seL4_CapNull;
#endif
    struct conf_thread t;
    conf_thread_make(env, &t, reader, PRIO, weak);
    CONF_CHECK(!conf_failed());
    t.arg[0] = CONF_UNMAPPED_VA;
    conf_thread_start(&t);
    for (int round = 0; round < 2; round++) {
        CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO - 1));
        CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255));
        CONF_EQ(t.out[0], 1); /* it ran up to the fault (the second time: retried the load) */
        CONF_EQ(t.out[2], 0);
        seL4_Word badge = 1;
        (void)conf_nbrecv(h.ep, &badge, h.reply);
        CONF_EQ(badge, 0); /* no fault message */
        (void)sys_poll(t.done, &badge);
        CONF_EQ(badge, 0);
        CONF_OK(sys_tcb_resume(t.tcb));
    }
    CONF_EQ(fault_pc(t.tcb) != 0, 1);
}

static void case_double_fault_no_handler(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    double_fault_case(env, seL4_NoRights); /* no Write right */
}

static void case_double_fault_handler_without_grant(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    double_fault_case(env, seL4_ReadWrite); /* Write but neither Grant nor GrantReply */
}

static const struct conf_case cases[] = {
    CONF_CASE(vm_fault_read),
    CONF_CASE(vm_fault_write),
    CONF_CASE(vm_fault_read_only_then_resume),
    CONF_CASE(vm_fault_map_and_resume),
    CONF_CASE(vm_fault_execute_never),
    CONF_CASE(vm_fault_execute_unmapped),
    CONF_CASE(undefined_instruction),
    CONF_CASE(fpu_disabled_traps),
    CONF_CASE(unknown_syscall),
    CONF_CASE(unknown_syscall_reply_stops),
    CONF_CASE(cap_fault_recv_phase),
    CONF_CASE(cap_fault_missing_rights),
    CONF_CASE(cap_fault_guard_mismatch),
    CONF_CASE(fault_handler_in_own_cspace),
    CONF_CASE(vm_fault_other_vspace),
    CONF_CASE(double_fault_no_handler),
    CONF_CASE(double_fault_handler_without_grant),
};
const struct conf_area conf_area_fault = CONF_AREA("fault", cases);
