/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim page-table entries (the AArch64 stage-1 descriptor format, so the shadow MMU walks exactly
 * the tables the real port would), and TLB/cache maintenance: TLB invalidations are passed to the
 * shadow MMU, cache maintenance does nothing (the host's caches are coherent). */
#include <hal/mmu.h>
#include <kaal/structures.h>

#include "user_internal.h"

/* Descriptor bits (Arm ARM D8.3, 4 KiB granule). */
#define PTE_VALID (1ul << 0)
#define PTE_TABLE_OR_PAGE (1ul << 1) /* levels 0-2: table; level 3: page. Clear: block */
#define PTE_ATTR_INDEX(i) ((word_t)(i) << 2)
#define PTE_ATTR_INDEX_MASK (7ul << 2)
#define PTE_AP_MASK (3ul << 6)
#define PTE_AP_EL0_RW (1ul << 6) /* AP[2:1] = 01: EL1 and EL0 read-write */
#define PTE_AP_EL0_RO (3ul << 6) /* AP[2:1] = 11: EL1 and EL0 read-only */
#define PTE_AP_EL1_RW (0ul << 6) /* AP[2:1] = 00: EL1 only */
#define PTE_AF (1ul << 10)
#define PTE_NG (1ul << 11)
#define PTE_UXN (1ul << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000ul

/* MAIR indices as seL4 programs MAIR_EL1 (docs/abi.md#loader-mmu-state). */
#define MAIR_DEVICE_nGnRnE 0
#define MAIR_NORMAL 4

word_t hal_pte_table(paddr_t next_table_pa) { return (next_table_pa & PTE_ADDR_MASK) | PTE_TABLE_OR_PAGE | PTE_VALID; }

word_t hal_pte_page(paddr_t frame_pa, word_t level, word_t rights, word_t attrs, bool xn)
{
    word_t pte = (frame_pa & PTE_ADDR_MASK) | PTE_VALID | PTE_AF | PTE_NG;
    if (level == 3) {
        pte |= PTE_TABLE_OR_PAGE;
    }
    pte |= PTE_ATTR_INDEX((attrs & seL4_ARM_PageCacheable) ? MAIR_NORMAL : MAIR_DEVICE_nGnRnE);
    switch (rights) {
    case VM_READ_WRITE:
        pte |= PTE_AP_EL0_RW;
        break;
    case VM_READ_ONLY:
        pte |= PTE_AP_EL0_RO;
        break;
    default:
        pte |= PTE_AP_EL1_RW;
        break;
    }
    if (xn || (attrs & seL4_ARM_ExecuteNever)) {
        pte |= PTE_UXN;
    }
    return pte;
}

bool hal_pte_is_table(word_t pte, word_t level)
{
    return level < 3 && (pte & (PTE_VALID | PTE_TABLE_OR_PAGE)) == (PTE_VALID | PTE_TABLE_OR_PAGE);
}

bool hal_pte_is_page(word_t pte, word_t level)
{
    word_t type = pte & (PTE_VALID | PTE_TABLE_OR_PAGE);
    switch (level) {
    case 1:
    case 2:
        return type == PTE_VALID; /* block */
    case 3:
        return type == (PTE_VALID | PTE_TABLE_OR_PAGE);
    default:
        return false; /* level 0 holds no blocks with a 4 KiB granule */
    }
}

paddr_t hal_pte_address(word_t pte) { return pte & PTE_ADDR_MASK; }

word_t hal_pte_rights(word_t pte)
{
    switch (pte & PTE_AP_MASK) {
    case PTE_AP_EL0_RW:
        return VM_READ_WRITE;
    case PTE_AP_EL0_RO:
        return VM_READ_ONLY;
    default:
        return VM_KERNEL_ONLY;
    }
}

word_t hal_pte_attrs(word_t pte)
{
    word_t attrs = 0;
    if ((pte & PTE_ATTR_INDEX_MASK) == PTE_ATTR_INDEX(MAIR_NORMAL)) {
        attrs |= seL4_ARM_PageCacheable;
    }
    if (pte & PTE_UXN) {
        attrs |= seL4_ARM_ExecuteNever;
    }
    return attrs;
}

/* The shadow MMU reads tables only when a user access misses, so a plain store is visible. */
void hal_pte_store(word_t *slot, word_t pte) { *slot = pte; }

void hal_tlb_invalidate_asid(word_t asid) { hostsim_shadow_invalidate_asid(asid); }

void hal_tlb_invalidate_va(word_t asid, word_t vaddr) { hostsim_shadow_invalidate_va(asid, vaddr); }

/* Caches: hostsim memory is coherent, so cache maintenance has no effect to observe. TLB
 * invalidation forgets what the shadow MMU materialised in the user window. */
void hal_cache_clean_data(paddr_t pa, word_t size) { (void)pa, (void)size; }
void hal_cache_invalidate_data(paddr_t pa, word_t size) { (void)pa, (void)size; }
void hal_cache_clean_invalidate_data(paddr_t pa, word_t size) { (void)pa, (void)size; }
void hal_cache_unify_instruction(paddr_t pa, word_t size) { (void)pa, (void)size; }
