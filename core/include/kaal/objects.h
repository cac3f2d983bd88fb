/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-object-type entry points: creation from untyped, finalisation, and invocation decoders. */
#ifndef KAAL_OBJECTS_H
#define KAAL_OBJECTS_H

#include <kaal/invocation.h>
#include <kaal/structures.h>

/* Size in bits of an object of `type` created with retype argument size_bits (seL4 getObjectSize). */
word_t object_size_bits(word_t type, word_t user_size_bits);
/* Create one object of `type` at physical address pa (zeroed already unless a device frame) and
 * return the cap that names it, with all rights. */
cap_t object_create(word_t type, paddr_t pa, word_t user_size_bits, bool device);

/* Finalise the object when its final cap goes. Returns a zombie cap when the object still has
 * slots to clear (CNode, TCB), else the null cap. Never fails with a user error. */
cap_t object_finalise(cap_t cap, bool final);

/* Invocation decoders, one per object type (decode, then perform). */
exception_t decode_untyped_invocation(struct invocation_ctx *ctx);
exception_t decode_cnode_invocation(struct invocation_ctx *ctx);
exception_t decode_tcb_invocation(struct invocation_ctx *ctx);
exception_t decode_domain_invocation(struct invocation_ctx *ctx);
exception_t decode_irq_control_invocation(struct invocation_ctx *ctx);
exception_t decode_irq_handler_invocation(struct invocation_ctx *ctx);
exception_t decode_arch_invocation(struct invocation_ctx *ctx); /* frame, page table, vspace, asid */

/* Reset an untyped with no children (free index to 0, memory zeroed in chunks). Preemptible. */
exception_t untyped_reset(cte_t *slot);

#endif
