/* SPDX-License-Identifier: BSD-2-Clause */
/* The page-table entry format core writes into VSpace and page-table objects. Both ports use the
 * AArch64 stage-1 descriptor format (4 KiB granule, 48-bit VA); on hostsim the shadow MMU reads the
 * same entries, so tables built by the kernel look the same on either port. */
#ifndef HAL_MMU_H
#define HAL_MMU_H

#include <kaal/types.h>

/* Translation levels (ABI sheet §6): 0 = VSpace root, 1..3 = page tables. */
#define HAL_PT_LEVELS 4
/* Bit position of the lowest VA bit indexed at `level` (39, 30, 21, 12). */
#define HAL_PT_LEVEL_SHIFT(level) (39u - 9u * (level))
/* Index of vaddr's entry in a table at `level`. */
#define HAL_PT_INDEX(vaddr, level) (((word_t)(vaddr) >> HAL_PT_LEVEL_SHIFT(level)) & 0x1ffu)

/* An invalid (unmapped) entry. */
#define HAL_PTE_INVALID 0ul

/* An entry at level 0..2 that points to the next-level table at physical next_table_pa (4 KiB
 * aligned). Any context; pure computation, cannot fail. */
word_t hal_pte_table(paddr_t next_table_pa);

/* An entry mapping the frame at frame_pa at `level` (1: 1 GiB block, 2: 2 MiB block, 3: 4 KiB page;
 * frame_pa aligned to that size) for user access. rights is an enum vm_rights value (VM_READ_ONLY,
 * VM_READ_WRITE; VM_KERNEL_ONLY gives no user access); attrs are seL4_ARM_VMAttributes bits
 * (seL4_ARM_PageCacheable picks Normal write-back memory, otherwise Normal non-cacheable;
 * seL4_ARM_ExecuteNever is honoured as well as xn); xn makes the page not executable at EL0.
 * The entry is non-global (nG) with the access flag set, as seL4 makes user pages.
 * Any context; pure computation, cannot fail. */
word_t hal_pte_page(paddr_t frame_pa, word_t level, word_t rights, word_t attrs, bool xn);

#endif
