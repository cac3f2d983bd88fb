/* SPDX-License-Identifier: BSD-2-Clause */
/* CSpace address resolution with seL4's guard/radix rules and lookup-failure details. */
#ifndef KAAL_CSPACE_H
#define KAAL_CSPACE_H

#include <kaal/errors.h>
#include <kaal/structures.h>

struct resolve_result {
    cte_t *slot;          /* the slot reached */
    word_t bits_remaining; /* bits of the address not consumed when a non-CNode cap was reached */
};

/* Resolve `depth` bits of cptr, starting at the CNode cap `root`. Stops at the first slot whose cap
 * is not a CNode, or when the bits run out. On failure fills *lf and returns EXCEPTION_LOOKUP_FAULT
 * (InvalidRoot if root is not a CNode; GuardMismatch; DepthMismatch when a level would need more bits
 * than remain). Does not check that the final slot holds a cap. */
exception_t cspace_resolve_address_bits(cap_t root, cptr_t cptr, word_t depth, struct resolve_result *res,
                                        struct lookup_fault *lf);

struct invocation_ctx;
/* Look up the slot for (cptr, depth) in the CNode cap `root` for a CNode-addressed argument, as an
 * invocation error: root not a CNode -> FailedLookup(InvalidRoot); depth outside 1..64 ->
 * RangeError(1, 64); lookup failure -> FailedLookup(its details); bits left over -> FailedLookup
 * (DepthMismatch). `is_source` is FailedLookup's MR0. The slot may be empty. */
exception_t cspace_lookup_slot_for_cnode_op(struct invocation_ctx *ctx, bool is_source, cap_t root, cptr_t cptr,
                                            word_t depth, cte_t **slot);

/* Look up the slot for cptr in thread's CSpace with depth 64 (how invoked caps and extra caps are
 * found). The cap may be null; callers that need a cap check it (MissingCapability, bits left 0). */
exception_t cspace_lookup_slot(struct tcb *thread, cptr_t cptr, cte_t **slot, struct lookup_fault *lf);

/* Like cspace_lookup_slot but fails with MissingCapability(0) when the slot is empty. */
exception_t cspace_lookup_cap(struct tcb *thread, cptr_t cptr, cte_t **slot, cap_t *cap, struct lookup_fault *lf);

#endif
