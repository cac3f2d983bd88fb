/* SPDX-License-Identifier: BSD-2-Clause */
/* CSpace address resolution with seL4's guard/radix rules and lookup-failure details. */
#ifndef KAAL_CSPACE_H
#define KAAL_CSPACE_H

#include <kaal/errors.h>
#include <kaal/structures.h>

struct resolve_result {
    cte_t *slot;           /* the slot reached */
    word_t bits_remaining; /* bits of the address not consumed when a non-CNode cap was reached */
};

/* Resolve `depth` bits of cptr, starting at the CNode cap `root`. Stops at the first slot whose cap
 * is not a CNode, or when the bits run out. On failure fills *lf and returns EXCEPTION_LOOKUP_FAULT
 * (InvalidRoot if root is not a CNode; GuardMismatch; DepthMismatch when a level would need more
 * bits than remain). Does not check that the final slot holds a cap. */
exception_t cspace_resolve_address_bits(cap_t root, cptr_t cptr, word_t depth,
                                        struct resolve_result *res, struct lookup_fault *lf);

struct invocation_ctx;
/* Look up the slot for (cptr, depth) in the CNode cap `root` for a CNode-addressed argument, as an
 * invocation error: root not a CNode -> FailedLookup(InvalidRoot); depth outside 1..64 ->
 * RangeError(1, 64); lookup failure -> FailedLookup(its details); bits left over -> FailedLookup
 * (DepthMismatch). `is_source` is FailedLookup's MR0. The slot may be empty. */
exception_t cspace_lookup_slot_for_cnode_op(struct invocation_ctx *ctx, bool is_source, cap_t root,
                                            cptr_t cptr, word_t depth, cte_t **slot);

/* cspace_lookup_slot's general case: any number of levels, and every failure. */
exception_t cspace_lookup_slot_walk(struct tcb *thread, cptr_t cptr, cte_t **slot,
                                    struct lookup_fault *lf);

/* Look up the slot for cptr in thread's CSpace with depth 64 (how invoked caps and extra caps are
 * found). The cap may be null; callers that need a cap check it (MissingCapability, bits left 0).
 * Inline for the usual CSpace, one CNode whose guard and radix take all 64 bits: the first level
 * of cspace_resolve_address_bits then ends the walk (guard matches, all bits used); anything else
 * (another level, a mismatch) takes the general walk. cspace_lookup_slot_one_level is that first
 * level alone: true with the slot, or false when the general walk must decide. */
static inline bool cspace_lookup_slot_one_level(struct tcb *thread, cptr_t cptr, cte_t **slot)
{
    cap_t root = thread->ctes[TCB_CTABLE].cap;
    if (cap_get_cap_type(root) == cap_cnode_cap) {
        word_t radix = cap_cnode_cap_get_radix(root);
        word_t guard_bits = cap_cnode_cap_get_guard_size(root);
        /* radix >= 1 in a well-formed CNode cap, so the shifts below are by 1..63 */
        if (radix + guard_bits == seL4_WordBits && radix != 0 &&
            (cptr >> radix) == (cap_cnode_cap_get_guard(root) & MASK(guard_bits))) {
            *slot = cnode_slots(root) + (cptr & MASK(radix));
            return true;
        }
    }
    return false; /* not the usual CSpace, or the guard does not match: the general walk decides */
}

static inline exception_t cspace_lookup_slot(struct tcb *thread, cptr_t cptr, cte_t **slot,
                                             struct lookup_fault *lf)
{
    if (cspace_lookup_slot_one_level(thread, cptr, slot)) {
        return EXCEPTION_NONE;
    }
    return cspace_lookup_slot_walk(thread, cptr, slot, lf);
}

/* Like cspace_lookup_slot but fails with MissingCapability(0) when the slot is empty. */
exception_t cspace_lookup_cap(struct tcb *thread, cptr_t cptr, cte_t **slot, cap_t *cap,
                              struct lookup_fault *lf);

#endif
