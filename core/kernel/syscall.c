/* SPDX-License-Identifier: BSD-2-Clause */
/* System call entry: decode x7; Send/NBSend/Call invoke the cap in x0 with the message in x1..x5
 * and the IPC buffer and reply (Call) with success or the seL4 error; Recv/NBRecv/Reply/ReplyRecv
 * go to IPC; Yield to the scheduler; the debug calls; anything else is an UnknownSyscall fault.
 * Register rule (docs/abi.md#registers): only x0..x5 ever change, and only the MRs a reply covers.
 */
#include <kaal/cspace.h>
#include <kaal/debug.h>
#include <kaal/fastpath.h>
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/mcs.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/string.h>
#include <kaal/thread.h>

#ifdef CONFIG_KERNEL_MCS
#include "sched_internal.h" /* sched_charge_on_entry */
#endif

/* Write a kernel reply (label, words) into the thread's registers and IPC buffer: x0 = 0 badge,
 * x1 = message info; only MR0..MR(length-1) are written. */
static void reply_from_kernel(struct tcb *t, word_t *buffer, word_t label, const word_t *mrs,
                              word_t length)
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

static COLD void reply_error(struct invocation_ctx *ctx)
{
    word_t mrs[5];
    word_t n = syscall_error_words(&ctx->err, mrs);
    /* Words beyond the registers go through the writable view of the buffer, looked up now (as
     * seL4's replyFromKernel_error does); a register-sized error never needs it. */
    reply_from_kernel(ctx->thread, n > N_MSG_REGISTERS ? inv_reply_buffer(ctx) : NULL,
                      ctx->err.type, mrs, n);
}

/* Restart and Running are both runnable: changing one to the other moves no thread between ready
 * queues, so it is only the state word's type (what thread_set_state would do, without the call).
 */
static inline void set_runnable_state(struct tcb *t, word_t ts_type)
{
    thread_state_ptr_set_ts_type(&t->state, ts_type);
}

/* A successful invocation whose invoker is still Restart (it did not block) completes: a Call gets
 * its reply (x0 = 0, the result words written so far), and the thread is Running again. */
static inline void invocation_done(struct tcb *t, bool is_call, word_t reply_length)
{
    if (thread_state_type(t) == ThreadState_Restart) {
        if (is_call) {
            hal_reg_set(&t->arch, REG_BADGE, 0);
            hal_reg_set(&t->arch, REG_MSG_INFO,
                        seL4_MessageInfo_new(0, 0, 0, reply_length).words[0]);
        }
        set_runnable_state(t, ThreadState_Running);
    }
}

/* handle_invocation's decoder path: every invocation but Send/Signal on an endpoint/notification
 * cap with Send right. Decodes (and performs) the invocation in ctx and completes the system call.
 * Inline in handle_invocation, its one caller: no frame of its own between the system call and
 * the decoder.
 */
static inline __attribute__((always_inline)) exception_t invoke_object(struct invocation_ctx *ctx)
{
    ctx->reply_length = 0;
    ctx->reply_buffer_known = false;
    exception_t status = decode_invocation(ctx);
    struct tcb *t = ctx->thread;
    if (status == EXCEPTION_PREEMPTED) {
        return status;
    }
    if (status == EXCEPTION_SYSCALL_ERROR) {
        if (ctx->is_call) {
            reply_error(ctx);
        }
        set_runnable_state(t, ThreadState_Running);
        return EXCEPTION_NONE;
    }
    if (status == EXCEPTION_FAULT) {
        thread_handle_fault(t);
        return EXCEPTION_NONE;
    }
    invocation_done(t, ctx->is_call, ctx->reply_length);
    return EXCEPTION_NONE;
}

/* A cap lookup of an invocation failed: a blocking one takes a cap fault (send phase); NBSend
 * does nothing. */
static COLD NOINLINE exception_t invocation_lookup_failed(struct tcb *t, cptr_t cptr,
                                                          bool is_blocking,
                                                          const struct lookup_fault *lf)
{
    kuser_error("lookup of cap #%lx for an invocation failed", (unsigned long)cptr);
    if (is_blocking) {
        fault_set_cap_fault(t, cptr, false, lf);
        thread_handle_fault(t);
    }
    return EXCEPTION_NONE;
}

/* The invocation proper starts: the invoker is Restart until it completes (a preempted one runs
 * again from its svc). Send and Signal, the common IPC invocations, are performed here at once
 * (ipc_send_or_signal, what decode_invocation would reach through decode_ipc_invocation) and the
 * call completes: true. False for every other invocation, which the caller gives to invoke_object.
 * buffer: the sender's, as ep_send needs it. */
static inline __attribute__((always_inline)) bool
invoke_send_or_signal(struct tcb *t, cap_t cap, word_t *buffer, bool is_call,
                      bool is_blocking MCS_ARG(bool can_donate))
{
    set_runnable_state(t, ThreadState_Restart);
    if (!ipc_send_or_signal(t, cap, buffer, is_call, is_blocking MCS_ARG(can_donate))) {
        return false;
    }
    invocation_done(t, is_call, 0);
    return true;
}

/* seL4 lookupExtraCaps from extra cap i on, by the general walk: the slots and caps of extra caps
 * [i, n) go into ctx; false (the lookup failure handled) when one cannot be found. Out of line:
 * only a CSpace of more than one level, or a cptr that does not resolve, gets here. */
static NOINLINE bool invocation_extra_caps_walk(struct invocation_ctx *ctx, const word_t *buffer,
                                                word_t i, word_t n)
{
    for (; i < n; i++) {
        cptr_t extra = buffer[KAAL_IPCBUF_CAPS_WORD(i)];
        struct lookup_fault lf;
        if (cspace_lookup_slot_walk(ctx->thread, extra, &ctx->extra_slots[i], &lf) !=
            EXCEPTION_NONE) {
            invocation_lookup_failed(ctx->thread, extra, ctx->is_blocking, &lf);
            return false;
        }
        ctx->extra_caps[i] = ctx->extra_slots[i]->cap;
    }
    ctx->nextra = n;
    return true;
}

/* seL4 lookupExtraCaps: the slots and caps of the n extra caps the buffer names go into ctx; false
 * (the lookup failure handled) when one cannot be found. The usual one-level CSpace inline, with
 * no call in the loop; the first cap it cannot resolve hands the rest to the general walk. */
static inline bool invocation_extra_caps(struct invocation_ctx *ctx, const word_t *buffer, word_t n)
{
#pragma GCC unroll 1 /* one copy of the lookup, not one per possible cap */
    for (word_t i = 0; i < n; i++) {
        if (!cspace_lookup_slot_one_level(ctx->thread, buffer[KAAL_IPCBUF_CAPS_WORD(i)],
                                          &ctx->extra_slots[i])) {
            return invocation_extra_caps_walk(ctx, buffer, i, n);
        }
        ctx->extra_caps[i] = ctx->extra_slots[i]->cap;
    }
    ctx->nextra = n;
    return true;
}

/* handle_invocation for a message with words beyond the registers or extra caps: the buffer
 * (sender view) and the extra caps complete ctx. Without a buffer the message stops at the
 * registers and carries no caps. A Send or Signal is performed here. True when the system call is
 * complete (an extra cap's lookup failed, or the Send or Signal is done); false when ctx is ready
 * for invoke_object. Out of line, so the register-only path stays small. */
static __attribute__((noinline)) bool invoke_with_buffer_done(struct invocation_ctx *ctx,
                                                              seL4_MessageInfo_t info)
{
    struct tcb *t = ctx->thread;
    word_t *buffer = thread_lookup_ipc_buffer(t, false);
    ctx->ipc_buffer = buffer;
    ctx->nextra = 0;
    if (buffer == NULL) {
        ctx->length = MIN(ctx->length, (word_t)N_MSG_REGISTERS);
    } else if (seL4_MessageInfo_get_extraCaps(info) != 0 &&
               !invocation_extra_caps(ctx, buffer, seL4_MessageInfo_get_extraCaps(info))) {
        return true;
    }
    return invoke_send_or_signal(t, ctx->cap, buffer, ctx->is_call,
                                 ctx->is_blocking MCS_ARG(ctx->can_donate));
}

/* Send, NBSend or Call on the cap in x0 (seL4 handleInvocation). A register-only Send or Signal
 * is done at once; every other invocation gets its context, built here once and read by every
 * layer below. Inline: each system call gets its own copy with is_call and is_blocking known.
 * MCS: can_donate (the send may donate the SC), first_phase (the send half of ReplyRecv,
 * NBSendRecv, NBSendWait) and the invoked cptr (x0, x6 or x8) come from the system call. */
static inline __attribute__((always_inline)) exception_t
handle_invocation(bool is_call,
                  bool is_blocking MCS_ARG(bool can_donate, bool first_phase, cptr_t cptr))
{
    struct tcb *t = ks.cur_thread;
    seL4_MessageInfo_t info = {{hal_reg_get(&t->arch, REG_MSG_INFO)}};
#ifndef CONFIG_KERNEL_MCS
    cptr_t cptr = hal_reg_get(&t->arch, REG_CAP);
#endif
    struct lookup_fault lf;
    cte_t *slot;
    if (cspace_lookup_slot(t, cptr, &slot, &lf) != EXCEPTION_NONE) {
        return invocation_lookup_failed(t, cptr, is_blocking, &lf);
    }
    word_t length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);
    bool with_buffer = length > N_MSG_REGISTERS || seL4_MessageInfo_get_extraCaps(info) != 0;
    if (!with_buffer &&
        invoke_send_or_signal(t, slot->cap, NULL, is_call, is_blocking MCS_ARG(can_donate))) {
        return EXCEPTION_NONE;
    }
    struct invocation_ctx ctx;
    ctx.thread = t;
    ctx.slot = slot;
    ctx.cap = slot->cap; /* may be null: decode answers InvalidCapability(0) */
    ctx.is_call = is_call;
    ctx.is_blocking = is_blocking;
#ifdef CONFIG_KERNEL_MCS
    ctx.can_donate = can_donate;
    ctx.first_phase = first_phase;
#endif
    ctx.label = seL4_MessageInfo_get_label(info);
    ctx.length = length;
    if (with_buffer) {
        if (invoke_with_buffer_done(&ctx, info)) {
            return EXCEPTION_NONE;
        }
    } else {
        ctx.ipc_buffer = NULL;
        ctx.nextra = 0;
    }
#ifdef CONFIG_KERNEL_MCS
    /* ReplyRecv's send half, nearly always a Reply: performed here as Send and Signal are (the
     * invoker is Restart already), not through the decoders. Only in the first phase, so that no
     * other system call pays for the test. */
    if (first_phase && ipc_reply_invoke_cap(t, ctx.cap, ctx.ipc_buffer)) {
        invocation_done(t, is_call, 0);
        return EXCEPTION_NONE;
    }
#endif
    return invoke_object(&ctx);
}

#ifdef CONFIG_DEBUG_BUILD
/* DebugNameThread: TCB cap in x0, NUL-terminated name at msg[0] of the caller's IPC buffer.
 * Deviation from seL4: seL4 halts the kernel on a bad cap, a missing IPC buffer or an
 * unterminated name; user input must never stop KaaL, so it prints a diagnostic and ignores the
 * call instead. Changes no register. */
static void debug_name_thread(struct tcb *t)
{
    cptr_t cptr = hal_reg_get(&t->arch, REG_X0);
    cte_t *slot;
    cap_t cap;
    struct lookup_fault lf;
    if (cspace_lookup_cap(t, cptr, &slot, &cap, &lf) != EXCEPTION_NONE ||
        cap_get_cap_type(cap) != cap_thread_cap) {
        kprintf("KaaL: DebugNameThread: cap #%lx is not a TCB cap; ignored\n", (unsigned long)cptr);
        return;
    }
    const word_t *buf = thread_lookup_ipc_buffer(t, true);
    if (buf == NULL) {
        kprintf("KaaL: DebugNameThread: the caller has no IPC buffer; ignored\n");
        return;
    }
    const char *name = (const char *)&buf[KAAL_IPCBUF_MSG_WORD(0)];
    word_t max = seL4_MsgMaxLength * sizeof(word_t);
    if (kstrnlen(name, max) == max) {
        kprintf("KaaL: DebugNameThread: name is not NUL-terminated within %lu bytes; ignored\n",
                (unsigned long)max);
        return;
    }
    struct tcb *target = tcb_from_paddr(cap_thread_cap_get_tcb(cap));
    kstrlcpy(target->name, name, sizeof(target->name));
}
#endif

/* Debug and unknown system calls (numbers outside the API range, [-8, -1]; MCS [-11, -1]). */
static void handle_unknown_syscall(sword_t sysno)
{
    struct tcb *t = ks.cur_thread;
    switch (sysno) {
#ifdef CONFIG_PRINTING
    case seL4_SysDebugPutChar:
        hal_console_putc((char)hal_reg_get(&t->arch, REG_X0));
        return;
    case seL4_SysDebugDumpScheduler:
        sched_debug_dump();
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
    case seL4_SysDebugSnapshot:
        debug_snapshot();
        return;
    case seL4_SysDebugNameThread:
        debug_name_thread(t);
        return;
#endif
    default:
        break;
    }
    t->fault[0] = seL4_Fault_UnknownSyscall;
    t->fault[1] = (word_t)sysno;
    t->fault[2] = 0;
    t->fault[3] = 0;
    thread_handle_fault(t);
}

void kernel_handle_syscall(sword_t sysno)
{
#ifdef CONFIG_FASTPATH
    if ((sysno == seL4_SysCall && fastpath_call()) ||
        (sysno == seL4_SysReplyRecv && fastpath_reply_recv())) {
        return;
    }
#endif
    kernel_handle_syscall_slowpath(sysno);
}

#ifdef CONFIG_KERNEL_MCS
/* The MCS system calls (seL4 handleSyscall with CONFIG_KERNEL_MCS; docs/abi.md#system-calls):
 * the sends as handle_invocation with their donation and first-phase flags and the cap register
 * they name, then the receive half (ipc_handle_recv_mcs) with or without a reply object. With
 * -Dfastpath, Call and ReplyRecv have tried the MCS fastpath first (kernel_handle_syscall). */

/* ReplyRecv, NBSendRecv and NBSendWait: the send half, a non-blocking invocation of the cap in
 * register reg in the first phase (no TCB, CNode, domain, SchedControl or SchedContext cap), then
 * the blocking receive half (is_endpoint: Recv, else Wait). When the send was preempted, the
 * pending interrupt has been taken and the system call will restart, so the receive half does not
 * run. Out of line, so that every case of the system-call switch is a tail call. */
static __attribute__((noinline)) void send_then_receive(word_t reg, bool is_endpoint)
{
    cptr_t cptr = hal_reg_get(&ks.cur_thread->arch, reg);
    if (handle_invocation(false, false, true, true, cptr) == EXCEPTION_PREEMPTED) {
        kernel_handle_pending_interrupt();
        return;
    }
    ipc_handle_recv_mcs(true, is_endpoint);
}

/* Send, NBSend and Call on the cap in x0: Call may donate the caller's SC, Send and NBSend never
 * do. Out of line so the other system calls do not pay for its stack frame. */
static __attribute__((noinline)) void handle_invocation_syscall(sword_t sysno)
{
    exception_t status;
    cptr_t cptr = hal_reg_get(&ks.cur_thread->arch, REG_CAP);
    if (sysno == seL4_SysCall) {
        status = handle_invocation(true, true, true, false, cptr);
    } else if (sysno == seL4_SysSend) {
        status = handle_invocation(false, true, false, false, cptr);
    } else {
        status = handle_invocation(false, false, false, false, cptr);
    }
    if (status == EXCEPTION_PREEMPTED) {
        kernel_handle_pending_interrupt();
    }
}

void kernel_handle_call_slowpath(void)
{
    /* As kernel_handle_syscall_slowpath: charge the time since the last entry first. */
    if (sched_charge_on_entry()) {
        handle_invocation_syscall(seL4_SysCall);
    }
}

/* The MCS system calls after the entry's charge. Inline in both callers below. */
static inline __attribute__((always_inline)) void syscall_dispatch_mcs(sword_t sysno)
{
    switch (sysno) {
    case seL4_SysCall:
    case seL4_SysSend:
    case seL4_SysNBSend:
        handle_invocation_syscall(sysno);
        return;
    case seL4_SysReplyRecv:
        send_then_receive(REG_REPLY, true);
        return;
    case seL4_SysNBSendRecv:
        send_then_receive(REG_NBSEND_RECV_DEST, true);
        return;
    case seL4_SysNBSendWait:
        send_then_receive(REG_REPLY, false);
        return;
    case seL4_SysRecv:
        ipc_handle_recv_mcs(true, true);
        return;
    case seL4_SysNBRecv:
        ipc_handle_recv_mcs(false, true);
        return;
    case seL4_SysWait:
        ipc_handle_recv_mcs(true, false);
        return;
    case seL4_SysNBWait:
        ipc_handle_recv_mcs(false, false);
        return;
    case seL4_SysYield:
        sched_handle_yield();
        return;
    default:
        handle_unknown_syscall(sysno);
        return;
    }
}

/* An entry whose SC could not pay at once: charged (maybe a timeout fault or the end of the
 * thread's turn); the system call runs only if the budget still allows it, else it restarts later
 * (mcs-sc). Out of line and with its own copy of the dispatch, so that the usual entry below makes
 * only tail calls and needs no stack frame. */
static __attribute__((noinline, cold)) void syscall_budget_short(sword_t sysno)
{
    if (sched_entry_budget_short()) {
        syscall_dispatch_mcs(sysno);
    }
}

void kernel_handle_syscall_slowpath(sword_t sysno)
{
    /* Charge the time since the last entry first (mcs_charge_on_entry, inline). */
    if (!sched_charge_on_entry_paid()) {
        syscall_budget_short(sysno);
        return;
    }
    syscall_dispatch_mcs(sysno);
}

#else  /* base configuration */

/* Call, and Send or NBSend: each with an inline copy of handle_invocation (Send and NBSend share
 * one: they differ only in whether a send blocks). Out of line so the other system calls do not
 * pay for their stack frames. */
static __attribute__((noinline)) void handle_call(void)
{
    if (handle_invocation(true, true) == EXCEPTION_PREEMPTED) {
        kernel_handle_pending_interrupt();
    }
}

static __attribute__((noinline)) void handle_send(bool is_blocking)
{
    if (handle_invocation(false, is_blocking) == EXCEPTION_PREEMPTED) {
        kernel_handle_pending_interrupt();
    }
}

void kernel_handle_call_slowpath(void) { handle_call(); }

void kernel_handle_syscall_slowpath(sword_t sysno)
{
    switch (sysno) {
    case seL4_SysCall:
        handle_call();
        return;
    case seL4_SysSend:
    case seL4_SysNBSend:
        handle_send(sysno == seL4_SysSend);
        return;
    case seL4_SysRecv:
        ipc_handle_recv(true);
        return;
    case seL4_SysNBRecv:
        ipc_handle_recv(false);
        return;
    case seL4_SysReply:
        ipc_handle_reply();
        return;
    case seL4_SysReplyRecv:
        ipc_handle_reply();
        ipc_handle_recv(true);
        return;
    case seL4_SysYield:
        sched_handle_yield();
        return;
    default:
        handle_unknown_syscall(sysno);
        return;
    }
}
#endif /* CONFIG_KERNEL_MCS */
