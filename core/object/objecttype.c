/* SPDX-License-Identifier: BSD-2-Clause */
/* The per-capability hub (seL4's src/object/objecttype.c): for every cap and object type, its size,
 * creation, name (from the ABI's tag table), the region it names, derivation, data update, rights
 * masking, revocability, finalisation and invocation dispatch. The AArch64 cap types go to
 * arch_objecttype.c, one arch_* function per operation. */
#include <kaal/cdt.h>
#include <kaal/mcs.h>
#include <kaal/objects.h>
#include <kaal/printf.h>
#include <kaal/sched.h>
#include <kaal/thread.h>
#include <kaal/vspace.h>

/* ---- object types: size and creation (Untyped_Retype) ------------------------------------ */

word_t object_size_bits(word_t type, word_t user_size_bits)
{
    if (type >= seL4_NonArchObjectTypeCount) {
        return arch_object_size_bits(type);
    }
    switch (type) {
    case seL4_UntypedObject:
        return user_size_bits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
#ifdef CONFIG_KERNEL_MCS
    case seL4_SchedContextObject:
        return user_size_bits; /* the whole object, >= seL4_MinSchedContextBits (decode checks) */
    case seL4_ReplyObject:
        return seL4_ReplyBits;
#endif
    default:
        kassert(type == seL4_CapTableObject);
        return seL4_SlotBits + user_size_bits;
    }
}

/* Set up the parts of a fresh (zeroed) TCB that are not zero. */
static void tcb_init_object(struct tcb *tcb)
{
    hal_tcb_init(&tcb->arch);
    thread_state_ptr_set_ts_type(&tcb->state, ThreadState_Inactive);
    tcb->priority = 0;
    tcb->mcp = 0;
    /* As seL4: a new thread starts in the domain that is running when it is made. */
    tcb->domain = sched_current_domain();
#ifndef CONFIG_KERNEL_MCS
    tcb->time_slice = CONFIG_TIME_SLICE; /* MCS: the thread's SC holds its time */
#endif
    tcb->name[0] = '\0';
    sched_tcb_created(tcb);
}

cap_t object_create(word_t type, paddr_t pa, word_t user_size_bits, bool device)
{
    /* Retype places every object at an address aligned to its size, in memory that is zero
     * (the untyped's invariant above its free index) unless it comes from a device untyped, which
     * makes only untypeds and frames (arch_object_create checks the latter). */
    kassert(IS_ALIGNED(pa, object_size_bits(type, user_size_bits)));
    kassert(!device || type == seL4_UntypedObject || type >= seL4_NonArchObjectTypeCount);

    if (type >= seL4_NonArchObjectTypeCount) {
        return arch_object_create(type, pa, device);
    }
    switch (type) {
    case seL4_UntypedObject:
        return cap_untyped_cap_new(pa, user_size_bits, device, 0);
    case seL4_TCBObject:
        tcb_init_object(tcb_from_paddr(pa));
        return cap_thread_cap_new(pa);
    case seL4_EndpointObject:
        return cap_endpoint_cap_new(pa, 1, 1, 1, 1, 0);
    case seL4_NotificationObject:
        return cap_notification_cap_new(pa, 1, 1, 0);
#ifdef CONFIG_KERNEL_MCS
    case seL4_SchedContextObject:
        sc_init_object(sc_from_paddr(pa), user_size_bits);
        return cap_sched_context_cap_new(pa, user_size_bits);
    case seL4_ReplyObject:
        return cap_reply_cap_new(pa, 1); /* a new reply cap has Grant */
#endif
    default:
        kassert(type == seL4_CapTableObject);
        return cap_cnode_cap_new(pa, user_size_bits, 0, 0);
    }
}

/* ---- what a cap names -------------------------------------------------------------------- */

/* A cap that names memory: its base and size (seL4's capIsPhysical / capPtr / capSizeBits); bits
 * is 0 for a cap that names none (null, non-MCS reply, domain, IRQ control and handler, MCS
 * SchedControl caps). */
static struct cap_region cap_region(cap_t cap)
{
    if (cap_is_arch(cap)) {
        return arch_cap_region(cap);
    }
    switch (cap_get_cap_type(cap)) {
    case cap_untyped_cap:
        return (struct cap_region){cap_untyped_cap_get_ptr(cap),
                                   cap_untyped_cap_get_block_size(cap)};
    case cap_endpoint_cap:
        return (struct cap_region){cap_endpoint_cap_get_ptr(cap), seL4_EndpointBits};
    case cap_notification_cap:
        return (struct cap_region){cap_notification_cap_get_ptr(cap), seL4_NotificationBits};
    case cap_cnode_cap:
        return (struct cap_region){cap_cnode_cap_get_ptr(cap),
                                   cap_cnode_cap_get_radix(cap) + seL4_SlotBits};
    case cap_thread_cap:
        return (struct cap_region){cap_thread_cap_get_tcb(cap), seL4_TCBBits};
#ifdef CONFIG_KERNEL_MCS
    case cap_sched_context_cap:
        return (struct cap_region){cap_sched_context_cap_get_ptr(cap),
                                   cap_sched_context_cap_get_size_bits(cap)};
    case cap_reply_cap:
        return (struct cap_region){cap_reply_cap_get_ptr(cap), seL4_ReplyBits};
#endif
    case cap_zombie_cap: {
        word_t type = cap_zombie_cap_get_zombie_type(cap);
        return (struct cap_region){cap_zombie_cap_get_ptr(cap),
                                   type == ZOMBIE_TYPE_TCB ? seL4_TCBBits : type + seL4_SlotBits};
    }
    default:
        return (struct cap_region){0, 0};
    }
}

word_t cap_object_size_bits(cap_t cap) { return cap_region(cap).bits; }

paddr_t cap_object_paddr(cap_t cap) { return cap_region(cap).base; }

const char *cap_type_name(word_t tag)
{
    /* The names of the ABI's tag table (core/abi/kaal/abi/cap_tags.h), as user tools print them. */
    switch (tag) {
#define CAP_TAG_NAME(NAME, name, num) \
    case num:                         \
        return #name;
        KAAL_CAP_TAG_TABLE(CAP_TAG_NAME)
#undef CAP_TAG_NAME
    default:
        return "?";
    }
}

/* Does the untyped cap a cover the memory b names? An arch cap's region is the arch file's, asked
 * in a tail call, so this needs no stack frame. */
static __attribute__((noinline)) bool untyped_covers(cap_t a, cap_t b)
{
    paddr_t base = cap_untyped_cap_get_ptr(a);
    paddr_t top = base + MASK(cap_untyped_cap_get_block_size(a));
    if (cap_is_arch(b)) {
        return arch_cap_within(b, base, top);
    }
    return cap_region_within(cap_region(b), base, top);
}

bool cap_same_region_as(cap_t a, cap_t b)
{
    word_t tb = cap_get_cap_type(b);
    switch (cap_get_cap_type(a)) {
    case cap_untyped_cap:
        return untyped_covers(a, b);
    case cap_endpoint_cap:
        return tb == cap_endpoint_cap && cap_endpoint_cap_get_ptr(a) == cap_endpoint_cap_get_ptr(b);
    case cap_notification_cap:
        return tb == cap_notification_cap &&
               cap_notification_cap_get_ptr(a) == cap_notification_cap_get_ptr(b);
    case cap_cnode_cap:
        return tb == cap_cnode_cap && cap_cnode_cap_get_ptr(a) == cap_cnode_cap_get_ptr(b) &&
               cap_cnode_cap_get_radix(a) == cap_cnode_cap_get_radix(b);
    case cap_thread_cap:
        return tb == cap_thread_cap && cap_thread_cap_get_tcb(a) == cap_thread_cap_get_tcb(b);
#ifdef CONFIG_KERNEL_MCS
    case cap_reply_cap:
        return tb == cap_reply_cap && cap_reply_cap_get_ptr(a) == cap_reply_cap_get_ptr(b);
    case cap_sched_context_cap:
        return tb == cap_sched_context_cap &&
               cap_sched_context_cap_get_ptr(a) == cap_sched_context_cap_get_ptr(b) &&
               cap_sched_context_cap_get_size_bits(a) == cap_sched_context_cap_get_size_bits(b);
    case cap_sched_control_cap:
        return tb == cap_sched_control_cap &&
               cap_sched_control_cap_get_core(a) == cap_sched_control_cap_get_core(b);
#else
    case cap_reply_cap:
        return tb == cap_reply_cap && cap_reply_cap_get_tcb(a) == cap_reply_cap_get_tcb(b);
#endif
    case cap_domain_cap:
        return tb == cap_domain_cap;
    case cap_irq_control_cap:
        return tb == cap_irq_control_cap || tb == cap_irq_handler_cap;
    case cap_irq_handler_cap:
        return tb == cap_irq_handler_cap &&
               cap_irq_handler_cap_get_irq(a) == cap_irq_handler_cap_get_irq(b);
    default:
        /* null and zombie caps name no region of their own */
        return cap_is_arch(a) && cap_is_arch(b) && arch_same_region_as(a, b);
    }
}

bool cap_same_object_as(cap_t a, cap_t b)
{
    word_t ta = cap_get_cap_type(a), tb = cap_get_cap_type(b);
    if (ta == cap_untyped_cap) {
        return false; /* untyped caps are never "the same object": each is its own region owner */
    }
    if (ta == cap_irq_control_cap && tb == cap_irq_handler_cap) {
        return false;
    }
    if (cap_is_arch(a) && cap_is_arch(b)) {
        return arch_same_object_as(a, b);
    }
    return cap_same_region_as(a, b);
}

bool cap_is_revocable(cap_t derived, cap_t src)
{
    switch (cap_get_cap_type(derived)) {
    case cap_endpoint_cap:
        return cap_endpoint_cap_get_badge(derived) != cap_endpoint_cap_get_badge(src);
    case cap_notification_cap:
        return cap_notification_cap_get_badge(derived) != cap_notification_cap_get_badge(src);
    case cap_irq_handler_cap:
        return cap_get_cap_type(src) == cap_irq_control_cap;
    case cap_untyped_cap:
        return true;
    default:
        return cap_is_arch(derived) && arch_cap_is_revocable(derived, src);
    }
}

/* ---- changing caps ----------------------------------------------------------------------- */

/* An untyped cap is copied only while it has no children: a copy would share its free region. */
static __attribute__((noinline)) exception_t untyped_derive(cte_t *slot, cap_t cap, cap_t *out,
                                                            struct syscall_error *err)
{
    if (cdt_has_children(slot)) {
        *out = cap_null_cap_new();
        *err = (struct syscall_error){.type = seL4_RevokeFirst};
        return EXCEPTION_SYSCALL_ERROR;
    }
    *out = cap;
    return EXCEPTION_NONE;
}

exception_t cap_derive(cte_t *slot, cap_t cap, cap_t *out, struct syscall_error *err)
{
    /* Out-of-line work is in tail calls, so Copy of an endpoint cap builds no stack frame here. */
    if (cap_is_arch(cap)) {
        return arch_derive_cap(cap, out, err);
    }
    switch (cap_get_cap_type(cap)) {
    case cap_zombie_cap:
    case cap_irq_control_cap:
#ifndef CONFIG_KERNEL_MCS /* an MCS reply cap names an object and copies like any other */
    case cap_reply_cap:
#endif
        *out = cap_null_cap_new(); /* not copyable: the null cap makes the caller refuse */
        return EXCEPTION_NONE;
    case cap_untyped_cap:
        return untyped_derive(slot, cap, out, err);
    default:
        *out = cap;
        return EXCEPTION_NONE;
    }
}

cap_t cap_update_data(bool preserve, word_t data, cap_t cap)
{
    switch (cap_get_cap_type(cap)) {
    case cap_endpoint_cap:
        if (preserve || cap_endpoint_cap_get_badge(cap) != 0) {
            return cap_null_cap_new(); /* a badge is set once, and never by Mutate */
        }
        return cap_endpoint_cap_set_badge(cap, data);
    case cap_notification_cap:
        if (preserve || cap_notification_cap_get_badge(cap) != 0) {
            return cap_null_cap_new();
        }
        return cap_notification_cap_set_badge(cap, data);
    case cap_cnode_cap: {
        seL4_CNode_CapData_t w = {{data}};
        word_t guard_size = seL4_CNode_CapData_get_guardSize(w);
        if (guard_size + cap_cnode_cap_get_radix(cap) > seL4_WordBits) {
            return cap_null_cap_new();
        }
        word_t guard = seL4_CNode_CapData_get_guard(w) & MASK(guard_size);
        cap = cap_cnode_cap_set_guard(cap, guard);
        return cap_cnode_cap_set_guard_size(cap, guard_size);
    }
    default:
        /* No other cap carries data, the AArch64 ones included (seL4's Arch_updateCapData). */
        return cap;
    }
}

cap_t cap_mask_rights(word_t rights, cap_t cap)
{
    seL4_CapRights_t r = {{rights}};
    switch (cap_get_cap_type(cap)) {
    case cap_endpoint_cap:
        cap = cap_endpoint_cap_set_can_send(cap, cap_endpoint_cap_get_can_send(cap) &
                                                     seL4_CapRights_get_capAllowWrite(r));
        cap = cap_endpoint_cap_set_can_receive(cap, cap_endpoint_cap_get_can_receive(cap) &
                                                        seL4_CapRights_get_capAllowRead(r));
        cap = cap_endpoint_cap_set_can_grant(cap, cap_endpoint_cap_get_can_grant(cap) &
                                                      seL4_CapRights_get_capAllowGrant(r));
        return cap_endpoint_cap_set_can_grant_reply(cap,
                                                    cap_endpoint_cap_get_can_grant_reply(cap) &
                                                        seL4_CapRights_get_capAllowGrantReply(r));
    case cap_notification_cap:
        cap = cap_notification_cap_set_can_send(cap, cap_notification_cap_get_can_send(cap) &
                                                         seL4_CapRights_get_capAllowWrite(r));
        return cap_notification_cap_set_can_receive(cap, cap_notification_cap_get_can_receive(cap) &
                                                             seL4_CapRights_get_capAllowRead(r));
    case cap_reply_cap:
        return cap_reply_cap_set_can_grant(cap, cap_reply_cap_get_can_grant(cap) &
                                                    seL4_CapRights_get_capAllowGrant(r));
    default:
        return cap_is_arch(cap) ? arch_mask_rights(r, cap) : cap;
    }
}

/* ---- deletion ---------------------------------------------------------------------------- */

cap_t object_finalise(cap_t cap, bool final)
{
    switch (cap_get_cap_type(cap)) {
    case cap_endpoint_cap:
        if (final) {
            ep_cancel_all(PTOV(endpoint_t, cap_endpoint_cap_get_ptr(cap)));
        }
        return cap_null_cap_new();
    case cap_notification_cap:
        if (final) {
            notification_t *ntfn = PTOV(notification_t, cap_notification_cap_get_ptr(cap));
            ntfn_unbind(ntfn);
            ntfn_cancel_all(ntfn);
        }
        return cap_null_cap_new();
    case cap_cnode_cap:
        if (final) {
            word_t radix = cap_cnode_cap_get_radix(cap);
            return cap_zombie_cap_new(cap_cnode_cap_get_ptr(cap), radix, BIT(radix));
        }
        return cap_null_cap_new();
    case cap_thread_cap:
        if (final) {
            struct tcb *t = tcb_from_paddr(cap_thread_cap_get_tcb(cap));
            tcb_unbind_notification(t);
            thread_suspend(t); /* seL4's finaliseCap suspends the thread */
#ifdef CONFIG_KERNEL_MCS
            if (t->sched_context != NULL) {
                sched_context_unbind_tcb(t->sched_context); /* the SC survives, unbound */
            }
#endif
            sched_tcb_destroyed(t);
            hal_tcb_destroy(&t->arch);
            if (t == ks.root_thread) {
                ks.root_thread =
                    NULL; /* no dangling pointer for the debug tools (hostsim, checker) */
            }
            /* The zombie clears the TCB's own slots, from the last to ctes[0]. */
            return cap_zombie_cap_new(VTOP(&t->ctes[0]), ZOMBIE_TYPE_TCB, TCB_CNODE_ENTRIES);
        }
        return cap_null_cap_new();
    case cap_zombie_cap:
        return cap; /* still being cleared: the deletion carries on with it */
    case cap_irq_handler_cap:
        if (final) {
            /* The last handler cap: its notification binding goes, the line becomes inactive. */
            irq_handler_deleted(cap_irq_handler_cap_get_irq(cap));
        }
        return cap_null_cap_new();
#ifdef CONFIG_KERNEL_MCS
    case cap_sched_context_cap:
        if (final) {
            sc_finalise(sc_from_paddr(cap_sched_context_cap_get_ptr(cap)));
        }
        return cap_null_cap_new();
    case cap_reply_cap:
        if (final) {
            reply_finalise(reply_from_paddr(cap_reply_cap_get_ptr(cap)));
        }
        return cap_null_cap_new();
#endif
    default:
        if (cap_is_arch(cap)) {
            arch_finalise_cap(cap, final);
        }
        /* null, reply (base), domain, untyped, irq control, sched control: nothing to undo */
        return cap_null_cap_new();
    }
}

/* ---- invocation -------------------------------------------------------------------------- */

#ifdef CONFIG_KERNEL_MCS
/* The first phase of ReplyRecv, NBSendRecv and NBSendWait may not invoke caps whose invocations
 * could block, reply or change scheduling (seL4 decodeInvocation's firstPhase check). */
static bool first_phase_refused(word_t type)
{
    return type == cap_thread_cap || type == cap_domain_cap || type == cap_cnode_cap ||
           type == cap_sched_control_cap || type == cap_sched_context_cap;
}
#endif
/* The invoked cap is null or a zombie. Out of line and cold: the dispatch below then needs no
 * stack frame, and every decoder is a tail call. */
static __attribute__((noinline, cold)) exception_t decode_no_object(struct invocation_ctx *ctx)
{
    kuser_error("invocation of a null or zombie cap");
    return syscall_error_invalid_capability(ctx, 0);
}

exception_t decode_invocation(struct invocation_ctx *ctx)
{
#ifdef CONFIG_KERNEL_MCS
    if (ctx->first_phase && first_phase_refused(cap_get_cap_type(ctx->cap))) {
        kuser_error("invocation of this cap type in the first phase of a combined system call");
        return syscall_error_invalid_capability(ctx, 0);
    }
#endif
    switch ((unsigned int)cap_get_cap_type(ctx->cap)) {
    case cap_null_cap:
    case cap_zombie_cap:
        return decode_no_object(ctx);
    case cap_untyped_cap:
        return decode_untyped_invocation(ctx);
    case cap_cnode_cap:
        return decode_cnode_invocation(ctx);
    case cap_thread_cap:
        return decode_tcb_invocation(ctx);
    case cap_domain_cap:
        return decode_domain_invocation(ctx);
    case cap_irq_control_cap:
        return decode_irq_control_invocation(ctx);
    case cap_irq_handler_cap:
        return decode_irq_handler_invocation(ctx);
    case cap_sgi_signal_cap:
        /* An AArch64 tag, but the IRQ layer's object: sending the SGI is irq.c's. */
        return decode_sgi_signal_invocation(ctx);
#ifdef CONFIG_KERNEL_MCS
    case cap_sched_context_cap:
        return decode_sched_context_invocation(ctx);
    case cap_sched_control_cap:
        return decode_sched_control_invocation(ctx);
#endif
    case cap_endpoint_cap:
    case cap_notification_cap:
    case cap_reply_cap:
        return decode_ipc_invocation(ctx);
    case cap_frame_cap:
        /* An AArch64 cap, but Page_Map is the most frequent invocation of all: straight to its
         * decoder, not through decode_arch_invocation's second switch. */
        return decode_frame_invocation(ctx);
    default:
        return decode_arch_invocation(ctx);
    }
}
