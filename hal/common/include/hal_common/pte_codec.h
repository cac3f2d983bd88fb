/* SPDX-License-Identifier: BSD-2-Clause */
/* Building and reading page-table entries (the first half of hal/include/hal/mmu.h, whose contract
 * comments these implement), shared by both ports: the AArch64 stage-1 descriptors of
 * <hal_common/pte_bits.h>, so the tables core builds are bit for bit the same on aarch64 and on
 * hostsim, where the shadow MMU walks them. Static inline, included by <hal/mmu.h> only: each is a
 * few instructions, and Page_Map's walk and entry would otherwise spend more on the calls than on
 * the work. Each port's mmu.c implements the other half: storing an entry, TLB and cache
 * maintenance. */
#ifndef HAL_COMMON_PTE_CODEC_H
#define HAL_COMMON_PTE_CODEC_H

#include <hal_common/pte_bits.h>
#include <kaal/abi/constants.h>
#include <kaal/types.h>

_Static_assert(HAL_PT_ENTRIES == PT_ENTRIES && HAL_PT_LEVELS == 4,
               "hal/mmu.h's table geometry is the descriptors'");
_Static_assert(HAL_PT_LEVEL_SHIFT(0) == PT_L0_SHIFT && HAL_PT_LEVEL_SHIFT(1) == PT_L1_SHIFT &&
                   HAL_PT_LEVEL_SHIFT(2) == PT_L2_SHIFT && HAL_PT_LEVEL_SHIFT(3) == PT_L3_SHIFT,
               "hal/mmu.h's level shifts are the descriptors'");
_Static_assert(HAL_PTE_INVALID == 0 && !(HAL_PTE_INVALID & PTE_VALID),
               "an invalid entry has the valid bit clear");

static inline word_t hal_pte_table(paddr_t next_table_pa)
{
    return (next_table_pa & PTE_ADDR_MASK) | PTE_TABLE;
}

static inline word_t hal_pte_page(paddr_t frame_pa, word_t level, word_t rights, word_t attrs,
                                  bool xn)
{
    word_t pte = (frame_pa & PTE_ADDR_MASK) | PTE_VALID | PTE_AF | PTE_nG;
    pte |= level == 3 ? PTE_PAGE : PTE_BLOCK;
    /* Cacheable: Normal write-back; otherwise Device-nGnRnE, as seL4 maps it. Shareability 0
     * (single core, as TCR_EL1's walks, docs/abi.md#loader-mmu-state). */
    pte |= PTE_ATTR((attrs & seL4_ARM_PageCacheable) ? MT_NORMAL : MT_DEVICE_nGnRnE);
    switch (rights) {
    case VM_READ_WRITE:
        pte |= PTE_AP_EL0_RW; /* EL0-writable memory is never executable at EL1 (Arm ARM) */
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

static inline bool hal_pte_is_table(word_t pte, word_t level)
{
    return level < 3 && (pte & PTE_TYPE_MASK) == PTE_TABLE;
}

static inline bool hal_pte_is_page(word_t pte, word_t level)
{
    switch (level) {
    case 1:
    case 2:
        return (pte & PTE_TYPE_MASK) == PTE_BLOCK;
    case 3:
        return (pte & PTE_TYPE_MASK) == PTE_PAGE;
    default:
        return false; /* level 0 holds no blocks with a 4 KiB granule */
    }
}

static inline paddr_t hal_pte_address(word_t pte) { return pte & PTE_ADDR_MASK; }

static inline word_t hal_pte_rights(word_t pte)
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

static inline word_t hal_pte_attrs(word_t pte)
{
    word_t attrs = 0;
    if ((pte & PTE_ATTR_MASK) == PTE_ATTR(MT_NORMAL)) {
        attrs |= seL4_ARM_PageCacheable;
    }
    if (pte & PTE_UXN) {
        attrs |= seL4_ARM_ExecuteNever;
    }
    return attrs;
}

#endif
