/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC: message and cap transfer between threads, reply caps, and the Send/Call/Recv/Reply
 * decoding of endpoint, notification and reply caps (seL4 non-MCS semantics). */
#include <kaal/cdt.h>
#include <kaal/cspace.h>
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/mcs.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/thread.h>

/* ---- message registers ------------------------------------------------------------------- */

word_t ipc_set_mr(struct tcb *t, word_t *buf, word_t i, word_t value)
{
    if (i < N_MSG_REGISTERS) {
        hal_reg_set(&t->arch, REG_MR0 + i, value);
        return i + 1;
    }
    if (buf == NULL) {
        return N_MSG_REGISTERS;
    }
    buf[KAAL_IPCBUF_MSG_WORD(i)] = value;
    return i + 1;
}

/* seL4 copyMRs: MR0..3 register to register, the rest buffer to buffer only when both threads
 * have one. Returns how many words were delivered. */
static word_t copy_mrs(struct tcb *sender, const word_t *sbuf, struct tcb *receiver, word_t *rbuf,
                       word_t n)
{
    _Static_assert(N_MSG_REGISTERS == 4, "copy_mrs copies the message registers one by one");
    /* Only the registers the message covers change (docs/abi.md#registers). */
    switch (MIN(n, (word_t)N_MSG_REGISTERS)) {
    case 4:
        hal_reg_set(&receiver->arch, REG_MR0 + 3, hal_reg_get(&sender->arch, REG_MR0 + 3));
        /* fall through */
    case 3:
        hal_reg_set(&receiver->arch, REG_MR0 + 2, hal_reg_get(&sender->arch, REG_MR0 + 2));
        /* fall through */
    case 2:
        hal_reg_set(&receiver->arch, REG_MR0 + 1, hal_reg_get(&sender->arch, REG_MR0 + 1));
        /* fall through */
    case 1:
        hal_reg_set(&receiver->arch, REG_MR0, hal_reg_get(&sender->arch, REG_MR0));
        /* fall through */
    default:
        break;
    }
    if (n <= N_MSG_REGISTERS) {
        return n;
    }
    if (sbuf == NULL || rbuf == NULL) {
        return N_MSG_REGISTERS;
    }
    for (word_t i = N_MSG_REGISTERS; i < n; i++) {
        rbuf[KAAL_IPCBUF_MSG_WORD(i)] = sbuf[KAAL_IPCBUF_MSG_WORD(i)];
    }
    return n;
}

/* ---- cap transfer ------------------------------------------------------------------------ */

/* The sender's extra cap slots named in its buffer; stops at the first lookup failure (the
 * transfer then carries no caps at all, as seL4's doNormalTransfer does). Returns the count. */
static COLD word_t lookup_extra_caps(struct tcb *sender, const word_t *sbuf, word_t n,
                                     cte_t *slots[])
{
    if (sbuf == NULL) {
        return 0;
    }
    for (word_t i = 0; i < n; i++) {
        struct lookup_fault lf;
        if (cspace_lookup_slot(sender, sbuf[KAAL_IPCBUF_CAPS_WORD(i)], &slots[i], &lf) !=
            EXCEPTION_NONE) {
            return 0;
        }
    }
    return n;
}

/* seL4 getReceiveSlots: the empty slot the receiver named for one incoming cap, or NULL. */
static COLD cte_t *receive_slot(struct tcb *receiver, const word_t *rbuf)
{
    cte_t *slot;
    cap_t cnode;
    struct lookup_fault lf;
    if (cspace_lookup_cap(receiver, rbuf[KAAL_IPCBUF_RECV_CNODE_WORD], &slot, &cnode, &lf) !=
        EXCEPTION_NONE) {
        return NULL;
    }
    /* The same checks as a CNode-op slot argument; the error words themselves are not used (the
     * lookup writes only scratch.err). */
    struct invocation_ctx scratch;
    scratch.thread = receiver;
    cte_t *dest;
    if (cspace_lookup_slot_for_cnode_op(&scratch, false, cnode, rbuf[KAAL_IPCBUF_RECV_INDEX_WORD],
                                        rbuf[KAAL_IPCBUF_RECV_DEPTH_WORD],
                                        &dest) != EXCEPTION_NONE) {
        return NULL;
    }
    return cap_get_cap_type(dest->cap) == cap_null_cap ? dest : NULL;
}

/* seL4 transferCaps: endpoint caps to ep itself are unwrapped (badge only); at most one other cap
 * is derived into the receive slot; anything that cannot go ends the transfer. Returns the
 * message info with extraCaps (caps dealt with) and capsUnwrapped set. */
static COLD seL4_MessageInfo_t transfer_caps(seL4_MessageInfo_t info, cte_t *slots[], word_t n,
                                             endpoint_t *ep, struct tcb *receiver, word_t *rbuf)
{
    info = seL4_MessageInfo_set_extraCaps(info, 0);
    info = seL4_MessageInfo_set_capsUnwrapped(info, 0);
    if (n == 0 || rbuf == NULL) {
        return info;
    }
    cte_t *dest = receive_slot(receiver, rbuf);
    word_t unwrapped = 0;
    word_t i = 0;
    for (; i < n; i++) {
        cap_t cap = slots[i]->cap;
        if (ep != NULL && cap_get_cap_type(cap) == cap_endpoint_cap &&
            cap_endpoint_cap_get_ptr(cap) == VTOP(ep)) {
            rbuf[KAAL_IPCBUF_CAPS_WORD(i)] = cap_endpoint_cap_get_badge(cap);
            unwrapped |= BIT(i);
            continue;
        }
        if (dest == NULL) {
            break;
        }
        cap_t derived;
        struct syscall_error err;
        if (cap_derive(slots[i], cap, &derived, &err) != EXCEPTION_NONE ||
            cap_get_cap_type(derived) == cap_null_cap) {
            break;
        }
        cte_insert(derived, slots[i], dest);
        dest = NULL;
    }
    info = seL4_MessageInfo_set_extraCaps(info, i);
    return seL4_MessageInfo_set_capsUnwrapped(info, unwrapped);
}

/* ---- transfers --------------------------------------------------------------------------- */

/* Finish a normal transfer: the receiver's message info (length delivered, caps) and badge. */
static inline void set_transfer_info(struct tcb *receiver, seL4_MessageInfo_t info, word_t sent,
                                     word_t badge)
{
    info = seL4_MessageInfo_set_length(info, sent);
    hal_reg_set(&receiver->arch, REG_MSG_INFO, info.words[0]);
    hal_reg_set(&receiver->arch, REG_BADGE, badge);
}

/* normal_transfer of a message with extra caps through a cap with Grant (kept out of line so the
 * common transfer stays small). */
static COLD NOINLINE void normal_transfer_with_caps(struct tcb *sender, word_t *sbuf,
                                                    endpoint_t *ep, word_t badge,
                                                    struct tcb *receiver, seL4_MessageInfo_t info,
                                                    word_t length, word_t ncaps)
{
    if (sbuf == IPC_BUFFER_UNKNOWN) {
        sbuf = thread_lookup_ipc_buffer(sender, false);
    }
    cte_t *slots[seL4_MsgMaxExtraCaps];
    ncaps = lookup_extra_caps(sender, sbuf, ncaps, slots);
    word_t *rbuf = NULL;
    if ((length > N_MSG_REGISTERS && sbuf != NULL) || ncaps != 0) {
        rbuf = thread_lookup_ipc_buffer(receiver, true);
    }
    word_t sent = copy_mrs(sender, sbuf, receiver, rbuf, length);
    set_transfer_info(receiver, transfer_caps(info, slots, ncaps, ep, receiver, rbuf), sent, badge);
}

/* seL4 doNormalTransfer. The IPC buffers are looked up only when the message needs them (words
 * beyond the registers, or caps to transfer): the lookups have no side effects, so this is seL4's
 * transfer without the lookups whose result would not be used. */
static inline void normal_transfer(struct tcb *sender, word_t *sbuf, endpoint_t *ep, word_t badge,
                                   bool grant, struct tcb *receiver)
{
    seL4_MessageInfo_t info = {{hal_reg_get(&sender->arch, REG_MSG_INFO)}};
    word_t length = MIN(seL4_MessageInfo_get_length(info), (word_t)seL4_MsgMaxLength);
    word_t ncaps = seL4_MessageInfo_get_extraCaps(info);
    if (grant && ncaps != 0) {
        normal_transfer_with_caps(sender, sbuf, ep, badge, receiver, info, length,
                                  MIN(ncaps, (word_t)seL4_MsgMaxExtraCaps));
        return;
    }
    word_t *rbuf = NULL;
    if (length > N_MSG_REGISTERS) {
        if (sbuf == IPC_BUFFER_UNKNOWN) {
            sbuf = thread_lookup_ipc_buffer(sender, false);
        }
        if (sbuf != NULL) {
            rbuf = thread_lookup_ipc_buffer(receiver, true);
        }
    }
    word_t sent = copy_mrs(sender, sbuf, receiver, rbuf, length);
    /* No caps: transfer_caps would only clear extraCaps and capsUnwrapped. */
    info = seL4_MessageInfo_set_extraCaps(info, 0);
    info = seL4_MessageInfo_set_capsUnwrapped(info, 0);
    set_transfer_info(receiver, info, sent, badge);
}

/* seL4 doFaultTransfer: the sender's fault message to its handler (out of line: rare). */
static COLD NOINLINE void fault_transfer(struct tcb *sender, word_t badge, struct tcb *receiver)
{
    word_t sent = fault_message(sender, receiver, thread_lookup_ipc_buffer(receiver, true));
    hal_reg_set(&receiver->arch, REG_MSG_INFO,
                seL4_MessageInfo_new(sender->fault[0], 0, 0, sent).words[0]);
    hal_reg_set(&receiver->arch, REG_BADGE, badge);
}

void ipc_transfer(struct tcb *sender, word_t *sbuf, endpoint_t *ep, word_t badge, bool grant,
                  struct tcb *receiver)
{
    if (sender->fault[0] == seL4_Fault_NullFault) {
        normal_transfer(sender, sbuf, ep, badge, grant, receiver);
        return;
    }
    fault_transfer(sender, badge, receiver);
}

/* ---- reply caps -------------------------------------------------------------------------- */
#ifndef CONFIG_KERNEL_MCS

void thread_setup_reply_master(struct tcb *t)
{
    cte_t *slot = &t->ctes[TCB_REPLY];
    if (cap_get_cap_type(slot->cap) != cap_null_cap) {
        return;
    }
    slot->cap = cap_reply_cap_new(VTOP(t), 1, 1);
    slot->mdb = mdb_node_new(0, 0, 0, 0);
}

void ipc_setup_caller_cap(struct tcb *sender, struct tcb *receiver, bool can_grant)
{
    sched_set_thread_state(sender, ThreadState_BlockedOnReply);
    thread_setup_reply_master(sender);
    cte_t *master = &sender->ctes[TCB_REPLY];
    cte_t *caller = &receiver->ctes[TCB_CALLER];
    kassert(cap_reply_cap_get_is_master(master->cap));
    /* A receiver drops its old reply cap before it receives (ipc_delete_caller_cap). */
    kassert(cap_get_cap_type(caller->cap) == cap_null_cap);
    /* cte_insert of the one-shot reply cap as the master's child: a reply cap is never revocable
     * (seL4 isCapRevocable) and no untyped copy, so the insert is only the link after the master.
     */
    paddr_t master_pa = VTOP(master);
    paddr_t caller_pa = VTOP(caller);
    paddr_t next = mdb_node_get_next(master->mdb);
    caller->cap = cap_reply_cap_new(VTOP(sender), 0, can_grant);
    caller->mdb = mdb_node_new(next, 0, 0, master_pa);
    if (next != 0) {
        mdb_node_ptr_set_prev(&PTOV(cte_t, next)->mdb, caller_pa);
    }
    mdb_node_ptr_set_next(&master->mdb, caller_pa);
}

/* cte_delete_one of a slot holding a one-shot reply cap or nothing: a reply cap finalises to
 * nothing (seL4 finaliseCap), so deleting it is only emptying the slot. */
static inline void delete_reply_cap(cte_t *slot)
{
    if (cap_get_cap_type(slot->cap) != cap_null_cap) {
        kassert(cap_get_cap_type(slot->cap) == cap_reply_cap);
        cte_unlink_and_clear(slot);
    }
}

void ipc_delete_caller_cap(struct tcb *receiver) { delete_reply_cap(&receiver->ctes[TCB_CALLER]); }

/* A reply to a thread waiting for its fault handler (out of line: rare): the handler's message
 * decides whether it restarts (fault_handle_reply) or stays Inactive. */
static COLD NOINLINE void reply_to_fault(struct tcb *replier, struct tcb *receiver, cte_t *slot)
{
    delete_reply_cap(slot);
    bool restart = fault_handle_reply(receiver, replier);
    receiver->fault[0] = seL4_Fault_NullFault;
    if (restart) {
        sched_set_thread_state(receiver, ThreadState_Restart);
        sched_possible_switch_to(receiver);
    } else {
        sched_set_thread_state(receiver, ThreadState_Inactive);
    }
}

void ipc_reply_transfer(struct tcb *replier, word_t *sbuf, struct tcb *receiver, cte_t *slot,
                        bool grant)
{
    kassert(thread_state_type(receiver) ==
            ThreadState_BlockedOnReply); /* a reply cap names only a caller */
    if (receiver->fault[0] == seL4_Fault_NullFault) {
        ipc_transfer(replier, sbuf, NULL, 0, grant, receiver);
        delete_reply_cap(slot);
        /* Running is runnable: sched_set_thread_state would only set the state's type. */
        thread_state_ptr_set_ts_type(&receiver->state, ThreadState_Running);
        sched_possible_switch_to(receiver);
        return;
    }
    reply_to_fault(replier, receiver, slot);
}

void ipc_handle_reply(void)
{
    struct tcb *t = ks.cur_thread;
    cte_t *slot = &t->ctes[TCB_CALLER];
    switch (cap_get_cap_type(slot->cap)) {
    case cap_null_cap:
        return; /* nobody to answer: Reply does nothing */
    case cap_reply_cap: {
        struct tcb *caller = tcb_from_paddr(cap_reply_cap_get_tcb(slot->cap));
        /* The caller slot only ever receives one-shot reply caps to another thread. */
        kassert(!cap_reply_cap_get_is_master(slot->cap) && caller != t);
        ipc_reply_transfer(t, IPC_BUFFER_UNKNOWN, caller, slot,
                           cap_reply_cap_get_can_grant(slot->cap));
        return;
    }
    default:
        kpanic("the caller slot holds only a reply cap or nothing");
    }
}

#endif /* !CONFIG_KERNEL_MCS: MCS reply objects are reply.c's (<kaal/mcs.h>) */

/* ---- cancelling -------------------------------------------------------------------------- */

#ifdef CONFIG_KERNEL_MCS
COLD void ipc_cancel(struct tcb *t)
{
    t->fault[0] = seL4_Fault_NullFault; /* a cancelled IPC drops the fault it carried */
    switch (thread_state_type(t)) {
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnReceive:
        ep_cancel_ipc(t); /* and a receiver's reply object is freed */
        return;
    case ThreadState_BlockedOnNotification:
        ntfn_cancel_signal(t);
        return;
    case ThreadState_BlockedOnReply:
        reply_remove_tcb(t); /* cut out of its call stack; the SC stays where it is */
        return;
    default:
        return;
    }
}
#else
COLD void ipc_cancel(struct tcb *t)
{
    switch (thread_state_type(t)) {
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnReceive:
        ep_cancel_ipc(t);
        return;
    case ThreadState_BlockedOnNotification:
        ntfn_cancel_signal(t);
        return;
    case ThreadState_BlockedOnReply: {
        t->fault[0] = seL4_Fault_NullFault;
        /* The one-shot reply cap to t sits right after its master reply cap in the tree. */
        cte_t *caller = cte_from_paddr(mdb_node_get_next(t->ctes[TCB_REPLY].mdb));
        if (caller != NULL && cap_get_cap_type(caller->cap) == cap_reply_cap &&
            !cap_reply_cap_get_is_master(caller->cap) &&
            cap_reply_cap_get_tcb(caller->cap) == VTOP(t)) {
            cte_delete_one(caller);
        }
        return;
    }
    default:
        return;
    }
}
#endif

#ifdef CONFIG_KERNEL_MCS
COLD void ipc_priority_changed(struct tcb *t)
{
    switch (thread_state_type(t)) {
    case ThreadState_BlockedOnSend:
    case ThreadState_BlockedOnReceive:
        ep_reorder(t);
        return;
    case ThreadState_BlockedOnNotification:
        ntfn_reorder(t);
        return;
    default:
        return; /* in no queue */
    }
}
#endif

/* ---- system calls on IPC caps ------------------------------------------------------------ */

static COLD exception_t invalid_invoked_cap(struct invocation_ctx *ctx, const char *why)
{
    kuser_error("%s", why);
    return syscall_error_invalid_capability(ctx, 0);
}

/* ctx->ipc_buffer serves as the sender's buffer of a transfer: the syscall layer looked it up when
 * the message has words beyond the registers or extra caps, which covers every message a transfer
 * reads the sender's buffer for; otherwise it is NULL and the transfer does not read it. Cold: the
 * syscall layer performs Send and Signal itself, so only read-only caps and reply caps get here. */
COLD exception_t decode_ipc_invocation(struct invocation_ctx *ctx)
{
    cap_t cap = ctx->cap;
    if (ipc_send_or_signal(ctx->thread, cap, ctx->ipc_buffer, ctx->is_call,
                           ctx->is_blocking MCS_ARG(ctx->can_donate))) {
        return EXCEPTION_NONE;
    }
    switch (cap_get_cap_type(cap)) {
    case cap_endpoint_cap:
        return invalid_invoked_cap(ctx, "attempted to invoke a read-only endpoint cap");
    case cap_notification_cap:
        return invalid_invoked_cap(ctx, "attempted to invoke a read-only notification cap");
    case cap_reply_cap:
#ifdef CONFIG_KERNEL_MCS
        (void)ipc_reply_invoke_cap(ctx->thread, cap, ctx->ipc_buffer);
#else
        if (cap_reply_cap_get_is_master(cap)) {
            return invalid_invoked_cap(ctx, "attempted to invoke a master reply cap");
        }
        ipc_reply_transfer(ctx->thread, ctx->ipc_buffer, tcb_from_paddr(cap_reply_cap_get_tcb(cap)),
                           ctx->slot, cap_reply_cap_get_can_grant(cap));
#endif
        return EXCEPTION_NONE;
    default:
        kpanic("decode_ipc_invocation on a cap that is not endpoint, notification or reply");
    }
}

/* A receive on a cap that cannot receive: CapFault in the receive phase, MissingCapability(0). */
static COLD NOINLINE void recv_cap_fault(struct tcb *t, cptr_t cptr)
{
    struct lookup_fault lf = {.type = seL4_MissingCapability, .bits_left = 0};
    fault_set_cap_fault(t, cptr, true, &lf);
    thread_handle_fault(t);
}

#ifdef CONFIG_KERNEL_MCS
/* The reply object named by x6 for an endpoint receive, or NULL after raising the receiver's cap
 * fault (receive phase): the lookup's failure, or MissingCapability(0) for a cap of another type.
 */
static struct reply *recv_reply_object(struct tcb *t, bool *ok)
{
    cptr_t cptr = hal_reg_get(&t->arch, REG_REPLY);
    cte_t *slot;
    struct lookup_fault lf;
    *ok = false;
    if (cspace_lookup_slot(t, cptr, &slot, &lf) != EXCEPTION_NONE) {
        kuser_error("Recv: invalid reply cap #%lx", (unsigned long)cptr);
        fault_set_cap_fault(t, cptr, true, &lf);
        thread_handle_fault(t);
        return NULL;
    }
    if (cap_get_cap_type(slot->cap) != cap_reply_cap) {
        kuser_error("Recv: cap #%lx is not a reply cap", (unsigned long)cptr);
        recv_cap_fault(t, cptr);
        return NULL;
    }
    *ok = true;
    return reply_from_paddr(cap_reply_cap_get_ptr(slot->cap));
}

void ipc_handle_recv_mcs(bool blocking, bool can_reply)
#else
void ipc_handle_recv(bool blocking)
#endif
{
    struct tcb *t = ks.cur_thread;
    cptr_t cptr = hal_reg_get(&t->arch, REG_CAP);
    cte_t *slot;
    struct lookup_fault lf;
    if (cspace_lookup_slot(t, cptr, &slot, &lf) != EXCEPTION_NONE) {
        kuser_error("Recv: invalid cap #%lx", (unsigned long)cptr);
        fault_set_cap_fault(t, cptr, true, &lf);
        thread_handle_fault(t);
        return;
    }
    cap_t cap = slot->cap;
    switch (cap_get_cap_type(cap)) {
    case cap_endpoint_cap:
        if (!cap_endpoint_cap_get_can_receive(cap)) {
            kuser_error("Recv: endpoint cap #%lx has no Read right", (unsigned long)cptr);
            recv_cap_fault(t, cptr);
            return;
        }
#ifdef CONFIG_KERNEL_MCS
        {
            struct reply *reply = NULL;
            if (can_reply) {
                bool ok;
                reply = recv_reply_object(t, &ok);
                if (!ok) {
                    return;
                }
            }
            ep_receive(PTOV(endpoint_t, cap_endpoint_cap_get_ptr(cap)), t, cap, blocking, reply);
        }
#else
        ipc_delete_caller_cap(t);
        ep_receive(PTOV(endpoint_t, cap_endpoint_cap_get_ptr(cap)), t, cap, blocking);
#endif
        return;
    case cap_notification_cap: {
        notification_t *ntfn = PTOV(notification_t, cap_notification_cap_get_ptr(cap));
        paddr_t bound = notification_get_bound_tcb(*ntfn);
        if (!cap_notification_cap_get_can_receive(cap) || (bound != 0 && bound != VTOP(t))) {
            kuser_error(
                "Recv: notification cap #%lx has no Read right or is bound to another thread",
                (unsigned long)cptr);
            recv_cap_fault(t, cptr);
            return;
        }
        ntfn_receive(ntfn, t, blocking);
        return;
    }
    default:
        kuser_error("Recv: cap #%lx is not an endpoint or notification", (unsigned long)cptr);
        recv_cap_fault(t, cptr);
        return;
    }
}
