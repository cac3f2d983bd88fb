/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim page-table entries: the AArch64 stage-1 descriptor format, so the shadow MMU walks exactly
 * the tables the real port would. */
#include <hal/mmu.h>
#include <kaal/structures.h>

/* Descriptor bits (Arm ARM D8.3, 4 KiB granule). */
#define PTE_VALID (1ul << 0)
#define PTE_TABLE_OR_PAGE (1ul << 1) /* levels 0-2: table; level 3: page. Clear: block */
#define PTE_ATTR_INDEX(i) ((word_t)(i) << 2)
#define PTE_AP_EL0_RW (1ul << 6) /* AP[2:1] = 01: EL1 and EL0 read-write */
#define PTE_AP_EL0_RO (3ul << 6) /* AP[2:1] = 11: EL1 and EL0 read-only */
#define PTE_AP_EL1_RW (0ul << 6) /* AP[2:1] = 00: EL1 only */
#define PTE_AF (1ul << 10)
#define PTE_NG (1ul << 11)
#define PTE_UXN (1ul << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000ul

/* MAIR indices as seL4 programs MAIR_EL1 (ABI sheet §11.2). */
#define MAIR_NORMAL_NC 3
#define MAIR_NORMAL 4

word_t hal_pte_table(paddr_t next_table_pa) { return (next_table_pa & PTE_ADDR_MASK) | PTE_TABLE_OR_PAGE | PTE_VALID; }

word_t hal_pte_page(paddr_t frame_pa, word_t level, word_t rights, word_t attrs, bool xn)
{
    word_t pte = (frame_pa & PTE_ADDR_MASK) | PTE_VALID | PTE_AF | PTE_NG;
    if (level == 3) {
        pte |= PTE_TABLE_OR_PAGE;
    }
    pte |= PTE_ATTR_INDEX((attrs & seL4_ARM_PageCacheable) ? MAIR_NORMAL : MAIR_NORMAL_NC);
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
