/* SPDX-License-Identifier: BSD-2-Clause */
/* CNode invocations (Revoke, Delete, CancelBadgedSends, Copy, Mint, Move, Mutate, Rotate,
 * SaveCaller), checked in seL4's order so that each bad call gets seL4's error and words. */
#include <kaal/cdt.h>
#include <kaal/cspace.h>
#include <kaal/objects.h>
#include <kaal/printf.h>

/* ---- perform: arguments are valid; only preemption can interrupt ---------------------------- */

static exception_t perform_cnode_revoke(cte_t *slot) { return cte_revoke(slot); }

static exception_t perform_cnode_delete(cte_t *slot) { return cte_delete(slot, true); }

static exception_t perform_cnode_cancel_badged_sends(cap_t ep_cap)
{
    word_t badge = cap_endpoint_cap_get_badge(ep_cap);
    if (badge != 0) {
        ep_cancel_badged_sends(PTOV(endpoint_t, cap_endpoint_cap_get_ptr(ep_cap)), badge);
    }
    return EXCEPTION_NONE;
}

static exception_t perform_cnode_insert(cap_t cap, cte_t *src, cte_t *dest)
{
    cte_insert(cap, src, dest);
    return EXCEPTION_NONE;
}

static exception_t perform_cnode_move(cap_t cap, cte_t *src, cte_t *dest)
{
    cte_move(cap, src, dest);
    return EXCEPTION_NONE;
}

static exception_t perform_cnode_rotate(cap_t src_cap, cap_t pivot_cap, cte_t *src, cte_t *pivot,
                                        cte_t *dest)
{
    if (src == dest) {
        cte_swap(src_cap, src, pivot_cap, pivot);
    } else {
        cte_move(pivot_cap, pivot, dest);
        cte_move(src_cap, src, pivot);
    }
    return EXCEPTION_NONE;
}

#ifndef CONFIG_KERNEL_MCS /* MCS has no SaveCaller: reply objects replace the caller slot */
static exception_t perform_cnode_save_caller(struct tcb *caller, cte_t *dest)
{
    cte_t *src = &caller->ctes[TCB_CALLER];
    switch (cap_get_cap_type(src->cap)) {
    case cap_null_cap:
        kuser_error("CNode SaveCaller: no reply cap to save");
        break;
    case cap_reply_cap:
        if (!cap_reply_cap_get_is_master(src->cap)) {
            cte_move(src->cap, src, dest);
        }
        break;
    default:
        kpanic("the caller slot holds only a reply cap or nothing");
    }
    return EXCEPTION_NONE;
}
#endif

/* ---- decode -------------------------------------------------------------------------------- */

/* op: the operation's name for the diagnostic, or 0 where seL4 prints none (Rotate). */
static exception_t ensure_empty_slot(struct invocation_ctx *ctx, const cte_t *slot, const char *op)
{
    if (cap_get_cap_type(slot->cap) != cap_null_cap) {
        if (op) {
            kuser_error("%s: destination slot is not empty", op);
        }
        return syscall_error_delete_first(ctx);
    }
    return EXCEPTION_NONE;
}

static exception_t missing_cap(struct invocation_ctx *ctx, bool source, word_t depth)
{
    struct lookup_fault lf = {.type = seL4_MissingCapability, .bits_left = depth};
    return syscall_error_failed_lookup(ctx, source, &lf);
}

/* Copy, Mint, Move, Mutate: the destination is already looked up. */
static exception_t decode_cnode_copy_like(struct invocation_ctx *ctx, cte_t *dest)
{
    if (ctx->length < 4 || ctx->nextra < 1) {
        kuser_error("CNode Copy/Mint/Move/Mutate: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    word_t src_index = inv_arg(ctx, 2);
    word_t src_depth = inv_arg(ctx, 3);

    exception_t status = ensure_empty_slot(ctx, dest, "CNode Copy/Mint/Move/Mutate");
    if (status != EXCEPTION_NONE) {
        return status;
    }
    /* Read after the check: GCC cannot tell that the check's error path always returns, and would
     * otherwise keep the two-word cap in callee-saved registers across its calls (4 instructions
     * more on every Copy). */
    cap_t src_root = ctx->extra_caps[0];
    cte_t *src;
    status = cspace_lookup_slot_for_cnode_op(ctx, true, src_root, src_index, src_depth, &src);
    if (status != EXCEPTION_NONE) {
        kuser_error("CNode Copy/Mint/Move/Mutate: the source slot cannot be looked up");
        return status;
    }
    if (cap_get_cap_type(src->cap) == cap_null_cap) {
        kuser_error("CNode Copy/Mint/Move/Mutate: source slot is empty");
        return missing_cap(ctx, true, src_depth);
    }

    cap_t new_cap;
    bool is_move = false;
    switch (ctx->label) {
    case CNodeCopy:
    case CNodeMint: {
        if (ctx->length <
            (ctx->label == CNodeCopy ? KAAL_INV_CNodeCopy_LEN : KAAL_INV_CNodeMint_LEN)) {
            kuser_error("CNode %s: truncated message", ctx->label == CNodeCopy ? "Copy" : "Mint");
            return syscall_error_truncated_message(ctx);
        }
        word_t rights = ctx->label == CNodeCopy ? INV_WORD(ctx, CNodeCopy, rights)
                                                : INV_WORD(ctx, CNodeMint, rights);
        cap_t masked = cap_mask_rights(rights, src->cap);
        cap_t derived;
        status = cap_derive(src, masked, &derived, &ctx->err);
        if (status != EXCEPTION_NONE) {
            kuser_error("CNode Copy/Mint: the source cap cannot be derived");
            return status;
        }
        new_cap = ctx->label == CNodeCopy
                      ? derived
                      : cap_update_data(false, INV_WORD(ctx, CNodeMint, badge), derived);
        break;
    }
    case CNodeMove:
        new_cap = src->cap;
        is_move = true;
        break;
    default: /* CNodeMutate */
        if (ctx->length < KAAL_INV_CNodeMutate_LEN) {
            kuser_error("CNode Mutate: truncated message");
            return syscall_error_truncated_message(ctx);
        }
        new_cap = cap_update_data(true, INV_WORD(ctx, CNodeMutate, badge), src->cap);
        is_move = true;
        break;
    }
    if (cap_get_cap_type(new_cap) == cap_null_cap) {
        kuser_error("CNode Copy/Mint/Move/Mutate: the resulting cap would be invalid");
        return syscall_error_illegal_operation(ctx);
    }
    return is_move ? perform_cnode_move(new_cap, src, dest)
                   : perform_cnode_insert(new_cap, src, dest);
}

static exception_t decode_cnode_rotate(struct invocation_ctx *ctx, cte_t *dest)
{
    if (INV_TRUNCATED(ctx, CNodeRotate)) {
        return syscall_error_truncated_message(ctx);
    }
    word_t dest_badge = INV_WORD(ctx, CNodeRotate, dest_badge);
    word_t pivot_index = INV_WORD(ctx, CNodeRotate, pivot_index);
    word_t pivot_depth = INV_WORD(ctx, CNodeRotate, pivot_depth);
    word_t pivot_badge = INV_WORD(ctx, CNodeRotate, pivot_badge);
    word_t src_index = INV_WORD(ctx, CNodeRotate, src_index);
    word_t src_depth = INV_WORD(ctx, CNodeRotate, src_depth);
    cap_t pivot_root = ctx->extra_caps[KAAL_CAP_CNodeRotate_pivot_root];
    cap_t src_root = ctx->extra_caps[KAAL_CAP_CNodeRotate_src_root];

    cte_t *src, *pivot;
    exception_t status =
        cspace_lookup_slot_for_cnode_op(ctx, true, src_root, src_index, src_depth, &src);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    status =
        cspace_lookup_slot_for_cnode_op(ctx, true, pivot_root, pivot_index, pivot_depth, &pivot);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    if (pivot == src || pivot == dest) {
        kuser_error("CNode Rotate: the pivot slot must differ from source and destination");
        return syscall_error_illegal_operation(ctx);
    }
    if (src != dest) {
        status = ensure_empty_slot(ctx, dest, 0);
        if (status != EXCEPTION_NONE) {
            return status;
        }
    }
    if (cap_get_cap_type(src->cap) == cap_null_cap) {
        return missing_cap(ctx, true, src_depth);
    }
    if (cap_get_cap_type(pivot->cap) == cap_null_cap) {
        return missing_cap(ctx, false, pivot_depth);
    }
    /* The pivot's cap goes to dest with dest_badge; the source's goes to the pivot with
     * pivot_badge. */
    cap_t new_src_cap = cap_update_data(true, pivot_badge, src->cap);
    cap_t new_pivot_cap = cap_update_data(true, dest_badge, pivot->cap);
    if (cap_get_cap_type(new_src_cap) == cap_null_cap ||
        cap_get_cap_type(new_pivot_cap) == cap_null_cap) {
        kuser_error("CNode Rotate: a resulting cap would be invalid");
        return syscall_error_illegal_operation(ctx);
    }
    return perform_cnode_rotate(new_src_cap, new_pivot_cap, src, pivot, dest);
}

/* The cap may cancel badged sends only with every right (seL4's hasCancelSendRights). */
static bool cap_has_cancel_send_rights(cap_t cap)
{
    return cap_get_cap_type(cap) == cap_endpoint_cap && cap_endpoint_cap_get_can_send(cap) &&
           cap_endpoint_cap_get_can_receive(cap) && cap_endpoint_cap_get_can_grant(cap) &&
           cap_endpoint_cap_get_can_grant_reply(cap);
}

exception_t decode_cnode_invocation(struct invocation_ctx *ctx)
{
#ifdef CONFIG_KERNEL_MCS
    const word_t last_label = CNodeRotate;
#else
    const word_t last_label = CNodeSaveCaller;
#endif
    if (ctx->label < CNodeRevoke || ctx->label > last_label) {
        kuser_error("CNode: illegal operation %lu", (unsigned long)ctx->label);
        return syscall_error_illegal_operation(ctx);
    }
    if (ctx->length < 2) {
        kuser_error("CNode: truncated message");
        return syscall_error_truncated_message(ctx);
    }
    /* Every CNode invocation names its (destination) slot in MR0/MR1 of the invoked CNode. */
    cte_t *dest;
    exception_t status = cspace_lookup_slot_for_cnode_op(ctx, false, ctx->cap, inv_arg(ctx, 0),
                                                         inv_arg(ctx, 1), &dest);
    if (status != EXCEPTION_NONE) {
        kuser_error("CNode: the destination slot cannot be looked up");
        return status;
    }

    switch (ctx->label) {
    case CNodeCopy:
    case CNodeMint:
    case CNodeMove:
    case CNodeMutate:
        return decode_cnode_copy_like(ctx, dest);
    case CNodeRevoke:
        return perform_cnode_revoke(dest);
    case CNodeDelete:
        return perform_cnode_delete(dest);
#ifndef CONFIG_KERNEL_MCS
    case CNodeSaveCaller:
        status = ensure_empty_slot(ctx, dest, "CNode SaveCaller");
        if (status != EXCEPTION_NONE) {
            return status;
        }
        return perform_cnode_save_caller(ctx->thread, dest);
#endif
    case CNodeCancelBadgedSends:
        if (!cap_has_cancel_send_rights(dest->cap)) {
            kuser_error("CNode CancelBadgedSends: not an endpoint cap with all rights");
            return syscall_error_illegal_operation(ctx);
        }
        return perform_cnode_cancel_badged_sends(dest->cap);
    default: /* CNodeRotate */
        return decode_cnode_rotate(ctx, dest);
    }
}
