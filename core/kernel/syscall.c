/* SPDX-License-Identifier: BSD-2-Clause */
/* System call entry: decode x7, invoke the cap in x0 with the message in x1..x5 and the IPC
 * buffer, and reply (Call) with success or the seL4 error. IPC system calls join in issue 4. */
#include <kaal/cspace.h>
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/string.h>
#include <kaal/thread.h>

/* Record a cap fault on thread t for cptr (seL4_Fault_CapFault) with the lookup failure. */
static void set_cap_fault(struct tcb *t, cptr_t cptr, bool in_recv_phase, const struct lookup_fault *lf)
{
    t->fault[0] = seL4_Fault_CapFault;
    t->fault[1] = cptr;
    t->fault[2] = in_recv_phase;
    t->fault[3] = 0;
    kmemset(t->lookup_failure, 0, sizeof(t->lookup_failure));
    lookup_fault_words(lf, t->lookup_failure);
}

/* Write a kernel reply (label, words) into the thread's registers and IPC buffer: x0 = 0 badge,
 * x1 = message info; only MR0..MR(length-1) are written. */
static void reply_from_kernel(struct tcb *t, word_t *buffer, word_t label, const word_t *mrs, word_t length)
{
    word_t written = 0;
    for (; written < length; written++) {
        if (written < N_MSG_REGISTERS) {
            hal_reg_set(&t->arch, REG_MR0 + written, mrs[written]);
        } else if (buffer != NULL) {
            buffer[KAAL_IPCBUF_MSG_WORD(written)] = mrs[written];
        } else {
            break;
        }
    }
    hal_reg_set(&t->arch, REG_BADGE, 0);
    hal_reg_set(&t->arch, REG_MSG_INFO, seL4_MessageInfo_new(label, 0, 0, written).words[0]);
}

static void reply_error(struct invocation_ctx *ctx)
{
    word_t mrs[5];
    word_t n = syscall_error_words(&ctx->err, mrs);
    reply_from_kernel(ctx->thread, ctx->ipc_buffer, ctx->err.type, mrs, n);
}

/* Send, NBSend or Call on the cap in x0 (seL4 handleInvocation). */
static exception_t handle_invocation(bool is_call, bool is_blocking)
{
    struct tcb *t = ks.cur_thread;
    struct invocation_ctx ctx = {0};
    seL4_MessageInfo_t info = {{hal_reg_get(&t->arch, REG_MSG_INFO)}};
    cptr_t cptr = hal_reg_get(&t->arch, REG_CAP);
    struct lookup_fault lf;

    ctx.thread = t;
    ctx.is_call = is_call;
    ctx.label = seL4_MessageInfo_get_label(info);
    ctx.length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);

    if (cspace_lookup_slot(t, cptr, &ctx.slot, &lf) != EXCEPTION_NONE) {
        kuser_error("invocation of invalid cap #%lx", (unsigned long)cptr);
        if (is_blocking) {
            set_cap_fault(t, cptr, false, &lf);
            thread_handle_fault(t);
        }
        return EXCEPTION_NONE;
    }
    ctx.cap = ctx.slot->cap; /* may be null: decode answers InvalidCapability(0) */

    ctx.ipc_buffer = thread_lookup_ipc_buffer(t, false);
    if (ctx.ipc_buffer == NULL && ctx.length > N_MSG_REGISTERS) {
        ctx.length = N_MSG_REGISTERS;
    }
    if (ctx.ipc_buffer != NULL) {
        word_t n = seL4_MessageInfo_get_extraCaps(info);
        for (word_t i = 0; i < n; i++) {
            cptr_t extra = ctx.ipc_buffer[KAAL_IPCBUF_CAPS_WORD(i)];
            if (cspace_lookup_slot(t, extra, &ctx.extra_slots[i], &lf) != EXCEPTION_NONE) {
                kuser_error("lookup of extra cap #%lx failed", (unsigned long)extra);
                if (is_blocking) {
                    set_cap_fault(t, extra, false, &lf);
                    thread_handle_fault(t);
                }
                return EXCEPTION_NONE;
            }
            ctx.extra_caps[i] = ctx.extra_slots[i]->cap;
            ctx.nextra = i + 1;
        }
    }

    /* Restart until the invocation completes: a preempted one runs again from its svc. */
    thread_set_state(t, ThreadState_Restart);
    exception_t status = decode_invocation(&ctx);
    if (status == EXCEPTION_PREEMPTED) {
        return status;
    }
    if (status == EXCEPTION_SYSCALL_ERROR) {
        if (is_call) {
            reply_error(&ctx);
        }
        thread_set_state(t, ThreadState_Running);
        return EXCEPTION_NONE;
    }
    if (status == EXCEPTION_FAULT) {
        thread_handle_fault(t);
        return EXCEPTION_NONE;
    }
    if (thread_state_type(t) == ThreadState_Restart) {
        if (is_call) {
            hal_reg_set(&t->arch, REG_BADGE, 0);
            hal_reg_set(&t->arch, REG_MSG_INFO, seL4_MessageInfo_new(0, 0, 0, ctx.reply_length).words[0]);
        }
        thread_set_state(t, ThreadState_Running);
    }
    return EXCEPTION_NONE;
}

/* Debug and unknown system calls (numbers outside [-8, -1]). */
static void handle_unknown_syscall(sword_t sysno)
{
    struct tcb *t = ks.cur_thread;
    switch (sysno) {
#ifdef CONFIG_PRINTING
    case seL4_SysDebugPutChar:
        hal_console_putc((char)hal_reg_get(&t->arch, REG_X0));
        return;
#endif
#ifdef CONFIG_DEBUG_BUILD
    case seL4_SysDebugHalt:
        kprintf("KaaL: DebugHalt called by thread \"%s\"\n", t->name);
        hal_halt();
    case seL4_SysDebugCapIdentify: {
        cte_t *slot;
        struct lookup_fault lf;
        word_t tag = 0;
        if (cspace_lookup_slot(t, hal_reg_get(&t->arch, REG_X0), &slot, &lf) == EXCEPTION_NONE) {
            tag = cap_get_cap_type(slot->cap);
        }
        hal_reg_set(&t->arch, REG_X0, tag);
        return;
    }
#endif
    default:
        break;
    }
    /* An UnknownSyscall fault (delivered to the handler with issue 4). */
    t->fault[0] = seL4_Fault_UnknownSyscall;
    t->fault[1] = (word_t)sysno;
    t->fault[2] = 0;
    t->fault[3] = 0;
    thread_handle_fault(t);
}

void kernel_handle_syscall(sword_t sysno)
{
    exception_t status = EXCEPTION_NONE;
    switch (sysno) {
    case seL4_SysCall:
        status = handle_invocation(true, true);
        break;
    case seL4_SysSend:
        status = handle_invocation(false, true);
        break;
    case seL4_SysNBSend:
        status = handle_invocation(false, false);
        break;
    case seL4_SysYield:
        break; /* one thread for now: yielding keeps it running (scheduler: issue 4) */
    case seL4_SysReplyRecv:
    case seL4_SysRecv:
    case seL4_SysReply:
    case seL4_SysNBRecv:
        kuser_error("IPC system call %ld is not implemented yet", (long)sysno);
        break;
    default:
        handle_unknown_syscall(sysno);
        break;
    }
    if (status == EXCEPTION_PREEMPTED) {
        kernel_handle_pending_interrupt();
    }
}
