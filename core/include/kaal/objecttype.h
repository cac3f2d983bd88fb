/* SPDX-License-Identifier: BSD-2-Clause */
/* The per-capability hub (core/object/objecttype.c, as seL4's src/object/objecttype.c): everything
 * that differs by cap type or object type, in one place. The derivation tree, the CNode and TCB
 * decoders and IPC ask it; it hands the AArch64 cap types (tags with bit 0 set: frame, page table,
 * VSpace, ASID control, ASID pool, SGI signal) to core/object/arch_objecttype.c, one arch_*
 * function per operation. Adding a cap type means its tag in core/abi/kaal/abi/cap_tags.h and its
 * variant in structures.bf, a case in each operation of objecttype.c (or of the arch file), and its
 * decoder (docs/internals.md#the-per-capability-hub). */
#ifndef KAAL_OBJECTTYPE_H
#define KAAL_OBJECTTYPE_H

#include <kaal/invocation.h>
#include <kaal/structures.h>

/* seL4's isArchCap: every AArch64 cap tag is odd, every architecture-neutral one even. */
static inline bool cap_is_arch(cap_t cap) { return (cap_get_cap_type(cap) & 1) != 0; }

/* ---- object types (Untyped_Retype) ---- */

/* Size in bits of an object of `type` created with retype argument size_bits (seL4 getObjectSize).
 * Retype's decoder has checked type < seL4_ObjectTypeCount. */
word_t object_size_bits(word_t type, word_t user_size_bits);
/* Create one object of `type` at physical address pa (zeroed already unless a device frame) and
 * return the cap that names it, with all rights (seL4 createObject). */
cap_t object_create(word_t type, paddr_t pa, word_t user_size_bits, bool device);

/* ---- what a cap names ---- */

/* The memory a cap names: base (physical) and size in bits; bits 0 when it names none. Returned in
 * two registers. */
struct cap_region {
    paddr_t base;
    word_t bits;
};
/* Does region r lie within [base, top] (top inclusive)? Never for a cap that names no memory. */
static inline bool cap_region_within(struct cap_region r, paddr_t base, paddr_t top)
{
    paddr_t r_top = r.base + MASK(r.bits);
    return r.bits != 0 && base <= r.base && r_top <= top && r.base <= r_top;
}

/* Object size in bits of the object a cap names (0 for caps without memory). */
word_t cap_object_size_bits(cap_t cap);
/* Physical address of the object a cap names, or 0. */
paddr_t cap_object_paddr(cap_t cap);
/* The ABI's name of a cap type tag ("cnode", "thread", ...; "?" for an unknown tag), for
 * diagnostics. */
const char *cap_type_name(word_t tag);
/* seL4's sameRegionAs: does b name (part of) what a names? An untyped covers its whole region. */
bool cap_same_region_as(cap_t a, cap_t b);
/* seL4's sameObjectAs: are a and b caps to the same object (untyped caps never are)? */
bool cap_same_object_as(cap_t a, cap_t b);
/* seL4's isCapRevocable: may `derived`, made from `src`, have children of its own? */
bool cap_is_revocable(cap_t derived, cap_t src);

/* ---- changing caps: Copy, Mint, Mutate, TCB_Configure, IPC cap transfer ---- */

/* Derive a cap for Copy/Mint (seL4 deriveCap): may refuse (IllegalOperation or RevokeFirst).
 * *out is the null cap for caps that cannot be copied (the caller refuses) and on an error. */
exception_t cap_derive(cte_t *slot, cap_t cap, cap_t *out, struct syscall_error *err);
/* Apply Mint/Mutate data: badge for endpoint/notification, guard for CNode. `preserve` is Mutate's
 * mode (endpoint/notification become null). Returns the null cap when the update is refused. */
cap_t cap_update_data(bool preserve, word_t data, cap_t cap);
/* Mask a cap's rights with a seL4_CapRights word. */
cap_t cap_mask_rights(word_t rights, cap_t cap);

/* ---- deletion and invocation ---- */

/* Finalise the object when a cap to it is deleted (seL4 finaliseCap); `final` says it is the last
 * cap to the object. Returns a zombie cap when the object still has slots to clear (CNode, TCB),
 * the zombie itself while it is being cleared, else the null cap. Never fails with a user error. */
cap_t object_finalise(cap_t cap, bool final);
/* Dispatch an invocation on ctx->cap to its object's decoder (decode, then perform). */
exception_t decode_invocation(struct invocation_ctx *ctx);

/* ---- the arch hand-off (core/object/arch_objecttype.c): cap_is_arch caps, arch object types ----
 */

word_t arch_object_size_bits(word_t type);
cap_t arch_object_create(word_t type, paddr_t pa, bool device);
struct cap_region arch_cap_region(cap_t cap);
/* cap_region_within(arch_cap_region(cap), base, top), with no call on the way (an untyped's
 * Retype). */
bool arch_cap_within(cap_t cap, paddr_t base, paddr_t top);
bool arch_same_region_as(cap_t a, cap_t b);
bool arch_same_object_as(cap_t a, cap_t b);
bool arch_cap_is_revocable(cap_t derived, cap_t src);
exception_t arch_derive_cap(cap_t cap, cap_t *out, struct syscall_error *err);
cap_t arch_mask_rights(seL4_CapRights_t rights, cap_t cap);
/* Unmap, free the ASID: every frame cap undoes its own mapping, the other caps only when final. */
void arch_finalise_cap(cap_t cap, bool final);
exception_t decode_arch_invocation(struct invocation_ctx *ctx);

#endif
