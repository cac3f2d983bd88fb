/* SPDX-License-Identifier: BSD-2-Clause */
/* CSpace address resolution: guard and radix per level, with seL4's lookup-failure details. */
#include <kaal/cspace.h>
#include <kaal/invocation.h>

exception_t cspace_resolve_address_bits(cap_t node, cptr_t cptr, word_t n_bits,
                                        struct resolve_result *res, struct lookup_fault *lf)
{
    res->slot = NULL;
    res->bits_remaining = n_bits;
    if (cap_get_cap_type(node) != cap_cnode_cap) {
        *lf = (struct lookup_fault){.type = seL4_InvalidRoot};
        return EXCEPTION_LOOKUP_FAULT;
    }
    for (;;) {
        word_t radix = cap_cnode_cap_get_radix(node);
        word_t guard_bits = cap_cnode_cap_get_guard_size(node);
        word_t level_bits = radix + guard_bits;
        word_t cap_guard = cap_cnode_cap_get_guard(node);
        /* Well-formed CNode caps have radix >= 1 and radix + guard size <= 64 (cap_update_data
         * refuses anything else), so every level consumes at least one bit. */
        kassert(level_bits > 0 && level_bits <= seL4_WordBits);

        word_t guard = (cptr >> ((n_bits - guard_bits) & (seL4_WordBits - 1))) & MASK(guard_bits);
        if (guard_bits > n_bits || guard != (cap_guard & MASK(guard_bits))) {
            *lf = (struct lookup_fault){.type = seL4_GuardMismatch,
                                        .bits_left = n_bits,
                                        .guard_found = cap_guard,
                                        .bits_found = guard_bits};
            return EXCEPTION_LOOKUP_FAULT;
        }
        if (level_bits > n_bits) {
            *lf = (struct lookup_fault){
                .type = seL4_DepthMismatch, .bits_left = n_bits, .bits_found = level_bits};
            return EXCEPTION_LOOKUP_FAULT;
        }
        word_t offset = (cptr >> (n_bits - level_bits)) & MASK(radix);
        cte_t *slot = cnode_slots(node) + offset;
        if (n_bits <= level_bits) {
            res->slot = slot;
            res->bits_remaining = 0;
            return EXCEPTION_NONE;
        }
        n_bits -= level_bits;
        node = slot->cap;
        if (cap_get_cap_type(node) != cap_cnode_cap) {
            res->slot = slot;
            res->bits_remaining = n_bits;
            return EXCEPTION_NONE;
        }
    }
}

exception_t cspace_lookup_slot_for_cnode_op(struct invocation_ctx *ctx, bool is_source, cap_t root,
                                            cptr_t cptr, word_t depth, cte_t **slot)
{
    struct lookup_fault lf;
    struct resolve_result res;

    *slot = NULL;
    if (cap_get_cap_type(root) != cap_cnode_cap) {
        lf = (struct lookup_fault){.type = seL4_InvalidRoot};
        return syscall_error_failed_lookup(ctx, is_source, &lf);
    }
    if (depth < 1 || depth > seL4_WordBits) {
        return syscall_error_range(ctx, 1, seL4_WordBits);
    }
    if (cspace_resolve_address_bits(root, cptr, depth, &res, &lf) != EXCEPTION_NONE) {
        return syscall_error_failed_lookup(ctx, is_source, &lf);
    }
    if (res.bits_remaining != 0) {
        lf = (struct lookup_fault){
            .type = seL4_DepthMismatch, .bits_left = res.bits_remaining, .bits_found = 0};
        return syscall_error_failed_lookup(ctx, is_source, &lf);
    }
    *slot = res.slot;
    return EXCEPTION_NONE;
}

exception_t cspace_lookup_slot_walk(struct tcb *thread, cptr_t cptr, cte_t **slot,
                                    struct lookup_fault *lf)
{
    struct resolve_result res;
    exception_t status =
        cspace_resolve_address_bits(thread->ctes[TCB_CTABLE].cap, cptr, seL4_WordBits, &res, lf);
    *slot = res.slot;
    return status;
}

exception_t cspace_lookup_cap(struct tcb *thread, cptr_t cptr, cte_t **slot, cap_t *cap,
                              struct lookup_fault *lf)
{
    exception_t status = cspace_lookup_slot(thread, cptr, slot, lf);
    if (status != EXCEPTION_NONE) {
        *cap = cap_null_cap_new();
        return status;
    }
    *cap = (*slot)->cap;
    if (cap_get_cap_type(*cap) == cap_null_cap) {
        *lf = (struct lookup_fault){.type = seL4_MissingCapability, .bits_left = 0};
        return EXCEPTION_LOOKUP_FAULT;
    }
    return EXCEPTION_NONE;
}
