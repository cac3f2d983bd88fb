/* SPDX-License-Identifier: BSD-2-Clause */
/* TCB invocations (labels 2-16): registers, configuration, priorities, suspend/resume, notification
 * binding, TLS base and flags, decoded in seL4's order of checks so each bad call gets seL4's
 * error and words. */
#include <kaal/cdt.h>
#include <kaal/kernel.h>
#include <kaal/mcs.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

/* seL4_UserContext order (docs/abi.md#user-context): the "frame" set, then the "gp" set. */
static const enum user_reg frame_regs[] = {
    REG_FAULT_IP, REG_SP, REG_SPSR, REG_X0,  REG_X1,  REG_X2,  REG_X3,  REG_X4,  REG_X5,
    REG_X6,       REG_X7, REG_X8,   REG_X16, REG_X17, REG_X18, REG_X29, REG_X30,
};
static const enum user_reg gp_regs[] = {
    REG_X9,  REG_X10, REG_X11, REG_X12, REG_X13, REG_X14, REG_X15, REG_X19,   REG_X20,     REG_X21,
    REG_X22, REG_X23, REG_X24, REG_X25, REG_X26, REG_X27, REG_X28, REG_TPIDR, REG_TPIDRRO,
};
#define N_FRAME_REGS ARRAY_SIZE(frame_regs)
#define N_GP_REGS ARRAY_SIZE(gp_regs)
#define N_CONTEXT_REGS (N_FRAME_REGS + N_GP_REGS)
_Static_assert(N_FRAME_REGS == 17 && N_GP_REGS == 19, "seL4_UserContext is 17 frame + 19 gp words");
_Static_assert(sizeof(seL4_UserContext) == N_CONTEXT_REGS * sizeof(word_t),
               "one word per register");

/* UserContext index i -> kernel register. */
static enum user_reg context_reg(word_t i)
{
    kassert(i < N_CONTEXT_REGS);
    return i < N_FRAME_REGS ? frame_regs[i] : gp_regs[i - N_FRAME_REGS];
}

/* A value user code writes into a register: SPSR as user_spsr_sanitise (<hal/regs.h>) says. */
static word_t sanitise_register(enum user_reg r, word_t v)
{
    return r == REG_SPSR ? user_spsr_sanitise(v) : v;
}

/* The restart PC becomes the resume point (seL4 setNextPC(getRestartPC())). */
static void next_ip_from_fault_ip(struct tcb *t)
{
    hal_reg_set(&t->arch, REG_NEXT_IP, hal_reg_get(&t->arch, REG_FAULT_IP));
}

/* INV_TRUNCATED as a function: several TCB labels take no words or no caps. */
static bool msg_truncated(const struct invocation_ctx *ctx, word_t length, word_t ncaps)
{
    return ctx->length < length || ctx->nextra < ncaps;
}
#define TRUNCATED(ctx, inv) msg_truncated((ctx), KAAL_INV_##inv##_LEN, KAAL_INV_##inv##_NCAPS)

static struct tcb *invoked_tcb(const struct invocation_ctx *ctx)
{
    return tcb_from_paddr(cap_thread_cap_get_tcb(ctx->cap));
}

/* ---- perform: arguments are valid; only preemption (slot deletion) can interrupt ----------- */

static exception_t perform_tcb_read_registers(struct invocation_ctx *ctx, struct tcb *src,
                                              bool suspend_source, word_t count)
{
    if (suspend_source) {
        thread_suspend(src);
    }
    for (word_t i = 0; i < count; i++) {
        inv_set_result(ctx, i, hal_reg_get(&src->arch, context_reg(i)));
    }
    return EXCEPTION_NONE;
}

static exception_t perform_tcb_write_registers(struct invocation_ctx *ctx, struct tcb *dest,
                                               bool resume_target, word_t count)
{
    count = MIN(count, (word_t)N_CONTEXT_REGS);
    for (word_t i = 0; i < count; i++) {
        enum user_reg r = context_reg(i);
        hal_reg_set(&dest->arch, r,
                    sanitise_register(r, inv_arg(ctx, KAAL_ARG_TCBWriteRegisters_regs_WORD + i)));
    }
    next_ip_from_fault_ip(dest);
    if (resume_target) {
        thread_restart(dest);
    }
    if (dest == ks.cur_thread) {
        sched_reschedule_required();
    }
    return EXCEPTION_NONE;
}

static exception_t perform_tcb_copy_registers(struct tcb *dest, struct tcb *src,
                                              bool suspend_source, bool resume_target,
                                              bool transfer_frame, bool transfer_integer)
{
    if (suspend_source) {
        thread_suspend(src);
    }
    if (resume_target) {
        thread_restart(dest);
    }
    if (transfer_frame) {
        for (word_t i = 0; i < N_FRAME_REGS; i++) {
            hal_reg_set(&dest->arch, frame_regs[i], hal_reg_get(&src->arch, frame_regs[i]));
        }
        next_ip_from_fault_ip(dest);
    }
    if (transfer_integer) {
        for (word_t i = 0; i < N_GP_REGS; i++) {
            hal_reg_set(&dest->arch, gp_regs[i], hal_reg_get(&src->arch, gp_regs[i]));
        }
    }
    if (dest == ks.cur_thread) {
        sched_reschedule_required();
    }
    return EXCEPTION_NONE;
}

/* What a Configure / SetSpace / SetIPCBuffer / SetPriority... changes (seL4 ThreadControl). */
struct thread_control {
    bool update_space, update_buffer, update_mcp, update_priority;
#ifdef CONFIG_KERNEL_MCS
    bool update_fault, update_timeout, update_sc;
    cap_t fault_cap, timeout_cap; /* the handler caps to copy into the TCB (null: none) */
    cte_t *fault_src, *timeout_src;
    struct sched_context *sc; /* update_sc: the SC to bind, or NULL to unbind the thread's */
#else
    word_t fault_ep;
#endif
    cap_t cspace_cap, vspace_cap, buffer_cap;
    cte_t *cspace_src, *vspace_src, *buffer_src; /* buffer_src NULL: no buffer cap */
    word_t buffer;
    word_t mcp, priority;
};

/* Replace the cap in one of target's slots with new_cap derived from src, provided the source still
 * holds that object and the invoked TCB cap still exists after the old cap's deletion (which can
 * run finalisers that remove either). */
static exception_t install_tcb_cap(struct invocation_ctx *ctx, struct tcb *target, word_t index,
                                   cap_t new_cap, cte_t *src)
{
    cte_t *slot = &target->ctes[index];
    exception_t status = cte_delete(slot, true);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    if (src != NULL && cap_same_object_as(new_cap, src->cap) &&
        cap_same_object_as(ctx->cap, ctx->slot->cap)) {
        cte_insert(new_cap, src, slot);
    }
    return EXCEPTION_NONE;
}

static exception_t perform_tcb_thread_control(struct invocation_ctx *ctx, struct tcb *target,
                                              const struct thread_control *tc)
{
    exception_t status;
#ifdef CONFIG_KERNEL_MCS
    if (tc->update_fault) {
        status = install_tcb_cap(ctx, target, TCB_FAULT_HANDLER, tc->fault_cap, tc->fault_src);
        if (status != EXCEPTION_NONE) {
            return status;
        }
    }
    if (tc->update_timeout) {
        status =
            install_tcb_cap(ctx, target, TCB_TIMEOUT_HANDLER, tc->timeout_cap, tc->timeout_src);
        if (status != EXCEPTION_NONE) {
            return status;
        }
    }
#else
    if (tc->update_space) {
        target->fault_handler = tc->fault_ep;
    }
#endif
    if (tc->update_mcp) {
        target->mcp = tc->mcp;
    }
    if (tc->update_space) {
        status = install_tcb_cap(ctx, target, TCB_CTABLE, tc->cspace_cap, tc->cspace_src);
        if (status != EXCEPTION_NONE) {
            return status;
        }
        status = install_tcb_cap(ctx, target, TCB_VTABLE, tc->vspace_cap, tc->vspace_src);
        if (status != EXCEPTION_NONE) {
            return status;
        }
    }
    if (tc->update_buffer) {
        status = cte_delete(&target->ctes[TCB_BUFFER], true);
        if (status != EXCEPTION_NONE) {
            return status;
        }
        target->ipc_buffer = tc->buffer;
        if (tc->buffer_src != NULL && cap_same_object_as(tc->buffer_cap, tc->buffer_src->cap) &&
            cap_same_object_as(ctx->cap, ctx->slot->cap)) {
            cte_insert(tc->buffer_cap, tc->buffer_src, &target->ctes[TCB_BUFFER]);
        }
        if (target == ks.cur_thread) {
            sched_reschedule_required();
        }
    }
    if (tc->update_priority) {
        sched_set_priority(target, tc->priority);
    }
#ifdef CONFIG_KERNEL_MCS
    if (tc->update_sc) {
        if (tc->sc != NULL && tc->sc != target->sched_context) {
            sched_context_bind_tcb(tc->sc, target);
        } else if (tc->sc == NULL && target->sched_context != NULL) {
            sched_context_unbind_tcb(target->sched_context);
        }
    }
#endif
    return EXCEPTION_NONE;
}

static exception_t perform_tcb_bind_notification(struct tcb *t, notification_t *ntfn)
{
    ntfn_bind(ntfn, t);
    return EXCEPTION_NONE;
}

static exception_t perform_tcb_set_tls_base(struct tcb *t, word_t base)
{
    hal_reg_set(&t->arch, REG_TPIDR, base);
    if (t == ks.cur_thread) {
        sched_reschedule_required();
    }
    return EXCEPTION_NONE;
}

static exception_t perform_tcb_set_flags(struct invocation_ctx *ctx, struct tcb *t, word_t clear,
                                         word_t set)
{
    t->flags = (t->flags & ~clear) | (set & seL4_TCBFlag_MASK);
    inv_set_result(ctx, 0, t->flags);
    return EXCEPTION_NONE;
}

/* ---- decode -------------------------------------------------------------------------------- */

static exception_t decode_tcb_read_registers(struct invocation_ctx *ctx)
{
    if (TRUNCATED(ctx, TCBReadRegisters)) {
        kuser_error("TCB ReadRegisters: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    bool suspend_source = INV_BITS(ctx, TCBReadRegisters, suspend_source);
    word_t count = INV_WORD(ctx, TCBReadRegisters, count);
    if (count < 1 || count > N_CONTEXT_REGS) {
        kuser_error("TCB ReadRegisters: %lu registers requested", (unsigned long)count);
        return syscall_error_range(ctx, 1, N_CONTEXT_REGS);
    }
    struct tcb *src = invoked_tcb(ctx);
    if (src == ctx->thread) {
        kuser_error("TCB ReadRegisters: a thread cannot read its own registers");
        return syscall_error_illegal_operation(ctx);
    }
    return perform_tcb_read_registers(ctx, src, suspend_source, count);
}

static exception_t decode_tcb_write_registers(struct invocation_ctx *ctx)
{
    if (ctx->length < KAAL_ARG_TCBWriteRegisters_regs_WORD) {
        kuser_error("TCB WriteRegisters: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    bool resume_target = INV_BITS(ctx, TCBWriteRegisters, resume_target);
    word_t count = INV_WORD(ctx, TCBWriteRegisters, count);
    /* seL4 compares the count before clamping it to the context size. */
    if (ctx->length - KAAL_ARG_TCBWriteRegisters_regs_WORD < count) {
        kuser_error("TCB WriteRegisters: message too short for %lu registers",
                    (unsigned long)count);
        return syscall_error_truncated_message(ctx);
    }
    struct tcb *dest = invoked_tcb(ctx);
    if (dest == ctx->thread) {
        kuser_error("TCB WriteRegisters: a thread cannot write its own registers");
        return syscall_error_illegal_operation(ctx);
    }
    return perform_tcb_write_registers(ctx, dest, resume_target, count);
}

static exception_t decode_tcb_copy_registers(struct invocation_ctx *ctx)
{
    if (TRUNCATED(ctx, TCBCopyRegisters)) {
        kuser_error("TCB CopyRegisters: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    cap_t src_cap = ctx->extra_caps[KAAL_CAP_TCBCopyRegisters_source];
    if (cap_get_cap_type(src_cap) != cap_thread_cap) {
        kuser_error("TCB CopyRegisters: the source is not a TCB cap");
        return syscall_error_invalid_capability(ctx, 1);
    }
    return perform_tcb_copy_registers(invoked_tcb(ctx),
                                      tcb_from_paddr(cap_thread_cap_get_tcb(src_cap)),
                                      INV_BITS(ctx, TCBCopyRegisters, suspend_source),
                                      INV_BITS(ctx, TCBCopyRegisters, resume_target),
                                      INV_BITS(ctx, TCBCopyRegisters, transfer_frame),
                                      INV_BITS(ctx, TCBCopyRegisters, transfer_integer));
}

/* seL4 checkValidIPCBuffer (AArch64): a non-device frame cap, and a 1 KiB aligned address. */
static exception_t check_ipc_buffer(struct invocation_ctx *ctx, word_t vaddr, cap_t cap)
{
    if (cap_get_cap_type(cap) != cap_frame_cap) {
        kuser_error("TCB: the IPC buffer cap is not a frame cap");
        return syscall_error_illegal_operation(ctx);
    }
    if (cap_frame_cap_get_is_device(cap)) {
        kuser_error("TCB: the IPC buffer cannot be device memory");
        return syscall_error_illegal_operation(ctx);
    }
    if (!IS_ALIGNED(vaddr, seL4_IPCBufferSizeBits)) {
        kuser_error("TCB: the IPC buffer address %lx is not 1 KiB aligned", (unsigned long)vaddr);
        return syscall_error_alignment(ctx);
    }
    return EXCEPTION_NONE;
}

/* The buffer part of Configure / SetIPCBuffer: vaddr 0 means none (the cap is then ignored). */
static exception_t decode_buffer(struct invocation_ctx *ctx, word_t vaddr, cte_t *src,
                                 struct thread_control *tc)
{
    tc->update_buffer = true;
    tc->buffer = vaddr;
    tc->buffer_src = NULL;
    if (vaddr == 0) {
        return EXCEPTION_NONE;
    }
    exception_t status = cap_derive(src, src->cap, &tc->buffer_cap, &ctx->err);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    status = check_ipc_buffer(ctx, vaddr, tc->buffer_cap);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    tc->buffer_src = src;
    return EXCEPTION_NONE;
}

/* seL4 slotCapLongRunningDelete: would deleting the cap in slot run a long finaliser? */
static bool slot_long_running_delete(const cte_t *slot)
{
    word_t type = cap_get_cap_type(slot->cap);
    if (type == cap_null_cap || !cdt_is_final_cap(slot)) {
        return false;
    }
    return type == cap_thread_cap || type == cap_zombie_cap || type == cap_cnode_cap;
}

#ifdef CONFIG_KERNEL_MCS
/* seL4 validFaultHandler: a fault or timeout handler is a null cap (none) or an endpoint cap with
 * Write and Grant or GrantReply. */
static bool valid_fault_handler(cap_t cap)
{
    switch (cap_get_cap_type(cap)) {
    case cap_null_cap:
        return true;
    case cap_endpoint_cap:
        return cap_endpoint_cap_get_can_send(cap) &&
               (cap_endpoint_cap_get_can_grant(cap) || cap_endpoint_cap_get_can_grant_reply(cap));
    default:
        return false;
    }
}

/* seL4 isBlocked: waiting on an endpoint, a notification or a reply. */
static bool tcb_is_blocked(const struct tcb *t)
{
    switch (thread_state_type(t)) {
    case ThreadState_BlockedOnReceive:
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnNotification:
    case ThreadState_BlockedOnReply:
        return true;
    default:
        return false;
    }
}

/* The scheduling-context part of MCS SetSchedParams (cap1): the SC to bind, or a null cap to
 * unbind the thread's; seL4's checks in its order. */
static exception_t decode_sched_params_sc(struct invocation_ctx *ctx, struct tcb *target,
                                          struct thread_control *tc)
{
    cap_t sc_cap = ctx->extra_caps[KAAL_CAP_TCBSetSchedParams_sched_context];
    switch (cap_get_cap_type(sc_cap)) {
    case cap_sched_context_cap: {
        struct sched_context *sc = sc_from_paddr(cap_sched_context_cap_get_ptr(sc_cap));
        if (sc != target->sched_context) {
            if (target->sched_context != NULL) {
                kuser_error("TCB SetSchedParams: the TCB already has a scheduling context");
                return syscall_error_illegal_operation(ctx);
            }
            if (sc->tcb != NULL) {
                kuser_error("TCB SetSchedParams: the scheduling context has another TCB");
                return syscall_error_illegal_operation(ctx);
            }
            if (tcb_is_blocked(target) && !sc_released(sc)) {
                kuser_error("TCB SetSchedParams: blocked TCB and an SC that is not released");
                return syscall_error_illegal_operation(ctx);
            }
        }
        tc->sc = sc;
        break;
    }
    case cap_null_cap:
        if (target == ctx->thread) {
            kuser_error("TCB SetSchedParams: a thread cannot unbind its own SC");
            return syscall_error_illegal_operation(ctx);
        }
        tc->sc = NULL;
        break;
    default:
        kuser_error("TCB SetSchedParams: cap1 is not a scheduling-context cap");
        return syscall_error_invalid_capability(ctx, 2);
    }
    tc->update_sc = true;
    return EXCEPTION_NONE;
}

/* MCS TCB_SetTimeoutEndpoint: cap0 is the timeout handler (null: none). */
static exception_t decode_tcb_set_timeout_endpoint(struct invocation_ctx *ctx)
{
    if (TRUNCATED(ctx, TCBSetTimeoutEndpoint)) {
        kuser_error("TCB SetTimeoutEndpoint: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    cte_t *src = ctx->extra_slots[KAAL_CAP_TCBSetTimeoutEndpoint_timeout_fault_ep];
    if (!valid_fault_handler(src->cap)) {
        kuser_error("TCB SetTimeoutEndpoint: not a valid endpoint cap");
        return syscall_error_invalid_capability(ctx, 1);
    }
    struct thread_control tc = {0};
    tc.update_timeout = true;
    tc.timeout_cap = src->cap;
    tc.timeout_src = src;
    return perform_tcb_thread_control(ctx, invoked_tcb(ctx), &tc);
}
#endif

/* The space part of Configure / SetSpace: the CNode (with its guard data) and the VSpace. */
static exception_t decode_space(struct invocation_ctx *ctx, word_t cspace_data, word_t vspace_data,
                                cte_t *cspace_src, cte_t *vspace_src, struct thread_control *tc)
{
    struct tcb *target = invoked_tcb(ctx);
    if (slot_long_running_delete(&target->ctes[TCB_CTABLE]) ||
        slot_long_running_delete(&target->ctes[TCB_VTABLE])) {
        kuser_error("TCB: the thread's CSpace or VSpace is being deleted");
        return syscall_error_illegal_operation(ctx);
    }
    cap_t cspace = cspace_src->cap;
    if (cspace_data != 0) {
        cspace = cap_update_data(false, cspace_data, cspace);
    }
    exception_t status = cap_derive(cspace_src, cspace, &tc->cspace_cap, &ctx->err);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    if (cap_get_cap_type(tc->cspace_cap) != cap_cnode_cap) {
        kuser_error("TCB: the CSpace root is not a valid CNode cap");
        return syscall_error_illegal_operation(ctx);
    }
    cap_t vspace = vspace_src->cap;
    if (vspace_data != 0) {
        vspace = cap_update_data(false, vspace_data, vspace);
    }
    status = cap_derive(vspace_src, vspace, &tc->vspace_cap, &ctx->err);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    if (cap_get_cap_type(tc->vspace_cap) != cap_vspace_cap ||
        !cap_vspace_cap_get_is_mapped(tc->vspace_cap)) {
        kuser_error("TCB: the VSpace root is not a VSpace cap with an ASID");
        return syscall_error_illegal_operation(ctx);
    }
    tc->update_space = true;
    tc->cspace_src = cspace_src;
    tc->vspace_src = vspace_src;
    return EXCEPTION_NONE;
}

static exception_t decode_tcb_configure(struct invocation_ctx *ctx)
{
    if (TRUNCATED(ctx, TCBConfigure)) {
        kuser_error("TCB Configure: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    struct thread_control tc = {0};
    exception_t status = decode_buffer(ctx, INV_WORD(ctx, TCBConfigure, buffer),
                                       ctx->extra_slots[KAAL_CAP_TCBConfigure_bufferFrame], &tc);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    status = decode_space(ctx, INV_WORD(ctx, TCBConfigure, cspace_root_data),
                          INV_WORD(ctx, TCBConfigure, vspace_root_data),
                          ctx->extra_slots[KAAL_CAP_TCBConfigure_cspace_root],
                          ctx->extra_slots[KAAL_CAP_TCBConfigure_vspace_root], &tc);
    if (status != EXCEPTION_NONE) {
        return status;
    }
#ifndef CONFIG_KERNEL_MCS /* MCS Configure sets no fault handler */
    tc.fault_ep = INV_WORD(ctx, TCBConfigure, fault_ep);
#endif
    return perform_tcb_thread_control(ctx, invoked_tcb(ctx), &tc);
}

static exception_t decode_tcb_set_space(struct invocation_ctx *ctx)
{
    if (TRUNCATED(ctx, TCBSetSpace)) {
        kuser_error("TCB SetSpace: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    struct thread_control tc = {0};
    exception_t status = decode_space(ctx, INV_WORD(ctx, TCBSetSpace, cspace_root_data),
                                      INV_WORD(ctx, TCBSetSpace, vspace_root_data),
                                      ctx->extra_slots[KAAL_CAP_TCBSetSpace_cspace_root],
                                      ctx->extra_slots[KAAL_CAP_TCBSetSpace_vspace_root], &tc);
    if (status != EXCEPTION_NONE) {
        return status;
    }
#ifdef CONFIG_KERNEL_MCS
    /* MCS: the fault handler is cap0, checked after the space (seL4's order). */
    cte_t *fault_src = ctx->extra_slots[KAAL_CAP_TCBSetSpace_fault_ep];
    if (!valid_fault_handler(fault_src->cap)) {
        kuser_error("TCB SetSpace: the fault handler is not a valid endpoint cap");
        return syscall_error_invalid_capability(ctx, 1);
    }
    tc.update_fault = true;
    tc.fault_cap = fault_src->cap;
    tc.fault_src = fault_src;
#else
    tc.fault_ep = INV_WORD(ctx, TCBSetSpace, fault_ep);
#endif
    return perform_tcb_thread_control(ctx, invoked_tcb(ctx), &tc);
}

static exception_t decode_tcb_set_ipc_buffer(struct invocation_ctx *ctx)
{
    if (TRUNCATED(ctx, TCBSetIPCBuffer)) {
        kuser_error("TCB SetIPCBuffer: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    struct thread_control tc = {0};
    exception_t status = decode_buffer(ctx, INV_WORD(ctx, TCBSetIPCBuffer, buffer),
                                       ctx->extra_slots[KAAL_CAP_TCBSetIPCBuffer_bufferFrame], &tc);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    return perform_tcb_thread_control(ctx, invoked_tcb(ctx), &tc);
}

/* seL4 checkPrio: a priority or MCP may not exceed the authority's MCP (which is <= 255, so any
 * word above seL4_MaxPrio fails here too). */
static exception_t check_prio(struct invocation_ctx *ctx, word_t prio, cap_t auth_cap)
{
    const struct tcb *auth = tcb_from_paddr(cap_thread_cap_get_tcb(auth_cap));
    kassert(auth->mcp <= seL4_MaxPrio);
    if (prio > auth->mcp) {
        kuser_error("TCB: priority %lu above the authority's MCP %lu", (unsigned long)prio,
                    (unsigned long)auth->mcp);
        return syscall_error_range(ctx, seL4_MinPrio, auth->mcp);
    }
    return EXCEPTION_NONE;
}

static exception_t decode_tcb_set_priorities(struct invocation_ctx *ctx)
{
    struct thread_control tc = {0};
    exception_t status;
    switch (ctx->label) {
    case TCBSetPriority:
        if (TRUNCATED(ctx, TCBSetPriority)) {
            return syscall_error_truncated_message(ctx);
        }
        tc.update_priority = true;
        tc.priority = INV_WORD(ctx, TCBSetPriority, priority);
        break;
    case TCBSetMCPriority:
        if (TRUNCATED(ctx, TCBSetMCPriority)) {
            return syscall_error_truncated_message(ctx);
        }
        tc.update_mcp = true;
        tc.mcp = INV_WORD(ctx, TCBSetMCPriority, mcp);
        break;
    default: /* TCBSetSchedParams */
        if (TRUNCATED(ctx, TCBSetSchedParams)) {
            return syscall_error_truncated_message(ctx);
        }
        tc.update_mcp = tc.update_priority = true;
        tc.mcp = INV_WORD(ctx, TCBSetSchedParams, mcp);
        tc.priority = INV_WORD(ctx, TCBSetSchedParams, priority);
        break;
    }
    cap_t auth = ctx->extra_caps[0]; /* the authority is cap0 for all three */
    if (cap_get_cap_type(auth) != cap_thread_cap) {
        kuser_error("TCB: the authority cap is not a TCB cap");
        return syscall_error_invalid_capability(ctx, 1);
    }
    if (tc.update_mcp && (status = check_prio(ctx, tc.mcp, auth)) != EXCEPTION_NONE) {
        return status;
    }
    if (tc.update_priority && (status = check_prio(ctx, tc.priority, auth)) != EXCEPTION_NONE) {
        return status;
    }
#ifdef CONFIG_KERNEL_MCS
    if (ctx->label == TCBSetSchedParams) {
        status = decode_sched_params_sc(ctx, invoked_tcb(ctx), &tc);
        if (status != EXCEPTION_NONE) {
            return status;
        }
        cte_t *fault_src = ctx->extra_slots[KAAL_CAP_TCBSetSchedParams_fault_ep];
        if (!valid_fault_handler(fault_src->cap)) {
            kuser_error("TCB SetSchedParams: the fault handler is not a valid endpoint cap");
            return syscall_error_invalid_capability(ctx, 3);
        }
        tc.update_fault = true;
        tc.fault_cap = fault_src->cap;
        tc.fault_src = fault_src;
    }
#endif
    return perform_tcb_thread_control(ctx, invoked_tcb(ctx), &tc);
}

static exception_t decode_tcb_bind_notification(struct invocation_ctx *ctx)
{
    if (TRUNCATED(ctx, TCBBindNotification)) {
        kuser_error("TCB BindNotification: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    struct tcb *t = invoked_tcb(ctx);
    if (t->bound_notification != 0) {
        kuser_error("TCB BindNotification: the TCB already has a bound notification");
        return syscall_error_illegal_operation(ctx);
    }
    cap_t ntfn_cap = ctx->extra_caps[KAAL_CAP_TCBBindNotification_notification];
    if (cap_get_cap_type(ntfn_cap) != cap_notification_cap) {
        kuser_error("TCB BindNotification: not a notification cap");
        return syscall_error_illegal_operation(ctx);
    }
    if (!cap_notification_cap_get_can_receive(ntfn_cap)) {
        kuser_error("TCB BindNotification: the notification cap has no Read right");
        return syscall_error_illegal_operation(ctx);
    }
    notification_t *ntfn = PTOV(notification_t, cap_notification_cap_get_ptr(ntfn_cap));
    if (notification_get_queue_head(*ntfn) != 0 || notification_get_bound_tcb(*ntfn) != 0) {
        kuser_error("TCB BindNotification: the notification has waiters or is bound already");
        return syscall_error_illegal_operation(ctx);
    }
    return perform_tcb_bind_notification(t, ntfn);
}

static exception_t decode_tcb_unbind_notification(struct invocation_ctx *ctx)
{
    struct tcb *t = invoked_tcb(ctx);
    if (t->bound_notification == 0) {
        kuser_error("TCB UnbindNotification: the TCB has no bound notification");
        return syscall_error_illegal_operation(ctx);
    }
    tcb_unbind_notification(t);
    return EXCEPTION_NONE;
}

exception_t decode_tcb_invocation(struct invocation_ctx *ctx)
{
    struct tcb *t = invoked_tcb(ctx);
    switch (ctx->label) {
    case TCBReadRegisters:
        return decode_tcb_read_registers(ctx);
    case TCBWriteRegisters:
        return decode_tcb_write_registers(ctx);
    case TCBCopyRegisters:
        return decode_tcb_copy_registers(ctx);
    case TCBConfigure:
        return decode_tcb_configure(ctx);
    case TCBSetPriority:
    case TCBSetMCPriority:
    case TCBSetSchedParams:
        return decode_tcb_set_priorities(ctx);
    case TCBSetIPCBuffer:
        return decode_tcb_set_ipc_buffer(ctx);
    case TCBSetSpace:
        return decode_tcb_set_space(ctx);
#ifdef CONFIG_KERNEL_MCS
    case TCBSetTimeoutEndpoint:
        return decode_tcb_set_timeout_endpoint(ctx);
#endif
    case TCBSuspend:
        thread_suspend(t);
        return EXCEPTION_NONE;
    case TCBResume:
        thread_restart(t);
        return EXCEPTION_NONE;
    case TCBBindNotification:
        return decode_tcb_bind_notification(ctx);
    case TCBUnbindNotification:
        return decode_tcb_unbind_notification(ctx);
    case TCBSetTLSBase:
        if (TRUNCATED(ctx, TCBSetTLSBase)) {
            kuser_error("TCB SetTLSBase: truncated message");
            return syscall_error_truncated_message(ctx);
        }
        return perform_tcb_set_tls_base(t, INV_WORD(ctx, TCBSetTLSBase, tls_base));
    case TCBSetFlags:
        if (TRUNCATED(ctx, TCBSetFlags)) {
            kuser_error("TCB SetFlags: truncated message");
            return syscall_error_truncated_message(ctx);
        }
        return perform_tcb_set_flags(ctx, t, INV_WORD(ctx, TCBSetFlags, clear),
                                     INV_WORD(ctx, TCBSetFlags, set));
    default:
        kuser_error("TCB: illegal operation (label %lu)", (unsigned long)ctx->label);
        return syscall_error_illegal_operation(ctx);
    }
}
