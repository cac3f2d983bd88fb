/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fastpath: Call to a waiting receiver and ReplyRecv to a caller, in their common case,
 * with a direct switch to the other thread. Each function first checks everything that would make
 * the slowpath do something other than "transfer up to four message registers, switch to the
 * other thread"; if any check fails it returns false having changed nothing, and the caller runs
 * the slowpath (syscall.c, ipc.c, endpoint.c). Otherwise it makes exactly the slowpath's changes
 * (docs/performance.md lists the cases and why each is equal; tests/unit/check_fastpath.c compares
 * the two byte for byte), sets ks.cur_thread to the other thread and leaves through
 * HAL_FASTPATH_EXIT: on aarch64 straight back to user mode in that thread (no return), on hostsim
 * a return of true.
 *
 * The code works on the packed words directly where the checked accessors would re-extract and
 * re-check fields: with the raw accessors (_np) and the layout constants bfgen generates from
 * core/include/structures.bf and core/abi/shared_types.bf (P_F_SHIFT, P_F_MASK, KAAL_BF_GET/PREP),
 * never with bit positions of its own. It reads and writes registers through hal_reg_get/set and
 * converts addresses with the physical window only: every object user code can name lives there
 * (fp_ptov/fp_vtop). It is written for the instruction count: every figure is in
 * docs/performance.md. */
#include <kaal/cdt.h>
#include <kaal/fastpath.h>
#include <kaal/ipc.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/thread.h>
#ifdef CONFIG_KERNEL_MCS
#include <kaal/mcs.h>
#include <kaal/sporadic.h>

#include "sched_internal.h"
#endif

#ifdef CONFIG_FASTPATH

#ifdef HAL_FASTPATH_NO_STACK
/* The port runs the fastpath on no stack (hal_port.h): any stack use is a build error. */
#pragma GCC diagnostic error "-Wstack-usage=0"
#endif

/* A cap's type from its first word: the tag is the word's top field, so one shift. */
_Static_assert(cap_cap_type_WORD == 0 && cap_cap_type_SHIFT + cap_cap_type_WIDTH == 64,
               "the tag tops word 0");
#define CAP_TYPE(w0) ((w0) >> cap_cap_type_SHIFT)

/* seL4_MessageInfo: length, extraCaps and capsUnwrapped are its low bits. A message the fastpath
 * carries has no extra caps and at most four words, all in registers (seL4's fastpath_mi_check),
 * and the sender left capsUnwrapped 0 (libsel4 always does; the slowpath clears it for the
 * receiver), so the info word passes unchanged: one compare of those bits. */
#define MI_FASTPATH_BITS                                              \
    (seL4_MessageInfo_length_MASK | seL4_MessageInfo_extraCaps_MASK | \
     seL4_MessageInfo_capsUnwrapped_MASK)
_Static_assert(MI_FASTPATH_BITS == MASK(seL4_MessageInfo_label_SHIFT) &&
                   seL4_MessageInfo_length_SHIFT == 0,
               "the compare covers the low bits below the label, the length lowest");
#define MI_LENGTH seL4_MessageInfo_length_MASK

/* Physical <-> kernel addresses in the physical window, with the window's offset in a variable the
 * compiler keeps in one register (left alone it materialises the 64-bit constant, and its
 * negation, several times). Every object the fastpath touches is RAM in the window. */
#define WINDOW_OFFSET_REG(off)      \
    word_t off = HAL_WINDOW_OFFSET; \
    __asm__("" : "+r"(off))
static inline void *fp_ptov(word_t off, paddr_t pa)
{
    kassert(hal_phys_is_ram(pa, 1));
    return (void *)(pa + off);
}
static inline paddr_t fp_vtop(word_t off, const void *p) { return (word_t)p - off; }

/* What a failed lookup yields: a slot holding the null cap, so the cap checks decline without a
 * separate test. */
static const cte_t no_slot;

/* The general CSpace walk: the slot cptr names in t's CSpace (all 64 bits), or NULL for any lookup
 * failure (&no_slot), as cspace_resolve_address_bits decides, without the failure details. For
 * CSpaces of more than one level (fastpath_lookup handles one level first). */
static inline const cte_t *fastpath_lookup_walk(cap_t node, cptr_t cptr)
{
    word_t n_bits = seL4_WordBits;
    for (;;) {
        word_t radix = cap_cnode_cap_get_radix_np(node);
        word_t guard_bits = cap_cnode_cap_get_guard_size_np(node);
        word_t level_bits = radix + guard_bits;
        word_t guard = (cptr >> ((n_bits - guard_bits) & (seL4_WordBits - 1))) & MASK(guard_bits);
        if (guard_bits > n_bits || level_bits > n_bits ||
            guard != (cap_cnode_cap_get_guard(node) & MASK(guard_bits))) {
            return &no_slot;
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

/* The slot cptr names in t's CSpace, or &no_slot. The usual CSpace is one CNode whose guard and
 * radix take all 64 bits: then the guard is the cptr's top (64 - radix) bits, exactly, and the
 * index its low radix bits. (A stored guard wider than its size never matches here; the walk
 * decides.) */
static inline const cte_t *fastpath_lookup(word_t off, const struct tcb *t, cptr_t cptr)
{
    cap_t node = t->ctes[TCB_CTABLE].cap;
    if (UNLIKELY(CAP_TYPE(node.words[0]) != cap_cnode_cap)) {
        return &no_slot;
    }
    word_t radix = cap_cnode_cap_get_radix_np(node);
    word_t guard_size = cap_cnode_cap_get_guard_size_np(node);
    if (LIKELY(radix + guard_size == seL4_WordBits &&
               (cptr >> radix) == cap_cnode_cap_get_guard_np(node))) {
        cte_t *slots = fp_ptov(off, cap_cnode_cap_get_ptr_np(node));
        return slots + ((cptr << guard_size) >> guard_size);
    }
    return fastpath_lookup_walk(node, cptr);
}

/* copy_mrs for a message of `length` (<= 4) words: register to register. */
static inline void fastpath_copy_mrs(const struct tcb *from, struct tcb *to, word_t length)
{
    for (word_t i = 0; i < length; i++) {
        hal_reg_set(&to->arch, REG_MR0 + i, hal_reg_get(&from->arch, REG_MR0 + i));
    }
}

/* Can the scheduler's choice after this IPC be computed here? The slowpath switches straight to
 * a woken thread of at least the current priority (sched_schedule: no fastfail), in one domain. */
#define FASTPATH_SWITCH_OK(cur, to) (CONFIG_NUM_DOMAINS == 1 && (to)->priority >= (cur)->priority)

/* The checks both configurations' Call fastpath open with: a message the registers hold; x0 an
 * endpoint cap with Send, and Grant or GrantReply (without, the slowpath does not block the caller
 * for a reply); a receiver at the head of the endpoint's queue that the scheduler would switch to.
 * That receiver, with *cap and *ep for the rest of the path, or NULL to decline. */
static inline __attribute__((always_inline)) struct tcb *
fastpath_call_receiver(word_t off, const struct tcb *cur, word_t info, cap_t *cap_out,
                       endpoint_t **ep_out)
{
    if ((info & MI_FASTPATH_BITS) > N_MSG_REGISTERS) {
        return NULL;
    }
    const cte_t *slot = fastpath_lookup(off, cur, hal_reg_get(&cur->arch, REG_CAP));
    __asm__("" : "+r"(slot)); /* one pointer, so both cap words come in one load */
    cap_t cap = slot->cap;
    if (CAP_TYPE(cap.words[0]) != cap_endpoint_cap ||
        !(cap.words[0] & cap_endpoint_cap_can_send_MASK) ||
        !(cap.words[0] &
          (cap_endpoint_cap_can_grant_MASK | cap_endpoint_cap_can_grant_reply_MASK))) {
        return NULL;
    }
    endpoint_t *ep = fp_ptov(off, cap_endpoint_cap_get_ptr_np(cap));
    word_t ep_w0 = ep->words[0];
    if ((ep_w0 >> endpoint_state_SHIFT) != EP_RECV) { /* nothing is stored above the state */
        return NULL;
    }
    struct tcb *dest = fp_ptov(off, KAAL_BF_GET(ep_w0, endpoint_queue_head));
    if (!FASTPATH_SWITCH_OK(cur, dest)) {
        return NULL;
    }
    *cap_out = cap;
    *ep_out = ep;
    return dest;
}

/* The checks both configurations' ReplyRecv fastpath open with, for its receive half: a message
 * the registers hold; x0 an endpoint cap with Receive; no sender waiting there (it would be
 * received at once) and no pending signal on a bound notification (taken first). The endpoint,
 * with *cap, *ep_pa and its first word in *ep_w0, or NULL to decline. */
static inline __attribute__((always_inline)) endpoint_t *
fastpath_recv_endpoint(word_t off, const struct tcb *cur, word_t info, cap_t *cap_out,
                       paddr_t *ep_pa_out, word_t *ep_w0_out)
{
    if ((info & MI_FASTPATH_BITS) > N_MSG_REGISTERS) {
        return NULL;
    }
    const cte_t *slot = fastpath_lookup(off, cur, hal_reg_get(&cur->arch, REG_CAP));
    cap_t cap = slot->cap;
    if (CAP_TYPE(cap.words[0]) != cap_endpoint_cap ||
        !(cap.words[0] & cap_endpoint_cap_can_receive_MASK)) {
        return NULL;
    }
    paddr_t ep_pa = cap_endpoint_cap_get_ptr_np(cap);
    endpoint_t *ep = fp_ptov(off, ep_pa);
    word_t ep_w0 = ep->words[0];
    if ((ep_w0 >> endpoint_state_SHIFT) == EP_SEND) { /* nothing is stored above the state */
        return NULL;
    }
    if (UNLIKELY(cur->bound_notification != 0) &&
        notification_get_state(*(notification_t *)fp_ptov(off, cur->bound_notification)) ==
            NTFN_ACTIVE) {
        return NULL;
    }
    *cap_out = cap;
    *ep_pa_out = ep_pa;
    *ep_w0_out = ep_w0;
    return ep;
}

/* ep_dequeue of dest, the head of ep's receive queue: the endpoint goes idle (both words 0) when
 * dest was alone. */
static inline __attribute__((always_inline)) void fastpath_dequeue_head(word_t off, endpoint_t *ep,
                                                                        struct tcb *dest)
{
    struct tcb *next = dest->ep_next;
    if (LIKELY(next == NULL)) {
        ep->words[0] = 0;
        ep->words[1] = 0;
    } else {
        ep->words[0] = KAAL_BF_PREP_NP(endpoint_queue_head, fp_vtop(off, next)) |
                       KAAL_BF_PREP(endpoint_state, EP_RECV);
        next->ep_prev = NULL;
        dest->ep_next = NULL;
    }
}

/* The message of a Call: MR0..length-1, the badge of the cap, and the info with no caps and none
 * unwrapped. */
static inline __attribute__((always_inline)) void
fastpath_deliver(const struct tcb *cur, struct tcb *dest, word_t length, cap_t cap, word_t info)
{
    fastpath_copy_mrs(cur, dest, length);
    hal_reg_set(&dest->arch, REG_BADGE, cap_endpoint_cap_get_badge_np(cap));
    hal_reg_set(&dest->arch, REG_MSG_INFO, info);
}

#ifndef CONFIG_KERNEL_MCS

/* The physical address of a TCB's slot: its slots start the object (struct tcb.ctes). */
_Static_assert(offsetof(struct tcb, ctes) == 0, "a TCB's slots start the object");
#define TCB_SLOT_PA(tcb_pa, i) ((tcb_pa) + (i) * sizeof(cte_t))

/* The receiver's blocking_ipc_can_grant bit becomes the reply cap's can_grant bit by one right
 * shift of its state word. */
#define GRANT_MOVE (thread_state_blocking_ipc_can_grant_SHIFT - cap_reply_cap_can_grant_SHIFT)
_Static_assert(GRANT_MOVE > 0 && thread_state_blocking_ipc_can_grant_WORD == 0 &&
                   cap_reply_cap_can_grant_WORD == 0,
               "one right shift within word 0");
/* The words the fastpath reads and writes whole: an endpoint cap's rights and pointer, a reply
 * cap's TCB, a thread state's type and blocking object in word 0; an endpoint's state above its
 * queue head in word 0 (nothing is ever stored above the state), its tail alone in word 1; an MDB
 * node's next and prev in words of their own. */
_Static_assert(cap_endpoint_cap_ptr_WORD == 0 && cap_endpoint_cap_can_send_WORD == 0 &&
                   cap_endpoint_cap_can_receive_WORD == 0 && cap_endpoint_cap_can_grant_WORD == 0 &&
                   cap_endpoint_cap_can_grant_reply_WORD == 0 && cap_endpoint_cap_badge_WORD == 1 &&
                   cap_reply_cap_tcb_WORD == 0 && thread_state_ts_type_WORD == 0 &&
                   thread_state_blocking_object_WORD == 0,
               "cap and thread state words the fastpath reads");
_Static_assert(endpoint_queue_head_WORD == 0 && endpoint_state_WORD == 0 &&
                   endpoint_queue_tail_WORD == 1 && endpoint_queue_tail_SHIFT == 0 &&
                   mdb_node_next_WORD != mdb_node_prev_WORD,
               "endpoint and MDB words the fastpath reads");

bool fastpath_call(void)
{
    struct tcb *cur = ks.cur_thread;
    WINDOW_OFFSET_REG(off);
    word_t info = hal_reg_get(&cur->arch, REG_MSG_INFO);
    cap_t cap;
    endpoint_t *ep;
    struct tcb *dest = fastpath_call_receiver(off, cur, info, &cap, &ep);
    if (dest == NULL) {
        return false;
    }
    paddr_t dest_pa = fp_vtop(off, dest);
    /* The caller needs its master reply cap (the slowpath makes it on first use) and no stale
     * fault (the receiver would get a fault message). */
    cte_t *master = &cur->ctes[TCB_REPLY];
    if (UNLIKELY(CAP_TYPE(master->cap.words[0]) != cap_reply_cap) ||
        UNLIKELY(cur->fault[0] != seL4_Fault_NullFault)) {
        return false;
    }

    /* Past this point nothing fails. The thread state type changes below flip bits, so they rely
     * on these. */
    kassert(thread_state_type(cur) == ThreadState_Running);
    kassert(thread_state_type(dest) == ThreadState_BlockedOnReceive && !dest->sched_queued &&
            !cur->sched_queued);
    kassert(dest->ep_prev == NULL && cap_get_cap_type(dest->ctes[TCB_CALLER].cap) == cap_null_cap);

    fastpath_dequeue_head(off, ep, dest);
    fastpath_deliver(cur, dest, info & MI_LENGTH, cap, info);

    /* The receiver runs; the caller waits for the reply cap it gives the receiver
     * (ipc_setup_caller_cap): a one-shot reply cap (never revocable) inserted after the master. */
    word_t dest_state = dest->state.words[0];
    dest->state.words[0] =
        dest_state ^
        KAAL_BF_PREP(thread_state_ts_type, ThreadState_BlockedOnReceive ^ ThreadState_Running);
    cur->state.words[0] ^=
        KAAL_BF_PREP(thread_state_ts_type, ThreadState_Running ^ ThreadState_BlockedOnReply);

    paddr_t cur_pa = fp_vtop(off, cur);
    __asm__("" : "+r"(cur_pa)); /* keep the slot addresses below one add each from it */
    paddr_t master_pa = TCB_SLOT_PA(cur_pa, TCB_REPLY);
    paddr_t caller_pa = TCB_SLOT_PA(dest_pa, TCB_CALLER);
    cte_t *caller = &dest->ctes[TCB_CALLER];
    word_t master_mdb = master->mdb.words[mdb_node_next_WORD];
    paddr_t after = KAAL_BF_GET(master_mdb, mdb_node_next);
    /* reply_cap(tcb = caller, is_master 0, can_grant = the receiver's blocking_ipc_can_grant: one
     * shift moves that bit of its state word into place). */
    caller->cap.words[0] = KAAL_BF_PREP(cap_cap_type, cap_reply_cap) |
                           ((dest_state >> GRANT_MOVE) & cap_reply_cap_can_grant_MASK) |
                           KAAL_BF_PREP_NP(cap_reply_cap_tcb, cur_pa);
    caller->cap.words[1] = 0;
    /* mdb_node(next = after, prev = master, neither flag) */
    caller->mdb.words[mdb_node_next_WORD] = KAAL_BF_PREP_NP(mdb_node_next, after);
    caller->mdb.words[mdb_node_prev_WORD] = KAAL_BF_PREP_NP(mdb_node_prev, master_pa);
    if (LIKELY(after == 0)) {
        master->mdb.words[mdb_node_next_WORD] =
            master_mdb | KAAL_BF_PREP_NP(mdb_node_next, caller_pa);
    } else {
        ((cte_t *)fp_ptov(off, after))->mdb.words[mdb_node_prev_WORD] =
            KAAL_BF_PREP_NP(mdb_node_prev, caller_pa);
        master->mdb.words[mdb_node_next_WORD] =
            (master_mdb & ~mdb_node_next_MASK) | KAAL_BF_PREP_NP(mdb_node_next, caller_pa);
    }

    ks.cur_thread = dest;
    return HAL_FASTPATH_EXIT(dest);
}

bool fastpath_reply_recv(void)
{
    struct tcb *cur = ks.cur_thread;
    WINDOW_OFFSET_REG(off);
    word_t info = hal_reg_get(&cur->arch, REG_MSG_INFO);
    cap_t cap;
    paddr_t ep_pa;
    word_t ep_w0;
    endpoint_t *ep = fastpath_recv_endpoint(off, cur, info, &cap, &ep_pa, &ep_w0);
    if (ep == NULL) {
        return false;
    }
    /* Somebody to reply to, without a fault (a fault reply is the slowpath's), as urgent. */
    cte_t *caller_slot = &cur->ctes[TCB_CALLER];
    word_t reply_w0 = caller_slot->cap.words[0];
    if (CAP_TYPE(reply_w0) != cap_reply_cap) {
        return false;
    }
    struct tcb *caller = fp_ptov(off, KAAL_BF_GET(reply_w0, cap_reply_cap_tcb));
    if (UNLIKELY(caller->fault[0] != seL4_Fault_NullFault) || !FASTPATH_SWITCH_OK(cur, caller)) {
        return false;
    }

    /* Past this point nothing fails. */
    kassert(thread_state_type(cur) == ThreadState_Running);
    kassert(!cap_reply_cap_get_is_master(caller_slot->cap) && caller != cur);
    kassert(thread_state_type(caller) == ThreadState_BlockedOnReply && !caller->sched_queued);
    kassert(!cur->sched_queued && cur->ep_next == NULL && cur->ep_prev == NULL);

    /* The reply: transfer, delete the one-shot reply cap (it finalises to nothing), wake the
     * caller. */
    fastpath_copy_mrs(cur, caller, info & MI_LENGTH);
    hal_reg_set(&caller->arch, REG_BADGE, 0);
    hal_reg_set(&caller->arch, REG_MSG_INFO, info);
    cte_unlink_and_clear(caller_slot);
    caller->state.words[0] ^=
        KAAL_BF_PREP(thread_state_ts_type, ThreadState_BlockedOnReply ^ ThreadState_Running);

    /* The receive: block on ep at the queue tail (ep_block: badge 0, the cap's Grant right, no
     * grant-reply, not a call). */
    paddr_t cur_pa = fp_vtop(off, cur);
    cur->state.words[0] =
        KAAL_BF_PREP(thread_state_ts_type, ThreadState_BlockedOnReceive) |
        KAAL_BF_PREP_NP(thread_state_blocking_object, ep_pa) |
        KAAL_BF_PREP(thread_state_blocking_ipc_can_grant, cap_endpoint_cap_get_can_grant_np(cap));
    cur->state.words[thread_state_blocking_ipc_badge_WORD] = 0;
    paddr_t tail_pa =
        ep->words[endpoint_queue_tail_WORD]; /* the queue tail is all the word holds */
    if (LIKELY(tail_pa == 0)) {
        ep->words[0] =
            KAAL_BF_PREP_NP(endpoint_queue_head, cur_pa) | KAAL_BF_PREP(endpoint_state, EP_RECV);
    } else {
        struct tcb *tail = fp_ptov(off, tail_pa);
        cur->ep_prev = tail;
        tail->ep_next = cur;
        ep->words[0] = (ep_w0 & endpoint_queue_head_MASK) | KAAL_BF_PREP(endpoint_state, EP_RECV);
    }
    ep->words[endpoint_queue_tail_WORD] = KAAL_BF_PREP_NP(endpoint_queue_tail, cur_pa);

    ks.cur_thread = caller;
    return HAL_FASTPATH_EXIT(caller);
}

#else /* CONFIG_KERNEL_MCS */

/* ---- MCS (docs/mcs.md#the-fastpath) -----------------------------------------------------------
 *
 * seL4-MCS's cases: a Call that donates the caller's scheduling context to a passive receiver
 * waiting with a reply object, and a ReplyRecv through the reply object that heads the current
 * SC's call stack, which gives the SC back to a caller without one. In both the SC moves with the
 * switch, so it stays the current SC (sched.cur_sc): the slowpath would commit no time and leave
 * the timer's deadline alone.
 *
 * Time. Every kernel entry first reads the clock and owes the time since the last entry to the
 * current SC (mcs_charge_on_entry); the slowpath goes on only while the head refill can pay that
 * plus one more kernel entry, and its exit wakes every SC of the release queue whose refill is due
 * by then. The fastpath reads the clock too and declines when the budget check would fail, the
 * head refill is not ready, or a release is due; otherwise it makes the slowpath's two changes: the
 * clock and what is owed. */

/* The words the fastpath reads and writes whole: an endpoint cap's rights and pointer, a reply
 * cap's pointer, a thread state's type and blocking object in word 0; an endpoint's state above its
 * queue head in word 0 (nothing is ever stored above the state), its tail alone in word 1. */
_Static_assert(cap_endpoint_cap_ptr_WORD == 0 && cap_endpoint_cap_can_send_WORD == 0 &&
                   cap_endpoint_cap_can_receive_WORD == 0 && cap_endpoint_cap_can_grant_WORD == 0 &&
                   cap_endpoint_cap_can_grant_reply_WORD == 0 && cap_endpoint_cap_badge_WORD == 1 &&
                   cap_reply_cap_ptr_WORD == 0 && thread_state_ts_type_WORD == 0 &&
                   thread_state_blocking_object_WORD == 0 &&
                   thread_state_blocking_ipc_badge_WORD == 1,
               "cap and thread state words the fastpath reads");
_Static_assert(endpoint_queue_head_WORD == 0 && endpoint_state_WORD == 0 &&
                   endpoint_queue_tail_WORD == 1 && endpoint_queue_tail_SHIFT == 0,
               "endpoint words the fastpath reads");

/* The length of a message the first check let through: at most the registers (the compiler is
 * told, so the copy is the few moves it needs, in the registers the fastpath has). */
static inline word_t fastpath_length(word_t info)
{
    word_t length = info & MI_LENGTH;
    if (length > N_MSG_REGISTERS) {
        __builtin_unreachable(); /* (info & MI_FASTPATH_BITS) <= N_MSG_REGISTERS */
    }
    return length;
}

/* The scheduler's clock and what the current SC owes since it was charged (seL4 ksCurTime,
 * ksConsumed), adjacent in struct sched_globals: read and written as one pair. */
struct fastpath_time {
    ticks_t cur_time, consumed;
};
_Static_assert(offsetof(struct sched_globals, consumed) ==
                   offsetof(struct sched_globals, cur_time) + sizeof(ticks_t),
               "the clock and what is owed are adjacent");

/* Can the current SC pay for this entry at clock now (seL4 checkBudget: the head refill covers
 * what is owed plus MIN_BUDGET), is its head refill ready, and is no refill of the release queue
 * due (the exit would wake its thread)? Then *t is the clock and what is owed at now, as the
 * slowpath's entry leaves them. Reads only. */
static inline bool fastpath_time_ok(struct sched_context *sc, ticks_t now, struct fastpath_time *t)
{
    struct fastpath_time last;
    __builtin_memcpy(&last, &sched.cur_time, sizeof(last));
    kassert(now >= last.cur_time && now < MAX_RELEASE_TIME); /* a monotonic clock */
    t->cur_time = now;
    t->consumed = last.consumed + (now - last.cur_time);
    /* refill_sufficient(sc, consumed) in one compare: consumed is below the clock, so adding
     * MIN_BUDGET cannot overflow. */
    refill_t head = *refill_head(sc);
    struct sched_context *release = sched.release_head;
    return head.amount >= t->consumed + MIN_BUDGET && head.release <= now + MCS_KERNEL_WCET_TICKS &&
           (release == NULL || !refill_ready(release, now));
}

/* The slowpath's charging, with the figures fastpath_time_ok computed (seL4 updateTimestamp). */
static inline void fastpath_charge(const struct fastpath_time *t)
{
    __builtin_memcpy(&sched.cur_time, t, sizeof(*t));
}

/* Preconditions of both cases for the current thread cur on SC sc (kernel invariants): it runs on
 * the current SC, which is active, bound to it and not waiting for a release; nothing is pending
 * for the exit (no new choice, no deadline to set). */
#define FASTPATH_MCS_ASSERTS(cur, sc)                                                \
    kassert(thread_state_type(cur) == ThreadState_Running && !(cur)->sched_queued && \
            (cur)->reply == NULL && (cur)->yield_to == NULL);                        \
    kassert((sc) == sched.cur_sc && (sc)->tcb == (cur) && (sc)->refill_max > 0 &&    \
            !(sc)->in_release_queue);                                                \
    kassert(ks.sched_action == SCHED_RESUME_CURRENT && !sched.reprogram)

bool fastpath_call(void)
{
    struct tcb *cur = ks.cur_thread;
    WINDOW_OFFSET_REG(off);
    word_t info = hal_reg_get(&cur->arch, REG_MSG_INFO);
    cap_t cap;
    endpoint_t *ep;
    struct tcb *dest = fastpath_call_receiver(off, cur, info, &cap, &ep);
    if (dest == NULL) {
        return false;
    }
    /* A passive receiver (it takes the caller's SC) that brought a reply object; a caller with no
     * stale fault (the receiver would get a fault message). */
    if (dest->sched_context != NULL) {
        return false;
    }
    struct reply *reply = dest->reply;
    if (reply == NULL || UNLIKELY(cur->fault[0] != seL4_Fault_NullFault)) {
        return false;
    }
    struct sched_context *sc = sched.cur_sc; /* cur's */
    struct fastpath_time time;
    if (!fastpath_time_ok(sc, HAL_FASTPATH_TIMER_NOW(), &time)) {
        return false;
    }

    /* Past this point nothing fails. The thread state type changes below flip bits, so they rely
     * on these. */
    FASTPATH_MCS_ASSERTS(cur, sc);
    kassert(thread_state_type(dest) == ThreadState_BlockedOnReceive && !dest->sched_queued &&
            dest->ep_prev == NULL && dest->yield_to == NULL);
    /* The receiver holds the reply object, which is on no stack. */
    kassert(reply->tcb == dest && reply->prev == NULL && reply->next == NULL && reply->sc == NULL);

    fastpath_dequeue_head(off, ep, dest);
    fastpath_deliver(cur, dest, fastpath_length(info), cap, info);

    /* The receiver runs; the caller blocks on the reply object the receiver brought, which is
     * pushed on the SC's call stack, and the SC goes to the receiver (reply_push). */
    dest->state.words[0] ^=
        KAAL_BF_PREP(thread_state_ts_type, ThreadState_BlockedOnReceive ^ ThreadState_Running);
    dest->reply = NULL;
    cur->state.words[0] ^=
        KAAL_BF_PREP(thread_state_ts_type, ThreadState_Running ^ ThreadState_BlockedOnReply);
    cur->reply = reply;
    reply->tcb = cur;
    struct reply *older = sc->reply;
    reply->prev = older;
    reply->sc = sc;
    sc->reply = reply;
    if (UNLIKELY(older != NULL)) {
        older->sc = NULL;
        older->next = reply;
    }
    cur->sched_context = NULL;
    dest->sched_context = sc;
    sc->tcb = dest;
    fastpath_charge(&time);

    ks.cur_thread = dest;
    return HAL_FASTPATH_EXIT(dest);
}

bool fastpath_reply_recv(void)
{
    struct tcb *cur = ks.cur_thread;
    WINDOW_OFFSET_REG(off);
    word_t info = hal_reg_get(&cur->arch, REG_MSG_INFO);
    cap_t cap;
    paddr_t ep_pa;
    word_t ep_w0;
    endpoint_t *ep = fastpath_recv_endpoint(off, cur, info, &cap, &ep_pa, &ep_w0);
    if (ep == NULL) {
        return false;
    }
    /* x6 names the reply object of both halves. It must head the current SC's call stack (the
     * newest call that donated it): its caller, blocked on it, gets the SC back. */
    const struct tcb *cur_again = cur;
    __asm__("" : "+r"(cur_again)); /* nothing of the first lookup kept live: no stack needed */
    word_t reply_w0 =
        fastpath_lookup(off, cur_again, hal_reg_get(&cur->arch, REG_REPLY))->cap.words[0];
    if (CAP_TYPE(reply_w0) != cap_reply_cap) {
        return false;
    }
    struct reply *reply = fp_ptov(off, KAAL_BF_GET(reply_w0, cap_reply_cap_ptr));
    struct sched_context *sc = cur->sched_context;
    if (reply->sc != sc) {
        return false;
    }
    /* A caller without a fault (a fault reply is the slowpath's) and without an SC of its own (one
     * bound while it waited: the donated SC would stay here), that the scheduler would choose. */
    struct tcb *caller = reply->tcb;
    if (UNLIKELY(caller->fault[0] != seL4_Fault_NullFault) || caller->sched_context != NULL ||
        CONFIG_NUM_DOMAINS != 1 ||
        (caller->priority < cur->priority && !is_highest_prio(0, caller->priority))) {
        return false;
    }
    /* The receive queue is priority ordered: the fastpath only appends, behind a tail at least as
     * urgent (ipc_queue_insert). */
    paddr_t tail_pa =
        ep->words[endpoint_queue_tail_WORD]; /* the queue tail is all the word holds */
    if (tail_pa != 0 && ((struct tcb *)fp_ptov(off, tail_pa))->priority < cur->priority) {
        return false;
    }
    __asm__("" : "+r"(tail_pa)); /* not kept as a pointer meanwhile: no stack needed */
    struct fastpath_time time;
    if (!fastpath_time_ok(sc, HAL_FASTPATH_TIMER_NOW(), &time)) {
        return false;
    }

    /* Past this point nothing fails. */
    FASTPATH_MCS_ASSERTS(cur, sc);
    kassert(cur->ep_next == NULL && cur->ep_prev == NULL);
    /* Only the newest reply object of a stack names its SC, and its caller waits on it. */
    kassert(sc->reply == reply && reply->next == NULL && caller != cur && caller->reply == reply &&
            thread_state_type(caller) == ThreadState_BlockedOnReply && !caller->sched_queued &&
            caller->yield_to == NULL);

    /* The reply: transfer, pop the reply object off the call stack, the SC back to the caller,
     * which runs (reply_invoke). */
    fastpath_copy_mrs(cur, caller, fastpath_length(info));
    hal_reg_set(&caller->arch, REG_BADGE, 0);
    hal_reg_set(&caller->arch, REG_MSG_INFO, info);
    struct reply *older = reply->prev;
    sc->reply = older;
    if (UNLIKELY(older != NULL)) {
        older->next = NULL;
        older->sc = sc;
    }
    reply->prev = NULL;
    reply->sc = NULL;
    cur->sched_context = NULL;
    caller->sched_context = sc;
    sc->tcb = caller;
    caller->reply = NULL;
    caller->state.words[0] ^=
        KAAL_BF_PREP(thread_state_ts_type, ThreadState_BlockedOnReply ^ ThreadState_Running);

    /* The receive: block on ep with the same reply object, at the queue tail (ep_receive: badge
     * 0, no grant, not a call). */
    paddr_t cur_pa = fp_vtop(off, cur);
    cur->state.words[0] = KAAL_BF_PREP(thread_state_ts_type, ThreadState_BlockedOnReceive) |
                          KAAL_BF_PREP_NP(thread_state_blocking_object, ep_pa);
    cur->state.words[thread_state_blocking_ipc_badge_WORD] = 0;
    cur->reply = reply;
    reply->tcb = cur;
    if (LIKELY(tail_pa == 0)) {
        ep->words[0] =
            KAAL_BF_PREP_NP(endpoint_queue_head, cur_pa) | KAAL_BF_PREP(endpoint_state, EP_RECV);
    } else {
        struct tcb *tail = fp_ptov(off, tail_pa);
        cur->ep_prev = tail;
        tail->ep_next = cur;
        ep->words[0] =
            (ep->words[0] & endpoint_queue_head_MASK) | KAAL_BF_PREP(endpoint_state, EP_RECV);
    }
    ep->words[endpoint_queue_tail_WORD] = KAAL_BF_PREP_NP(endpoint_queue_tail, cur_pa);
    fastpath_charge(&time);

    ks.cur_thread = caller;
    return HAL_FASTPATH_EXIT(caller);
}
#endif /* CONFIG_KERNEL_MCS */

#endif /* CONFIG_FASTPATH */
