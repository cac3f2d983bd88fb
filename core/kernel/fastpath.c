/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fastpath: Call to a waiting receiver and ReplyRecv to a caller, in their common case,
 * with a direct switch to the other thread. Each function first checks everything that would make
 * the slowpath do something other than "transfer up to four message registers, switch to the
 * other thread"; if any check fails it returns false having changed nothing, and the caller runs
 * the slowpath (syscall.c, ipc.c, endpoint.c). When it returns true the system call is done and
 * ks.cur_thread is the thread to resume; the state it leaves is exactly the slowpath's
 * (docs/performance.md lists the cases and why each is equal). */
#include <kaal/cdt.h>
#include <kaal/fastpath.h>
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/thread.h>

#ifdef CONFIG_FASTPATH

/* The slot cptr names in t's CSpace (all 64 bits), or NULL for any lookup failure: the same walk
 * as cspace_resolve_address_bits, without the fault details the slowpath reports. */
static inline cte_t *fastpath_lookup(const struct tcb *t, cptr_t cptr)
{
    cap_t node = t->ctes[TCB_CTABLE].cap;
    word_t n_bits = seL4_WordBits;
    if (cap_get_cap_type(node) != cap_cnode_cap) {
        return NULL;
    }
    for (;;) {
        word_t radix = cap_cnode_cap_get_radix(node);
        word_t guard_bits = cap_cnode_cap_get_guard_size(node);
        word_t level_bits = radix + guard_bits;
        word_t guard = (cptr >> ((n_bits - guard_bits) & (seL4_WordBits - 1))) & MASK(guard_bits);
        if (guard_bits > n_bits || level_bits > n_bits || guard != (cap_cnode_cap_get_guard(node) & MASK(guard_bits))) {
            return NULL;
        }
        cte_t *slot = cnode_slots(node) + ((cptr >> (n_bits - level_bits)) & MASK(radix));
        if (n_bits == level_bits) {
            return slot;
        }
        n_bits -= level_bits;
        node = slot->cap;
        if (cap_get_cap_type(node) != cap_cnode_cap) {
            return slot;
        }
    }
}

/* A message the fastpath carries: no extra caps, all words in registers (seL4's
 * fastpath_mi_check). */
static inline bool fastpath_message_ok(seL4_MessageInfo_t info)
{
    return seL4_MessageInfo_get_extraCaps(info) == 0 && seL4_MessageInfo_get_length(info) <= N_MSG_REGISTERS;
}

/* copy_mrs + normal_transfer for such a message: MR0..length-1 register to register, then the
 * receiver's badge and message info (no caps, none unwrapped). */
static inline void fastpath_transfer(struct tcb *from, struct tcb *to, seL4_MessageInfo_t info, word_t badge)
{
    word_t length = seL4_MessageInfo_get_length(info);
    for (word_t i = 0; i < length; i++) {
        hal_reg_set(&to->arch, REG_MR0 + i, hal_reg_get(&from->arch, REG_MR0 + i));
    }
    info = seL4_MessageInfo_set_extraCaps(info, 0);
    info = seL4_MessageInfo_set_capsUnwrapped(info, 0);
    hal_reg_set(&to->arch, REG_MSG_INFO, info.words[0]);
    hal_reg_set(&to->arch, REG_BADGE, badge);
}

/* cte_insert of a one-shot reply cap (never revocable) after the caller's master reply cap. */
static inline void fastpath_insert_reply(cte_t *master, paddr_t master_pa, cte_t *dest, paddr_t dest_pa, cap_t reply)
{
    kassert(cap_get_cap_type(dest->cap) == cap_null_cap); /* ipc_setup_caller_cap's invariant */
    kassert(VTOP(master) == master_pa && VTOP(dest) == dest_pa);
    paddr_t next = mdb_node_get_next(master->mdb);
    dest->cap = reply;
    dest->mdb = mdb_node_new(next, 0, 0, master_pa);
    if (next != 0) {
        mdb_node_ptr_set_prev(&PTOV(cte_t, next)->mdb, dest_pa);
    }
    mdb_node_ptr_set_next(&master->mdb, dest_pa);
}

/* The physical address of a TCB's slot: its slots start the object (struct tcb.ctes). */
_Static_assert(offsetof(struct tcb, ctes) == 0, "a TCB's slots start the object");
#define TCB_SLOT_PA(tcb_pa, i) ((tcb_pa) + (i) * sizeof(cte_t))

/* Can the scheduler's choice after this IPC be computed here? The slowpath switches straight to
 * a woken thread of at least the current priority (sched_schedule: no fastfail), in one domain. */
static inline bool fastpath_switch_ok(const struct tcb *cur, const struct tcb *to)
{
    return CONFIG_NUM_DOMAINS == 1 && to->priority >= cur->priority;
}

bool fastpath_call(void)
{
    struct tcb *cur = ks.cur_thread;
    seL4_MessageInfo_t info = {{hal_reg_get(&cur->arch, REG_MSG_INFO)}};
    if (!fastpath_message_ok(info)) {
        return false;
    }
    cte_t *slot = fastpath_lookup(cur, hal_reg_get(&cur->arch, REG_CAP));
    if (slot == NULL) {
        return false;
    }
    cap_t cap = slot->cap;
    /* An endpoint we may send to and that lets the caller get a reply cap (else the slowpath
     * makes the caller Inactive). */
    if (cap_get_cap_type(cap) != cap_endpoint_cap || !cap_endpoint_cap_get_can_send(cap) ||
        !(cap_endpoint_cap_get_can_grant(cap) || cap_endpoint_cap_get_can_grant_reply(cap))) {
        return false;
    }
    endpoint_t *ep = PTOV(endpoint_t, cap_endpoint_cap_get_ptr(cap));
    if (endpoint_get_state(*ep) != EP_RECV) {
        return false;
    }
    paddr_t dest_pa = endpoint_get_queue_head(*ep);
    struct tcb *dest = PTOV(struct tcb, dest_pa);
    if (!fastpath_switch_ok(cur, dest)) {
        return false;
    }
    cte_t *master = &cur->ctes[TCB_REPLY];
    if (cap_get_cap_type(master->cap) != cap_reply_cap || cur->fault[0] != seL4_Fault_NullFault) {
        return false; /* no master reply cap yet (the slowpath makes it), or a stale fault */
    }
    /* Past this point nothing fails. */
    kassert(thread_state_type(dest) == ThreadState_BlockedOnReceive && !dest->sched_queued);
    kassert(!cur->sched_queued);

    /* ep_dequeue of the queue head. */
    struct tcb *next = dest->ep_next;
    endpoint_ptr_set_queue_head(ep, next ? VTOP(next) : 0);
    if (next != NULL) {
        next->ep_prev = NULL;
    } else {
        endpoint_ptr_set_queue_tail(ep, 0);
        endpoint_ptr_set_state(ep, EP_IDLE);
    }
    dest->ep_next = NULL;

    fastpath_transfer(cur, dest, info, cap_endpoint_cap_get_badge(cap));
    bool reply_can_grant = thread_state_get_blocking_ipc_can_grant(dest->state);
    thread_state_ptr_set_ts_type(&dest->state, ThreadState_Running);

    /* ipc_setup_caller_cap: the caller waits for the reply cap it gives the receiver. */
    thread_state_ptr_set_ts_type(&cur->state, ThreadState_BlockedOnReply);
    paddr_t cur_pa = VTOP(cur);
    fastpath_insert_reply(master, TCB_SLOT_PA(cur_pa, TCB_REPLY), &dest->ctes[TCB_CALLER],
                          TCB_SLOT_PA(dest_pa, TCB_CALLER), cap_reply_cap_new(cur_pa, 0, reply_can_grant));

    ks.cur_thread = dest;
    return true;
}

bool fastpath_reply_recv(void)
{
    struct tcb *cur = ks.cur_thread;
    seL4_MessageInfo_t info = {{hal_reg_get(&cur->arch, REG_MSG_INFO)}};
    if (!fastpath_message_ok(info)) {
        return false;
    }
    cte_t *slot = fastpath_lookup(cur, hal_reg_get(&cur->arch, REG_CAP));
    if (slot == NULL) {
        return false;
    }
    cap_t cap = slot->cap;
    if (cap_get_cap_type(cap) != cap_endpoint_cap || !cap_endpoint_cap_get_can_receive(cap)) {
        return false;
    }
    paddr_t ep_pa = cap_endpoint_cap_get_ptr(cap);
    endpoint_t *ep = PTOV(endpoint_t, ep_pa);
    /* A waiting sender would be received at once; a pending bound signal is taken first. */
    if (endpoint_get_state(*ep) == EP_SEND) {
        return false;
    }
    if (cur->bound_notification != 0 &&
        notification_get_state(*PTOV(notification_t, cur->bound_notification)) == NTFN_ACTIVE) {
        return false;
    }
    cte_t *caller_slot = &cur->ctes[TCB_CALLER];
    cap_t reply = caller_slot->cap;
    if (cap_get_cap_type(reply) != cap_reply_cap) {
        return false; /* nobody to reply to */
    }
    struct tcb *caller = tcb_from_paddr(cap_reply_cap_get_tcb(reply));
    if (caller->fault[0] != seL4_Fault_NullFault || !fastpath_switch_ok(cur, caller)) {
        return false; /* a fault reply, or the scheduler must choose */
    }
    /* Past this point nothing fails. */
    kassert(!cap_reply_cap_get_is_master(reply) && caller != cur);
    kassert(thread_state_type(caller) == ThreadState_BlockedOnReply && !caller->sched_queued);
    kassert(!cur->sched_queued);

    /* The reply: transfer, delete the one-shot reply cap (nothing to finalise), wake the caller. */
    fastpath_transfer(cur, caller, info, 0);
    cte_unlink_and_clear(caller_slot); /* cte_delete_one of a one-shot reply cap: it finalises to nothing */
    thread_state_ptr_set_ts_type(&caller->state, ThreadState_Running);

    /* The receive: block on ep (ep_block with badge 0, no grant-reply, not a call). */
    thread_state_ptr_set_blocking_object(&cur->state, ep_pa);
    thread_state_ptr_set_blocking_ipc_badge(&cur->state, 0);
    thread_state_ptr_set_blocking_ipc_can_grant(&cur->state, cap_endpoint_cap_get_can_grant(cap));
    thread_state_ptr_set_blocking_ipc_can_grant_reply(&cur->state, 0);
    thread_state_ptr_set_blocking_ipc_is_call(&cur->state, 0);
    thread_state_ptr_set_ts_type(&cur->state, ThreadState_BlockedOnReceive);
    kassert(cur->ep_next == NULL && cur->ep_prev == NULL);
    paddr_t cur_pa = VTOP(cur);
    struct tcb *tail = tcb_from_paddr(endpoint_get_queue_tail(*ep));
    cur->ep_prev = tail;
    if (tail != NULL) {
        tail->ep_next = cur;
    } else {
        endpoint_ptr_set_queue_head(ep, cur_pa);
    }
    endpoint_ptr_set_queue_tail(ep, cur_pa);
    endpoint_ptr_set_state(ep, EP_RECV);

    ks.cur_thread = caller;
    return true;
}

#endif /* CONFIG_FASTPATH */
