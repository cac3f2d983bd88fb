/* SPDX-License-Identifier: BSD-2-Clause */
/* ASIDs: ASIDControl_MakePool turns a 4 KiB untyped into an ASID pool, ASIDPool_Assign binds a
 * VSpace to the pool's lowest free ASID, and deleting a VSpace or pool unbinds them (seL4's
 * decodeARMMMUInvocation for ASID caps, performASIDControlInvocation, deleteASID, deleteASIDPool).
 * ks.asid_table[high] holds each pool (physical address); a pool's entries hold VSpace roots. */
#include <kaal/cdt.h>
#include <kaal/cspace.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>
#include <kaal/vspace.h>

void asid_delete(word_t asid, paddr_t vspace_pa)
{
    asid_pool_t *pool = asid_pool_of(asid);
    if (pool == NULL || pool->vspace[ASID_LOW(asid)] != vspace_pa) {
        return; /* the pool went first: the binding is gone already */
    }
    hal_tlb_invalidate_asid(asid);
    pool->vspace[ASID_LOW(asid)] = 0;
    hal_vspace_bindings_changed();
}

void asid_pool_delete(word_t asid_base, paddr_t pool_pa)
{
    kassert(ASID_LOW(asid_base) == 0); /* pool caps are made with a pool-aligned base */
    if (ks.asid_table[ASID_HIGH(asid_base)] != pool_pa) {
        return;
    }
    asid_pool_t *pool = PTOV(asid_pool_t, pool_pa);
    for (word_t i = 0; i < ASID_POOL_ENTRIES; i++) {
        if (pool->vspace[i] != 0) {
            hal_tlb_invalidate_asid(asid_base + i);
            pool->vspace[i] = 0;
        }
    }
    ks.asid_table[ASID_HIGH(asid_base)] = 0;
    hal_vspace_bindings_changed();
}

/* ---- ASIDControl_MakePool ---- */

/* The untyped's memory becomes the pool: the untyped is marked full (it cannot hand the memory out
 * again), the pool is cleared, its cap goes into dest as the untyped's child, and the pool takes
 * table entry `high`. */
static exception_t perform_asid_control_make_pool(cte_t *untyped_slot, cte_t *dest, word_t high)
{
    cap_t untyped = untyped_slot->cap;
    paddr_t pa = cap_untyped_cap_get_ptr(untyped);
    cap_untyped_cap_ptr_set_free_index(&untyped_slot->cap,
                                       BIT(seL4_ASIDPoolBits) >> seL4_MinUntypedBits);
    hal_zero_phys(pa, BIT(seL4_ASIDPoolBits));
    cte_insert(cap_asid_pool_cap_new(pa, high << seL4_ASIDPoolIndexBits), untyped_slot, dest);
    ks.asid_table[high] = pa;
    hal_vspace_bindings_changed();
    return EXCEPTION_NONE;
}

exception_t decode_asid_control_invocation(struct invocation_ctx *ctx)
{
    if (ctx->label != ARMASIDControlMakePool) {
        return syscall_error_illegal_operation(ctx);
    }
    if (INV_TRUNCATED(ctx, ARMASIDControlMakePool)) {
        return syscall_error_truncated_message(ctx);
    }
    word_t index = INV_WORD(ctx, ARMASIDControlMakePool, index);
    word_t depth = INV_WORD(ctx, ARMASIDControlMakePool, depth);
    cte_t *untyped_slot = ctx->extra_slots[0];
    cap_t untyped = ctx->extra_caps[0];
    cap_t root = ctx->extra_caps[1];

    word_t high = 0;
    while (high < ASID_POOLS && ks.asid_table[high] != 0) {
        high++;
    }
    if (high == ASID_POOLS) {
        return syscall_error_delete_first(ctx);
    }
    if (cap_get_cap_type(untyped) != cap_untyped_cap ||
        cap_untyped_cap_get_block_size(untyped) != seL4_ASIDPoolBits ||
        cap_untyped_cap_get_is_device(untyped)) {
        return syscall_error_invalid_capability(ctx, 1);
    }
    if (cdt_has_children(untyped_slot)) {
        return syscall_error_revoke_first(ctx);
    }
    cte_t *dest;
    exception_t status = cspace_lookup_slot_for_cnode_op(ctx, false, root, index, depth, &dest);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    if (cap_get_cap_type(dest->cap) != cap_null_cap) {
        return syscall_error_delete_first(ctx);
    }
    return perform_asid_control_make_pool(untyped_slot, dest, high);
}

/* ---- ASIDPool_Assign ---- */

/* Bind the VSpace in vspace_slot to asid, and record the ASID in its cap. */
static exception_t perform_asid_pool_assign(asid_pool_t *pool, word_t asid, cte_t *vspace_slot)
{
    kassert(pool->vspace[ASID_LOW(asid)] == 0); /* decode picked a free entry */
    cap_t cap = cap_vspace_cap_set_is_mapped(vspace_slot->cap, 1);
    vspace_slot->cap = cap_vspace_cap_set_mapped_asid(cap, asid);
    pool->vspace[ASID_LOW(asid)] = cap_vspace_cap_get_ptr(cap);
    hal_vspace_bindings_changed();
    return EXCEPTION_NONE;
}

exception_t decode_asid_pool_invocation(struct invocation_ctx *ctx)
{
    if (ctx->label != ARMASIDPoolAssign) {
        return syscall_error_illegal_operation(ctx);
    }
    if (ctx->nextra <
        KAAL_INV_ARMASIDPoolAssign_NCAPS) { /* no words: INV_TRUNCATED's length test is moot */
        return syscall_error_truncated_message(ctx);
    }
    cap_t vspace = ctx->extra_caps[0];
    if (cap_get_cap_type(vspace) != cap_vspace_cap || cap_vspace_cap_get_is_mapped(vspace)) {
        return syscall_error_invalid_capability(ctx, 1);
    }
    word_t base = cap_asid_pool_cap_get_asid_base(ctx->cap);
    paddr_t pool_pa = ks.asid_table[ASID_HIGH(base)];
    if (pool_pa == 0) {
        /* Not reachable while pools go with their last cap; kept as seL4 has it. */
        return syscall_error_failed_lookup(ctx, false,
                                           &(struct lookup_fault){.type = seL4_InvalidRoot});
    }
    if (pool_pa != cap_asid_pool_cap_get_ptr(ctx->cap)) {
        return syscall_error_invalid_capability(ctx, 0);
    }
    asid_pool_t *pool = PTOV(asid_pool_t, pool_pa);
    word_t i = 0;
    while (i < ASID_POOL_ENTRIES && (base + i == ASID_INVALID || pool->vspace[i] != 0)) {
        i++;
    }
    if (i == ASID_POOL_ENTRIES) {
        return syscall_error_delete_first(ctx);
    }
    return perform_asid_pool_assign(pool, base + i, ctx->extra_slots[0]);
}
