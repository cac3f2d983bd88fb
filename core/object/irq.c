/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt capabilities: IRQControl (Get, GetTrigger, IssueSGISignal), IRQHandler (Ack,
 * SetNotification, Clear), SGI signal caps, and the kernel's IRQ table they manage.
 *
 * As in seL4, each IRQ's notification cap lives in its slot of the IRQ node (ks.irq_node, the
 * kernel's own slots: seL4's intStateIRQNode), put there by the ordinary cte_insert from the slot
 * of the cap passed to SetNotification. It is in the derivation tree like any copy: revoking that
 * cap or any ancestor deletes it (later interrupts signal nothing), and it keeps the notification
 * object alive when every user cap to it is deleted. SetNotification deletes the cap it replaces;
 * Clear and the deletion of the last handler cap delete it. */
#include <kaal/cdt.h>
#include <kaal/cspace.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/printf.h>

#define SGI_MAX 15u       /* SGIs are INTIDs 0..15 */
#define SGI_TARGET_MAX 7u /* GICv2: eight CPU interfaces */

/* Is the line in use: issued to user space, or the kernel's timer (never issuable)? */
static bool irq_is_active(word_t irq)
{
    return irq == HAL_TIMER_IRQ || ks.irq_state[irq] != IRQ_INACTIVE;
}

/* ---- perform ----------------------------------------------------------------------------- */

/* The IRQ's slot of the IRQ node. */
static cte_t *irq_slot(word_t irq)
{
    kassert(irq <= HAL_MAX_IRQ && ks.irq_node != NULL);
    return &ks.irq_node[irq];
}

static exception_t perform_irq_control_get(word_t irq, cte_t *control, cte_t *dest)
{
    /* An inactive IRQ's slot is empty: the deletion of its last handler cap emptied it. */
    kassert(cap_get_cap_type(irq_slot(irq)->cap) == cap_null_cap);
    ks.irq_state[irq] = IRQ_SIGNAL;
    hal_irq_unmask(irq); /* as seL4's setIRQState: an issued line is unmasked */
    cte_insert(cap_irq_handler_cap_new(irq), control, dest);
    return EXCEPTION_NONE;
}

static exception_t perform_sgi_signal_issue(word_t sgi, word_t target, cte_t *control, cte_t *dest)
{
    cte_insert(cap_sgi_signal_cap_new(sgi, target), control, dest);
    return EXCEPTION_NONE;
}

static exception_t perform_irq_handler_ack(word_t irq)
{
    hal_irq_unmask(irq);
    return EXCEPTION_NONE;
}

/* seL4 invokeSetIRQHandler: delete the cap the slot holds, then insert a copy of ntfn from its
 * slot src (a child of src in the derivation tree when src may have children). */
static exception_t perform_irq_handler_set(word_t irq, cap_t ntfn, cte_t *src)
{
    cte_t *slot = irq_slot(irq);
    cte_delete_one(slot);
    cte_insert(ntfn, src, slot);
    return EXCEPTION_NONE;
}

static exception_t perform_irq_handler_clear(word_t irq)
{
    cte_delete_one(irq_slot(irq));
    return EXCEPTION_NONE;
}

/* ---- decode ------------------------------------------------------------------------------ */

/* The destination slot (index, depth) in the CNode cap `root`: it must be empty. */
static exception_t lookup_empty_dest(struct invocation_ctx *ctx, cap_t root, word_t index,
                                     word_t depth, cte_t **dest)
{
    exception_t status = cspace_lookup_slot_for_cnode_op(ctx, false, root, index, depth, dest);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    if (cap_get_cap_type((*dest)->cap) != cap_null_cap) {
        kuser_error("IRQControl: destination slot is not empty");
        return syscall_error_delete_first(ctx);
    }
    return EXCEPTION_NONE;
}

/* Get (label 26) and GetTrigger (label 49): irq, [trigger,] index, depth; cap0 = CNode. */
static exception_t decode_irq_control_get(struct invocation_ctx *ctx, bool with_trigger)
{
    word_t irq, trigger = 0, index, depth;
    if (with_trigger) {
        if (INV_TRUNCATED(ctx, ARMIRQIssueIRQHandlerTrigger)) {
            return syscall_error_truncated_message(ctx);
        }
        irq = INV_WORD(ctx, ARMIRQIssueIRQHandlerTrigger, irq);
        trigger = INV_WORD(ctx, ARMIRQIssueIRQHandlerTrigger, trigger);
        index = INV_WORD(ctx, ARMIRQIssueIRQHandlerTrigger, index);
        depth = INV_WORD(ctx, ARMIRQIssueIRQHandlerTrigger, depth);
    } else {
        if (INV_TRUNCATED(ctx, IRQIssueIRQHandler)) {
            return syscall_error_truncated_message(ctx);
        }
        irq = INV_WORD(ctx, IRQIssueIRQHandler, irq);
        index = INV_WORD(ctx, IRQIssueIRQHandler, index);
        depth = INV_WORD(ctx, IRQIssueIRQHandler, depth);
    }
    if (irq > HAL_MAX_IRQ) {
        kuser_error("IRQControl: IRQ %lu is out of range", (unsigned long)irq);
        return syscall_error_range(ctx, 0, HAL_MAX_IRQ);
    }
    if (irq_is_active(irq)) {
        kuser_error("IRQControl: IRQ %lu is already in use", (unsigned long)irq);
        return syscall_error_revoke_first(ctx);
    }
    cte_t *dest;
    exception_t status = lookup_empty_dest(ctx, ctx->extra_caps[0], index, depth, &dest);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    if (with_trigger) {
        hal_irq_set_trigger(irq, trigger != 0);
    }
    return perform_irq_control_get(irq, ctx->slot, dest);
}

/* IssueSGISignal (label 50): sgi, target, index, depth; cap0 = CNode. */
static exception_t decode_irq_control_sgi(struct invocation_ctx *ctx)
{
    if (INV_TRUNCATED(ctx, ARMIRQIssueSGISignal)) {
        return syscall_error_truncated_message(ctx);
    }
    word_t sgi = INV_WORD(ctx, ARMIRQIssueSGISignal, irq);
    word_t target = INV_WORD(ctx, ARMIRQIssueSGISignal, target);
    if (sgi > SGI_MAX) {
        kuser_error("IRQControl IssueSGISignal: SGI %lu is out of range", (unsigned long)sgi);
        return syscall_error_range(ctx, 0, SGI_MAX);
    }
    if (target > SGI_TARGET_MAX) {
        kuser_error("IRQControl IssueSGISignal: target %lu is out of range", (unsigned long)target);
        return syscall_error_invalid_argument(ctx, 1);
    }
    cte_t *dest;
    exception_t status =
        lookup_empty_dest(ctx, ctx->extra_caps[0], INV_WORD(ctx, ARMIRQIssueSGISignal, index),
                          INV_WORD(ctx, ARMIRQIssueSGISignal, depth), &dest);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    return perform_sgi_signal_issue(sgi, target, ctx->slot, dest);
}

exception_t decode_irq_control_invocation(struct invocation_ctx *ctx)
{
    switch (ctx->label) {
    case IRQIssueIRQHandler:
        return decode_irq_control_get(ctx, false);
    case ARMIRQIssueIRQHandlerTrigger:
        return decode_irq_control_get(ctx, true);
    case ARMIRQIssueSGISignal:
        return decode_irq_control_sgi(ctx);
    default:
        kuser_error("IRQControl: illegal operation %lu", (unsigned long)ctx->label);
        return syscall_error_illegal_operation(ctx);
    }
}

exception_t decode_irq_handler_invocation(struct invocation_ctx *ctx)
{
    word_t irq = cap_irq_handler_cap_get_irq(ctx->cap);
    switch (ctx->label) {
    case IRQAckIRQ:
        return perform_irq_handler_ack(irq);
    case IRQSetIRQHandler: {
        if (ctx->nextra <
            KAAL_INV_IRQSetIRQHandler_NCAPS) { /* no words: only the cap can be missing */
            return syscall_error_truncated_message(ctx);
        }
        cap_t ntfn = ctx->extra_caps[0];
        if (cap_get_cap_type(ntfn) != cap_notification_cap ||
            !cap_notification_cap_get_can_send(ntfn)) {
            kuser_error("IRQHandler SetNotification: not a notification cap with Write right");
            return syscall_error_invalid_capability(ctx, 0); /* seL4 names cap 0 here */
        }
        return perform_irq_handler_set(irq, ntfn, ctx->extra_slots[0]);
    }
    case IRQClearIRQHandler:
        return perform_irq_handler_clear(irq);
    default:
        kuser_error("IRQHandler: illegal operation %lu", (unsigned long)ctx->label);
        return syscall_error_illegal_operation(ctx);
    }
}

exception_t decode_sgi_signal_invocation(struct invocation_ctx *ctx)
{
    /* Any label sends the SGI (seL4's SGISignal cap). */
    hal_irq_issue_sgi(cap_sgi_signal_cap_get_irq(ctx->cap),
                      cap_sgi_signal_cap_get_target(ctx->cap));
    return EXCEPTION_NONE;
}

/* ---- deletion hooks ---------------------------------------------------------------------- */

void irq_handler_deleted(word_t irq)
{
    kassert(irq <= HAL_MAX_IRQ && irq != HAL_TIMER_IRQ); /* handler caps are made only by Get */
    /* Its notification cap goes first (it may be the object's last: finalised here, as in seL4's
     * deletingIRQHandler, a notification's finalisation never needs a zombie). */
    cte_delete_one(irq_slot(irq));
    ks.irq_state[irq] = IRQ_INACTIVE;
    hal_irq_mask(irq);
}
