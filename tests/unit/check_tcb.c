/* SPDX-License-Identifier: BSD-2-Clause */
/* TCB invocations through the root thread: each one's success and every error it can return, with
 * the error's extra words and reply length (docs/abi.md#invocations, #invocation-semantics,
 * #errors, #user-context). */
#include "threads_support.h"

#include <kaal/cdt.h>

enum { N_CTX = 36 };

static uint64_t
    T; /* a configured, Inactive thread at priority 0 (slot T, its buffer frame T + 1) */

static void setup(void)
{
    ktest_setup();
    E0 = ktest_first_empty();
    T = E0;
    make_thread(T, 0);
    E0 += 2;
}

/* seL4_UserContext index -> kernel register index (hostsim_thread_regs order). */
static const int ctx_reg[N_CTX] = {
    34, 31, 33, 0,  1,  2,  3,  4,  5,  6,  7,  8,  16, 17, 18, 29, 30,         /* frame */
    9,  10, 11, 12, 13, 14, 15, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 35, 36, /* gp */
};

static struct ktest_reply read_regs(uint64_t tcb, uint64_t flags, uint64_t count)
{
    uint64_t mrs[2] = {flags, count};
    return tcb_call(tcb, TCBReadRegisters, 2, mrs, 0, NULL);
}

/* WriteRegisters with count values vals[0..count) and message length len (>= 2). */
static struct ktest_reply write_regs(uint64_t tcb, uint64_t flags, uint64_t count,
                                     const uint64_t *vals, unsigned len)
{
    uint64_t mrs[120] = {flags, count};
    for (unsigned i = 2; i < len; i++) {
        mrs[i] = vals[i - 2];
    }
    return tcb_call(tcb, TCBWriteRegisters, len, mrs, 0, NULL);
}

static uint64_t reg_of(uint64_t handle, int kernel_index)
{
    uint64_t regs[37];
    hostsim_thread_regs(handle, regs);
    return regs[kernel_index];
}

/* ---- decode_tcb_invocation ---- */

START_TEST(test_unknown_labels)
{
    uint64_t mrs[4] = {0};
    ERR(tcb_call(T, CNodeRevoke, 4, mrs, 0, NULL), seL4_IllegalOperation, 0);
    ERR(tcb_call(T, UntypedRetype, 4, mrs, 0, NULL), seL4_IllegalOperation, 0);
    ERR(tcb_call(T, 0, 4, mrs, 0, NULL), seL4_IllegalOperation, 0);
    ERR(tcb_call(T, DomainSetSet, 4, mrs, 0, NULL), seL4_IllegalOperation, 0);
}
END_TEST

/* ---- ReadRegisters / WriteRegisters ---- */

START_TEST(test_read_registers_errors)
{
    uint64_t one = 0;
    ERR(tcb_call(T, TCBReadRegisters, 1, &one, 0, NULL), seL4_TruncatedMessage, 0);
    struct ktest_reply r = read_regs(T, 0, 0);
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[0], 1);
    ck_assert_uint_eq(r.mr[1], 36);
    r = read_regs(T, 0, 37);
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[1], 36);
    ERR(read_regs(T, 0, ~0ull), seL4_RangeError, 2);
    ERR(read_regs(ROOT_TCB, 0, 1), seL4_IllegalOperation, 0); /* its own registers */
}
END_TEST

START_TEST(test_write_read_round_trip)
{
    uint64_t vals[N_CTX];
    for (int i = 0; i < N_CTX; i++) {
        vals[i] = 0x1000 + 0x111 * (uint64_t)i;
    }
    vals[2] = 0xa5a5a5a5fffffffful; /* spsr */
    OK(write_regs(T, 0, N_CTX, vals, 2 + N_CTX));
    uint64_t h = handle_at(T);
    for (int i = 0; i < N_CTX; i++) {
        uint64_t want = i == 2 ? 0xf0000040ul : vals[i];
        ck_assert_msg(reg_of(h, ctx_reg[i]) == want, "context word %d -> reg %d", i, ctx_reg[i]);
    }
    ck_assert_uint_eq(reg_of(h, 32), vals[0]); /* NextIP := FaultIP = pc */

    struct ktest_reply r = read_regs(T, 0, N_CTX);
    ktest_assert_ok(r);
    ck_assert_uint_eq(r.length, N_CTX);
    for (int i = 0; i < N_CTX; i++) {
        ck_assert_uint_eq(r.mr[i], i == 2 ? 0xf0000040ul : vals[i]);
    }
    /* Fewer registers: the reply is exactly that long. */
    r = read_regs(T, 0, 5);
    ktest_assert_ok(r);
    ck_assert_uint_eq(r.length, 5);
    ck_assert_uint_eq(r.mr[4], vals[4]);
    ck_assert_uint_eq(hostsim_thread_state(h), ThreadState_Inactive);
}
END_TEST

/* PSTATE ownership (<hal/regs.h>): an SPSR the CPU saved (here: as a CPU with SSBS, DIT and BTI
 * would, after `msr ssbs, #1; msr dit, #1` and an interrupt between a br and its target) is the
 * thread's and reads back unchanged; the same value written by user code keeps only NZCV (seL4's
 * sanitiseRegister). */
START_TEST(test_spsr_cpu_saved_kept_user_written_sanitised)
{
    const uint64_t saved =
        0x60000040ul | (1ul << 24) | (1ul << 12) | (2ul << 10); /* ZC, DIT, SSBS, BTYPE 2 */
    uint64_t h = handle_at(T);
    hal_reg_set(&tcb_from_paddr(h)->arch, REG_SPSR, saved);
    ck_assert_uint_eq(saved & SPSR_KERNEL_OWNED,
                      USER_SPSR_INITIAL); /* a CPU's save: kernel bits intact */
    struct ktest_reply r = read_regs(T, 0, 3);
    ktest_assert_ok(r);
    ck_assert_uint_eq(r.mr[2], saved);
    uint64_t vals[3] = {0x400000, 0x1000, saved};
    OK(write_regs(T, 0, 3, vals, 5));
    ck_assert_uint_eq(reg_of(h, REG_SPSR), 0x60000040ul);
    ck_assert_uint_eq(user_spsr_sanitise(saved), 0x60000040ul);
    ck_assert_uint_eq(user_spsr_sanitise(~0ul), 0xf0000040ul);
    ck_assert_uint_eq(user_spsr_sanitise(0x3c5),
                      USER_SPSR_INITIAL); /* EL1h with masks: not a user mode */
}
END_TEST

START_TEST(test_write_registers_errors)
{
    uint64_t vals[118] = {0};
    uint64_t one = 0;
    ERR(tcb_call(T, TCBWriteRegisters, 1, &one, 0, NULL), seL4_TruncatedMessage, 0);
    ERR(write_regs(T, 0, 3, vals, 4), seL4_TruncatedMessage, 0);
    /* The count is compared before it is clamped to 36. */
    ERR(write_regs(T, 0, 37, vals, 38), seL4_TruncatedMessage, 0);
    OK(write_regs(T, 0, 100, vals, 102)); /* long enough: clamped to 36 */
    OK(write_regs(T, 0, 0, vals, 2));
    ERR(write_regs(ROOT_TCB, 0, 1, vals, 3), seL4_IllegalOperation, 0);
}
END_TEST

START_TEST(test_write_registers_sanitise_and_resume)
{
    uint64_t vals[3] = {0x401000, 0x7000, 0x3c5};
    OK(write_regs(T, 0, 3, vals, 5));
    uint64_t h = handle_at(T);
    ck_assert_uint_eq(reg_of(h, 33), 0x40); /* DAIF/mode bits dropped, EL0t */
    ck_assert_uint_eq(reg_of(h, 34), 0x401000);
    ck_assert_uint_eq(reg_of(h, 32), 0x401000);
    ck_assert_uint_eq(hostsim_thread_state(h), ThreadState_Inactive);
    OK(write_regs(T, 1, 1, vals, 3)); /* resume_target */
    ck_assert_uint_eq(hostsim_thread_state(h), ThreadState_Restart);
    ck_assert_uint_eq(hostsim_current_thread(), hostsim_root_thread()); /* priority 0 waits */
}
END_TEST

START_TEST(test_read_registers_suspend_source)
{
    OK(resume(T));
    uint64_t h = handle_at(T);
    ck_assert_uint_eq(hostsim_thread_state(h), ThreadState_Restart);
    OK(read_regs(T, 1, 1));
    ck_assert_uint_eq(hostsim_thread_state(h), ThreadState_Inactive);
    ck_assert(!tcb_at(T)->sched_queued);
}
END_TEST

/* ---- CopyRegisters ---- */

static struct ktest_reply copy_regs(uint64_t dest, uint64_t src, uint64_t flags)
{
    uint64_t caps[1] = {src};
    return tcb_call(dest, TCBCopyRegisters, 1, &flags, 1, caps);
}

START_TEST(test_copy_registers)
{
    uint64_t S = E0;
    make_thread(S, 0);
    uint64_t vals[N_CTX];
    for (int i = 0; i < N_CTX; i++) {
        vals[i] = 0x5000 + (uint64_t)i;
    }
    vals[2] = 0x80000040;
    OK(write_regs(S, 0, N_CTX, vals, 2 + N_CTX));
    uint64_t ht = handle_at(T);

    OK(copy_regs(T, S, 1u << 2)); /* frame set only */
    for (int i = 0; i < N_CTX; i++) {
        if (i < 17) {
            ck_assert_uint_eq(reg_of(ht, ctx_reg[i]), vals[i]);
        } else {
            ck_assert_uint_ne(reg_of(ht, ctx_reg[i]), vals[i]);
        }
    }
    ck_assert_uint_eq(reg_of(ht, 32), vals[0]); /* NextIP := FaultIP */

    OK(copy_regs(T, S, 1u << 3)); /* gp set */
    for (int i = 17; i < N_CTX; i++) {
        ck_assert_uint_eq(reg_of(ht, ctx_reg[i]), vals[i]);
    }

    /* suspend_source and resume_target */
    OK(resume(S));
    OK(copy_regs(T, S, 1u | 2u));
    ck_assert_uint_eq(hostsim_thread_state(handle_at(S)), ThreadState_Inactive);
    ck_assert_uint_eq(hostsim_thread_state(ht), ThreadState_Restart);
}
END_TEST

START_TEST(test_copy_registers_errors)
{
    uint64_t flags = 0xc;
    ERR(tcb_call(T, TCBCopyRegisters, 1, &flags, 0, NULL), seL4_TruncatedMessage, 0);
    uint64_t caps[1] = {T};
    ERR(tcb_call(T, TCBCopyRegisters, 0, &flags, 1, caps), seL4_TruncatedMessage, 0);
    struct ktest_reply r = copy_regs(T, ROOT, 0xc);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);
    r = copy_regs(T, E0 + 50, 0xc); /* empty slot: a null cap */
    ERR(r, seL4_InvalidCapability, 1);
}
END_TEST

/* ---- Configure / SetSpace / SetIPCBuffer ---- */

START_TEST(test_configure)
{
    struct tcb *t = tcb_at(T);
    ck_assert_uint_eq(cap_get_cap_type(t->ctes[TCB_CTABLE].cap), cap_cnode_cap);
    ck_assert_uint_eq(cap_get_cap_type(t->ctes[TCB_VTABLE].cap), cap_vspace_cap);
    ck_assert_uint_eq(cap_get_cap_type(t->ctes[TCB_BUFFER].cap), cap_frame_cap);
    ck_assert_uint_eq(t->ipc_buffer, 0x10000);
    ck_assert(hostsim_thread_ipc_buffer(handle_at(T)) != NULL);
    /* The TCB's caps are children of the source slots. */
    ck_assert(cdt_is_parent_of(root_slot(ROOT), &t->ctes[TCB_CTABLE]));
    ck_assert(cdt_is_parent_of(root_slot(T + 1), &t->ctes[TCB_BUFFER]));

    /* Again with a fault EP, a guard and no buffer (the frame cap is then ignored). */
    uint64_t guard_word = seL4_CNode_CapData_new(0, 52).words[0]; /* guard size 52 + radix 12 */
    OK(configure(T, 0x1234, guard_word, 0, ROOT, ROOT_VSPACE, ROOT));
    ck_assert_uint_eq(t->fault_handler, 0x1234);
    ck_assert_uint_eq(t->ipc_buffer, 0);
    ck_assert_uint_eq(cap_get_cap_type(t->ctes[TCB_BUFFER].cap), cap_null_cap);
    ck_assert_uint_eq(cap_cnode_cap_get_guard_size(t->ctes[TCB_CTABLE].cap), 52);
    ck_assert(hostsim_thread_ipc_buffer(handle_at(T)) == NULL);
}
END_TEST

START_TEST(test_configure_errors)
{
    uint64_t mrs[4] = {0, 0, 0, 0x10000};
    uint64_t caps[3] = {ROOT, ROOT_VSPACE, T + 1};
    ERR(tcb_call(T, TCBConfigure, 3, mrs, 3, caps), seL4_TruncatedMessage, 0);
    ERR(tcb_call(T, TCBConfigure, 4, mrs, 2, caps), seL4_TruncatedMessage, 0);
    /* Buffer first: a frame, not device memory, 1 KiB aligned. */
    ERR(configure(T, 0, 0, 0x10000, ROOT, ROOT_VSPACE, ROOT), seL4_IllegalOperation, 0);
    ERR(configure(T, 0, 0, 0x10200, ROOT, ROOT_VSPACE, T + 1), seL4_AlignmentError, 0);
    ERR(configure(T, 0, 0, 0x10200, ROOT, ROOT_VSPACE, ROOT), seL4_IllegalOperation, 0);
    OK(configure(T, 0, 0, 0x10400, ROOT, ROOT_VSPACE, T + 1));
    /* The CSpace root must be a CNode (after the guard data). */
    ERR(configure(T, 0, 0, 0x10000, ROOT_VSPACE, ROOT_VSPACE, T + 1), seL4_IllegalOperation, 0);
    ERR(configure(T, 0, 60, 0x10000, ROOT, ROOT_VSPACE, T + 1), seL4_IllegalOperation,
        0); /* 60 + 12 > 64 */
    /* The VSpace root must be a VSpace with an ASID. */
    ERR(configure(T, 0, 0, 0x10000, ROOT, ROOT, T + 1), seL4_IllegalOperation, 0);
    retype_into(seL4_ARM_VSpaceObject, 0, E0);
    ERR(configure(T, 0, 0, 0x10000, ROOT, E0, T + 1), seL4_IllegalOperation, 0);
    /* Nothing changed by the failures. */
    ck_assert_uint_eq(tcb_at(T)->ipc_buffer, 0x10400);
}
END_TEST

START_TEST(test_configure_device_frame)
{
    seL4_BootInfo *bi = hostsim_bootinfo();
    uint64_t dev = 0;
    for (uint64_t s = bi->untyped.start; s < bi->untyped.end && dev == 0; s++) {
        const seL4_UntypedDesc *d = &bi->untypedList[s - bi->untyped.start];
        if (d->isDevice && d->sizeBits >= 12) {
            dev = s;
        }
    }
    ck_assert(dev != 0);
    OK(ktest_retype(dev, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, E0, 1));
    ERR(configure(T, 0, 0, 0x10000, ROOT, ROOT_VSPACE, E0), seL4_IllegalOperation, 0);
    uint64_t buf = 0x10000;
    uint64_t caps[1] = {E0};
    ERR(tcb_call(T, TCBSetIPCBuffer, 1, &buf, 1, caps), seL4_IllegalOperation, 0);
}
END_TEST

START_TEST(test_set_space)
{
    uint64_t mrs[3] = {0x77, 0, 0};
    uint64_t caps[2] = {ROOT, ROOT_VSPACE};
    ERR(tcb_call(T, TCBSetSpace, 2, mrs, 2, caps), seL4_TruncatedMessage, 0);
    ERR(tcb_call(T, TCBSetSpace, 3, mrs, 1, caps), seL4_TruncatedMessage, 0);
    uint64_t bad[2] = {ROOT, ROOT};
    ERR(tcb_call(T, TCBSetSpace, 3, mrs, 2, bad), seL4_IllegalOperation, 0);
    OK(tcb_call(T, TCBSetSpace, 3, mrs, 2, caps));
    ck_assert_uint_eq(tcb_at(T)->fault_handler, 0x77);
    ck_assert_uint_eq(tcb_at(T)->ipc_buffer, 0x10000); /* untouched */
}
END_TEST

START_TEST(test_set_ipc_buffer)
{
    uint64_t buf = 0x20000;
    uint64_t caps[1] = {T + 1};
    ERR(tcb_call(T, TCBSetIPCBuffer, 0, &buf, 1, caps), seL4_TruncatedMessage, 0);
    ERR(tcb_call(T, TCBSetIPCBuffer, 1, &buf, 0, caps), seL4_TruncatedMessage, 0);
    buf = 0x20008;
    ERR(tcb_call(T, TCBSetIPCBuffer, 1, &buf, 1, caps), seL4_AlignmentError, 0);
    buf = 0x20c00;
    OK(tcb_call(T, TCBSetIPCBuffer, 1, &buf, 1, caps));
    ck_assert_uint_eq(tcb_at(T)->ipc_buffer, 0x20c00);
    ck_assert(hostsim_thread_ipc_buffer(handle_at(T)) != NULL);
    buf = 0;
    OK(tcb_call(T, TCBSetIPCBuffer, 1, &buf, 1, caps));
    ck_assert(hostsim_thread_ipc_buffer(handle_at(T)) == NULL);
    ck_assert_uint_eq(cap_get_cap_type(tcb_at(T)->ctes[TCB_BUFFER].cap), cap_null_cap);
}
END_TEST

/* ---- SetPriority / SetMCPriority / SetSchedParams ---- */

static void assert_range(struct ktest_reply r, uint64_t lo, uint64_t hi)
{
    ERR(r, seL4_RangeError, 2);
    ck_assert_uint_eq(r.mr[0], lo);
    ck_assert_uint_eq(r.mr[1], hi);
}

START_TEST(test_set_priority)
{
    ERR(tcb_call(T, TCBSetPriority, 1, (uint64_t[]){5}, 0, NULL), seL4_TruncatedMessage, 0);
    ERR(tcb_call(T, TCBSetPriority, 0, (uint64_t[]){5}, 1, (uint64_t[]){ROOT_TCB}),
        seL4_TruncatedMessage, 0);
    struct ktest_reply r = set_priority(T, ROOT, 5);
    ERR(r, seL4_InvalidCapability, 1);
    ck_assert_uint_eq(r.mr[0], 1);
    assert_range(set_priority(T, ROOT_TCB, 256), 0, 255);
    assert_range(set_priority(T, ROOT_TCB, 1ull << 40), 0, 255); /* the whole word counts */
    assert_range(set_priority(T, T, 1), 0, 0);                   /* T's MCP is 0 */
    OK(set_priority(T, ROOT_TCB, 255));
    ck_assert_uint_eq(tcb_at(T)->priority, 255);
    OK(set_priority(T, T, 0)); /* at or below the authority's MCP */
    ck_assert_uint_eq(tcb_at(T)->priority, 0);
}
END_TEST

START_TEST(test_set_mc_priority)
{
    uint64_t v = 100;
    uint64_t caps[1] = {ROOT_TCB};
    ERR(tcb_call(T, TCBSetMCPriority, 0, &v, 1, caps), seL4_TruncatedMessage, 0);
    ERR(tcb_call(T, TCBSetMCPriority, 1, &v, 0, caps), seL4_TruncatedMessage, 0);
    ERR(tcb_call(T, TCBSetMCPriority, 1, &v, 1, (uint64_t[]){T + 1}), seL4_InvalidCapability, 1);
    assert_range(tcb_call(T, TCBSetMCPriority, 1, (uint64_t[]){300}, 1, caps), 0, 255);
    OK(tcb_call(T, TCBSetMCPriority, 1, &v, 1, caps));
    ck_assert_uint_eq(tcb_at(T)->mcp, 100);
    /* T may now authorise up to 100, no more. */
    assert_range(set_priority(T, T, 101), 0, 100);
    OK(set_priority(T, T, 100));
    assert_range(tcb_call(T, TCBSetMCPriority, 1, (uint64_t[]){101}, 1, (uint64_t[]){T}), 0, 100);
}
END_TEST

START_TEST(test_set_sched_params)
{
    uint64_t caps[1] = {ROOT_TCB};
    ERR(tcb_call(T, TCBSetSchedParams, 1, (uint64_t[]){1, 1}, 1, caps), seL4_TruncatedMessage, 0);
    ERR(tcb_call(T, TCBSetSchedParams, 2, (uint64_t[]){1, 1}, 0, caps), seL4_TruncatedMessage, 0);
    ERR(tcb_call(T, TCBSetSchedParams, 2, (uint64_t[]){1, 1}, 1, (uint64_t[]){ROOT}),
        seL4_InvalidCapability, 1);
    assert_range(tcb_call(T, TCBSetSchedParams, 2, (uint64_t[]){256, 1}, 1, caps), 0,
                 255); /* MCP checked first */
    assert_range(tcb_call(T, TCBSetSchedParams, 2, (uint64_t[]){1, 256}, 1, caps), 0, 255);
    ck_assert_uint_eq(tcb_at(T)->mcp, 0);
    OK(tcb_call(T, TCBSetSchedParams, 2, (uint64_t[]){50, 40}, 1, caps));
    ck_assert_uint_eq(tcb_at(T)->mcp, 50);
    ck_assert_uint_eq(tcb_at(T)->priority, 40);
}
END_TEST

/* ---- Suspend / Resume ---- */

START_TEST(test_suspend_resume)
{
    uint64_t h = handle_at(T);
    OK(resume(T));
    ck_assert_uint_eq(hostsim_thread_state(h), ThreadState_Restart);
    ck_assert(tcb_at(T)->sched_queued);
    OK(resume(T)); /* ready: unaffected */
    ck_assert_uint_eq(hostsim_thread_state(h), ThreadState_Restart);
    OK(suspend(T));
    ck_assert_uint_eq(hostsim_thread_state(h), ThreadState_Inactive);
    ck_assert(!tcb_at(T)->sched_queued);
    OK(suspend(T)); /* already stopped */
    /* The root resuming itself changes nothing; suspending itself stops it: no reply. */
    OK(resume(ROOT_TCB));
    struct ktest_reply r = suspend(ROOT_TCB);
    ck_assert_int_eq(r.status, HOSTSIM_STOPPED);
    ck_assert_uint_eq(hostsim_current_thread(), 0); /* nothing else runnable: idle */
}
END_TEST

/* ---- BindNotification / UnbindNotification ---- */

START_TEST(test_bind_notification)
{
    uint64_t N = E0, N2 = E0 + 1, EP = E0 + 2, NRO = E0 + 3, U = E0 + 4;
    retype_into(seL4_NotificationObject, 0, N);
    retype_into(seL4_NotificationObject, 0, N2);
    retype_into(seL4_EndpointObject, 0, EP);
    OK(ktest_cnode_mint(ROOT, NRO, 64, ROOT, N2, 64, seL4_CanWrite, 0)); /* no Read right */
    make_thread(U, 0);

    ERR(tcb_call(T, TCBBindNotification, 0, NULL, 0, NULL), seL4_TruncatedMessage, 0);
    ERR(tcb_call(T, TCBBindNotification, 0, NULL, 1, (uint64_t[]){EP}), seL4_IllegalOperation, 0);
    ERR(tcb_call(T, TCBBindNotification, 0, NULL, 1, (uint64_t[]){NRO}), seL4_IllegalOperation, 0);
    ERR(tcb_call(T, TCBUnbindNotification, 0, NULL, 0, NULL), seL4_IllegalOperation, 0);

    OK(tcb_call(T, TCBBindNotification, 0, NULL, 1, (uint64_t[]){N}));
    notification_t *ntfn = PTOV(notification_t, cap_notification_cap_get_ptr(root_slot(N)->cap));
    ck_assert_uint_eq(tcb_at(T)->bound_notification,
                      cap_notification_cap_get_ptr(root_slot(N)->cap));
    ck_assert_uint_eq(notification_get_bound_tcb(*ntfn), handle_at(T));
    /* T is bound already; N is bound already. */
    ERR(tcb_call(T, TCBBindNotification, 0, NULL, 1, (uint64_t[]){N2}), seL4_IllegalOperation, 0);
    ERR(tcb_call(U, TCBBindNotification, 0, NULL, 1, (uint64_t[]){N}), seL4_IllegalOperation, 0);

    OK(tcb_call(T, TCBUnbindNotification, 0, NULL, 0, NULL));
    ck_assert_uint_eq(tcb_at(T)->bound_notification, 0);
    ck_assert_uint_eq(notification_get_bound_tcb(*ntfn), 0);
    OK(tcb_call(U, TCBBindNotification, 0, NULL, 1, (uint64_t[]){N}));
}
END_TEST

/* ---- SetTLSBase / SetFlags ---- */

START_TEST(test_set_tls_base)
{
    ERR(tcb_call(T, TCBSetTLSBase, 0, NULL, 0, NULL), seL4_TruncatedMessage, 0);
    OK(tcb_call(T, TCBSetTLSBase, 1, (uint64_t[]){0xdeadbeef000}, 0, NULL));
    ck_assert_uint_eq(reg_of(handle_at(T), 35), 0xdeadbeef000);
    OK(tcb_call(ROOT_TCB, TCBSetTLSBase, 1, (uint64_t[]){0x1234}, 0, NULL)); /* its own: allowed */
    ck_assert_uint_eq(reg_of(hostsim_root_thread(), 35), 0x1234);
}
END_TEST

START_TEST(test_set_flags)
{
    ERR(tcb_call(T, TCBSetFlags, 1, (uint64_t[]){0, 1}, 0, NULL), seL4_TruncatedMessage, 0);
    struct ktest_reply r = tcb_call(T, TCBSetFlags, 2, (uint64_t[]){0, ~0ull}, 0, NULL);
    ktest_assert_ok(r);
    ck_assert_uint_eq(r.length, 1);
    ck_assert_uint_eq(r.mr[0], seL4_TCBFlag_fpuDisabled); /* only the mask's bits */
    r = tcb_call(T, TCBSetFlags, 2, (uint64_t[]){0, 0}, 0, NULL);
    ck_assert_uint_eq(r.mr[0], 1);
    r = tcb_call(T, TCBSetFlags, 2, (uint64_t[]){1, 0}, 0, NULL);
    ck_assert_uint_eq(r.length, 1);
    ck_assert_uint_eq(r.mr[0], 0);
    ck_assert_uint_eq(tcb_at(T)->flags, 0);
}
END_TEST

static Suite *tcb_suite(void)
{
    Suite *s = suite_create("tcb");
    TCase *tc = fixture_tcase(s, "decode_tcb_invocation", setup);
    tcase_add_test(tc, test_unknown_labels);
    tc = fixture_tcase(s, "TCB_ReadRegisters", setup);
    tcase_add_test(tc, test_read_registers_errors);
    tcase_add_test(tc, test_read_registers_suspend_source);
    tc = fixture_tcase(s, "TCB_WriteRegisters", setup);
    tcase_add_test(tc, test_write_read_round_trip);
    tcase_add_test(tc, test_spsr_cpu_saved_kept_user_written_sanitised);
    tcase_add_test(tc, test_write_registers_errors);
    tcase_add_test(tc, test_write_registers_sanitise_and_resume);
    tc = fixture_tcase(s, "TCB_CopyRegisters", setup);
    tcase_add_test(tc, test_copy_registers);
    tcase_add_test(tc, test_copy_registers_errors);
    tc = fixture_tcase(s, "TCB_Configure", setup);
    tcase_add_test(tc, test_configure);
    tcase_add_test(tc, test_configure_errors);
    tcase_add_test(tc, test_configure_device_frame);
    tc = fixture_tcase(s, "TCB_SetSpace", setup);
    tcase_add_test(tc, test_set_space);
    tc = fixture_tcase(s, "TCB_SetIPCBuffer", setup);
    tcase_add_test(tc, test_set_ipc_buffer);
    tc = fixture_tcase(s, "TCB_SetPriority", setup);
    tcase_add_test(tc, test_set_priority);
    tc = fixture_tcase(s, "TCB_SetMCPriority", setup);
    tcase_add_test(tc, test_set_mc_priority);
    tc = fixture_tcase(s, "TCB_SetSchedParams", setup);
    tcase_add_test(tc, test_set_sched_params);
    tc = fixture_tcase(s, "TCB_Suspend_Resume", setup);
    tcase_add_test(tc, test_suspend_resume);
    tc = fixture_tcase(s, "TCB_BindNotification", setup);
    tcase_add_test(tc, test_bind_notification);
    tc = fixture_tcase(s, "TCB_SetTLSBase", setup);
    tcase_add_test(tc, test_set_tls_base);
    tc = fixture_tcase(s, "TCB_SetFlags", setup);
    tcase_add_test(tc, test_set_flags);
    return s;
}

int main(void) { return ktest_run(tcb_suite()); }
