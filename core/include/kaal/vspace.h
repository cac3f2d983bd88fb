/* SPDX-License-Identifier: BSD-2-Clause */
/* The VSpace object model (seL4's AArch64 semantics): ASIDs and their pools, page tables, frames,
 * and the read-only walk "what does this VSpace map at vaddr". Entry formats stay behind hal_pte_*
 * (<hal/mmu.h>); this layer only decides which entry goes where. */
#ifndef KAAL_VSPACE_H
#define KAAL_VSPACE_H

#include <hal/mmu.h>
#include <kaal/invocation.h>
#include <kaal/kernel.h>
#include <kaal/structures.h>

/* ASIDs (docs/abi.md#address-space): 7 high bits pick the pool in ks.asid_table, 9 low bits the
 * entry in the pool. */
#define ASID_POOLS BIT(seL4_NumASIDPoolsBits)         /* 128 */
#define ASID_POOL_ENTRIES BIT(seL4_ASIDPoolIndexBits) /* 512 */
#define ASID_HIGH(asid) ((word_t)(asid) >> seL4_ASIDPoolIndexBits)
#define ASID_LOW(asid) ((word_t)(asid)&MASK(seL4_ASIDPoolIndexBits))
#define ASID_INVALID 0 /* never handed out; a frame cap's mapped_asid 0 means "not mapped" */

/* ---- Reads (any kernel context; also used by hostsim's shadow MMU and by tests) ---- */

/* What the VSpace whose root table is at physical vspace_root_pa maps at the user address vaddr.
 * Walks the tables from the root (levels 0..3) as the hardware would. Returns false when vaddr is
 * above seL4_UserTop or no page or block maps it (an invalid entry, or a missing table, on the
 * way). Otherwise returns true and sets (each pointer may be NULL when not wanted):
 *   *frame_pa   physical base of the mapped frame, aligned to 2^*size_bits; the byte at vaddr
 *               is at *frame_pa + (vaddr & MASK(*size_bits));
 *   *size_bits  12 (4 KiB page, level 3), 21 (2 MiB block, level 2) or 30 (1 GiB block, level 1);
 *   *rights     the mapping's user rights as an enum vm_rights value: VM_READ_WRITE, VM_READ_ONLY
 *               or VM_KERNEL_ONLY (no user access at all: a write-only Page_Map gives this);
 *   *attrs      seL4_ARM_VMAttributes bits: seL4_ARM_PageCacheable (Normal write-back memory;
 *               clear means Device-nGnRnE) and seL4_ARM_ExecuteNever (not executable at EL0).
 * Reads only; never fails otherwise. The result is what user code may do at vaddr right now (it
 * changes only through kernel entries, each followed by hal_tlb_invalidate_* when an entry
 * is removed or replaced). vspace_root_pa must be a VSpace object (e.g. a VSpace cap's ptr). */
bool vspace_lookup(paddr_t vspace_root_pa, word_t vaddr, paddr_t *frame_pa, word_t *size_bits,
                   word_t *rights, word_t *attrs);

/* The ASID pool that holds asid, or NULL when its high part has none. */
static inline asid_pool_t *asid_pool_of(word_t asid)
{
    kassert(ASID_HIGH(asid) < ASID_POOLS); /* ASIDs are 16-bit: every cap field holding one is */
    paddr_t pool = ks.asid_table[ASID_HIGH(asid)];
    return pool ? PTOV(asid_pool_t, pool) : NULL;
}

/* The VSpace root bound to asid, or 0 when its pool or its entry is empty (seL4's
 * findVSpaceForASID). Inline: every return to a thread's address space asks it. */
static inline paddr_t asid_find_vspace(word_t asid)
{
    asid_pool_t *pool = asid_pool_of(asid);
    return pool ? pool->vspace[ASID_LOW(asid)] : 0;
}

/* The VSpace thread t runs in (seL4's setVMRoot rule): its VTable slot's root and ASID, when the
 * slot holds a mapped VSpace cap whose ASID still names that root. Returns false otherwise (no
 * cap, not mapped, the ASID pool deleted, or the ASID bound to another VSpace now): the thread then
 * runs with no user mappings. The ports' exit paths decide by this (aarch64: through a cache that
 * aarch64_vspace_refresh fills from it, hal/aarch64/kernel/trap.c). */
static inline bool tcb_vspace(const struct tcb *t, paddr_t *root, word_t *asid)
{
    cap_t cap = t->ctes[TCB_VTABLE].cap;
    if (cap_get_cap_type(cap) != cap_vspace_cap || !cap_vspace_cap_get_is_mapped(cap) ||
        asid_find_vspace(cap_vspace_cap_get_mapped_asid(cap)) != cap_vspace_cap_get_ptr(cap)) {
        return false;
    }
    *root = cap_vspace_cap_get_ptr(cap);
    *asid = cap_vspace_cap_get_mapped_asid(cap);
    return true;
}

/* Size in bits (12, 21, 30) of a frame cap's frame, from its size field. Inline: the hub's region
 * questions and Page_Map ask it on their paths. */
static inline word_t frame_size_bits_of(word_t frame_size)
{
    /* Sizes 0, 1, 2 are one translation level (9 bits) apart: an add and a shifted add. */
    _Static_assert(FRAME_SMALL == 0 && FRAME_LARGE == 1 && FRAME_HUGE == 2 &&
                       seL4_LargePageBits == seL4_PageBits + 9 &&
                       seL4_HugePageBits == seL4_PageBits + 18,
                   "frame size n is seL4_PageBits + 9 * n bits");
    kassert(frame_size <= FRAME_HUGE); /* the size field has no fourth value in use */
    return seL4_PageBits + 9 * frame_size;
}

/* ---- Kernel-internal: shared by frame.c, pagetable.c, asid.c and vspace.c ---- */

/* A frame cap's rights (enum vm_rights) masked by a seL4_CapRights_t word (seL4's maskVMRights):
 * write needs read; nothing else survives. Inline: Page_Map masks by its argument on every call
 * (arch_mask_rights, for CNode_Mint and friends, uses the same rule). */
static inline word_t frame_mask_vm_rights(word_t vm_rights, word_t rights_word)
{
    seL4_CapRights_t mask = {{rights_word}};
    if (!seL4_CapRights_get_capAllowRead(mask)) {
        return VM_KERNEL_ONLY;
    }
    /* The rights form a chain, each value's bits a subset of the next one's: masking by write
     * keeps read-write, and turns read-write into read-only; read-only and kernel-only stay. */
    _Static_assert(VM_KERNEL_ONLY == 0 && (VM_READ_ONLY & ~VM_READ_WRITE) == 0,
                   "vm_rights: kernel-only < read-only < read-write as bit sets");
    return vm_rights & (seL4_CapRights_get_capAllowWrite(mask) ? VM_READ_WRITE : VM_READ_ONLY);
}

/* The deepest table slot for vaddr that a walk from the root reaches (seL4's lookupPTSlot): the
 * walk follows table entries down to level 3 and stops at the first entry that is not a table. */
struct pt_slot {
    word_t *pte;      /* the slot (kernel pointer into a VSpace or page-table object) */
    word_t level;     /* 0..3 */
    word_t bits_left; /* HAL_PT_LEVEL_SHIFT(level): 39, 30, 21 or 12 */
};
/* Inline: Page_Map walks on every call, and the three-word result then stays in registers. */
static inline struct pt_slot vspace_lookup_pt_slot(paddr_t vspace_root_pa, word_t vaddr)
{
    word_t level = 0;
    word_t *pte = &PTOV(word_t, vspace_root_pa)[HAL_PT_INDEX(vaddr, 0)];
    while (level < HAL_PT_LEVELS - 1 && hal_pte_is_table(*pte, level)) {
        paddr_t next = hal_pte_address(*pte);
        level++;
        pte = &PTOV(word_t, next)[HAL_PT_INDEX(vaddr, level)];
    }
    return (struct pt_slot){.pte = pte, .level = level, .bits_left = HAL_PT_LEVEL_SHIFT(level)};
}

/* Cache maintenance for a flush invocation label (ARMPage*_Data / *_Instruction or ARMVSpace*):
 * clean, invalidate, clean+invalidate or unify [pa, pa + size) through the hal. */
void vspace_cache_maintain(word_t label, paddr_t pa, word_t size);

/* Decoders (arch_objecttype.c's decode_arch_invocation dispatches on the cap type). */
exception_t decode_frame_invocation(struct invocation_ctx *ctx);
exception_t decode_page_table_invocation(struct invocation_ctx *ctx);
exception_t decode_vspace_invocation(struct invocation_ctx *ctx);
exception_t decode_asid_control_invocation(struct invocation_ctx *ctx);
exception_t decode_asid_pool_invocation(struct invocation_ctx *ctx);

/* Undoing mappings (finalisation and the Unmap invocations). Each is a no-op when the recorded
 * mapping is stale (its ASID no longer names a VSpace, or the entry no longer holds this object),
 * as seL4's unmapPage / unmapPageTable / deleteASID / deleteASIDPool are. */
/* Remove the mapping of the frame at frame_pa (size field frame_size) at (asid, vaddr). */
void frame_unmap(word_t frame_size, word_t asid, word_t vaddr, paddr_t frame_pa);
/* Remove the entry linking the table at pt_pa into asid's VSpace on the path to vaddr. */
void page_table_unmap(word_t asid, word_t vaddr, paddr_t pt_pa);
/* Unbind asid from the VSpace at vspace_pa (if it is still bound to it). */
void asid_delete(word_t asid, paddr_t vspace_pa);
/* Remove the pool at pool_pa from ks.asid_table (if it is still there) with all its bindings. */
void asid_pool_delete(word_t asid_base, paddr_t pool_pa);

#ifdef CONFIG_KERNEL_INVARIANTS
/* The VSpace invariants (debug kernel). Call between kernel entries. Finds every cap reachable from
 * ks.root_thread (TCB slots, CNodes, zombies and derivation-tree links) and every VSpace bound to
 * an ASID, and checks:
 *  (a) ks.asid_table: each pool is named by an ASID pool cap with the matching ASID base, and
 *      each pool cap's pool is in the table at its base (pools are removed with their last cap);
 *  (b) ASIDs: ASID 0 is never bound; a VSpace root is bound to at most one ASID; a bound VSpace
 *      has a cap, and all caps to one VSpace agree on (has ASID, ASID); a VSpace cap's ASID is
 *      nonzero when it has one;
 *  (c) tables: every table reachable from a bound VSpace is reachable once (no page table is
 *      mapped twice, no VSpace root is used as a page table), has a page-table cap, and all caps to
 *      it record it as mapped at that ASID and at the vaddr its slot covers;
 *  (d) frames: every page or block reachable from a bound VSpace is recorded by at least one
 *      frame cap (same base and size, that ASID and vaddr); a frame cap's recorded vaddr is
 *      aligned to its size and below seL4_UserTop.
 * Caps may record a mapping that no longer exists (seL4 keeps such stale records after a VSpace,
 * a pool or a parent table goes; its operations then do nothing), so two caps can record the same
 * (ASID, vaddr) after an ASID is reused: (c) and (d) check from the tables towards the caps.
 * Returns true when all hold; otherwise false with the reason in why[0..why_len) (NUL-terminated;
 * why may be NULL). Not reentrant. */
bool vspace_invariants_hold(char *why, size_t why_len);
#endif

#endif
