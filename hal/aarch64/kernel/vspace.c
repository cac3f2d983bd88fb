/* SPDX-License-Identifier: BSD-2-Clause */
/* Page-table entries core writes into user VSpaces (hal/include/hal/mmu.h): AArch64 stage-1
 * descriptors, 4 KiB granule, MAIR indices as in ABI §11.2. The same bits as hostsim's shadow MMU
 * reads, so boot builds identical tables on both ports. */
#include <hal/mmu.h>
#include <kaal/structures.h>

#define PTE_AP_EL0_RW (UL(1) << 6) /* AP[2:1] = 01: EL1 and EL0 read-write */
#define PTE_AP_EL0_RO (UL(3) << 6) /* AP[2:1] = 11: EL1 and EL0 read-only */

word_t hal_pte_table(paddr_t next_table_pa)
{
    return (next_table_pa & PTE_ADDR_MASK) | PTE_TABLE;
}

word_t hal_pte_page(paddr_t frame_pa, word_t level, word_t rights, word_t attrs, bool xn)
{
    word_t pte = (frame_pa & PTE_ADDR_MASK) | PTE_VALID | PTE_AF | PTE_nG;
    pte |= level == 3 ? PTE_PAGE : PTE_BLOCK;
    pte |= PTE_ATTR((attrs & seL4_ARM_PageCacheable) ? MT_NORMAL : MT_NORMAL_NC);
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
