/* SPDX-License-Identifier: BSD-2-Clause */
/* The page-table entry format core writes into VSpace and page-table objects, and the TLB and cache
 * maintenance core asks for when it changes them. Both ports use the AArch64 stage-1 descriptor
 * format (4 KiB granule, 48-bit VA); on hostsim the shadow MMU reads the same entries, so tables
 * built by the kernel look the same on either port. Core never builds or decodes descriptor bits
 * itself: it goes through the hal_pte_* functions below. The builders and readers are one shared
 * codec for both ports, defined static inline in <hal_common/pte_codec.h> (included at the end). */
#ifndef HAL_MMU_H
#define HAL_MMU_H

#include <kaal/types.h>

/* Translation levels (docs/abi.md#address-space): 0 = VSpace root, 1..3 = page tables. */
#define HAL_PT_LEVELS 4
/* Bit position of the lowest VA bit indexed at `level` (39, 30, 21, 12). */
#define HAL_PT_LEVEL_SHIFT(level) (39u - 9u * (level))
/* Index of vaddr's entry in a table at `level`. */
#define HAL_PT_INDEX(vaddr, level) (((word_t)(vaddr) >> HAL_PT_LEVEL_SHIFT(level)) & 0x1ffu)
/* Entries per table (VSpace root and page tables alike). */
#define HAL_PT_ENTRIES 512u

/* The user rights of a frame mapping: the vm_rights field of frame caps, and what hal_pte_page
 * takes and hal_pte_rights gives back. */
enum vm_rights { VM_KERNEL_ONLY = 0, VM_READ_ONLY = 1, VM_READ_WRITE = 3 };

/* An invalid (unmapped) entry. */
#define HAL_PTE_INVALID 0ul

/* --- Building entries. Any context; pure computation, cannot fail. --- */

/* An entry at level 0..2 that points to the next-level table at physical next_table_pa (4 KiB
 * aligned). */
static inline word_t hal_pte_table(paddr_t next_table_pa);

/* An entry mapping the frame at frame_pa at `level` (1: 1 GiB block, 2: 2 MiB block, 3: 4 KiB page;
 * frame_pa aligned to that size) for user access. rights is an enum vm_rights value (VM_READ_ONLY,
 * VM_READ_WRITE; VM_KERNEL_ONLY gives no user data access); attrs are seL4_ARM_VMAttributes bits:
 * seL4_ARM_PageCacheable picks Normal write-back memory (MAIR index 4), otherwise Device-nGnRnE
 * (MAIR index 0), as seL4 does (docs/abi.md#invocation-semantics, #loader-mmu-state);
 * seL4_ARM_ExecuteNever is honoured as well as xn;
 * xn makes the page not executable at EL0. The entry is non-global (nG) with the access flag set,
 * as seL4 makes user pages. */
static inline word_t hal_pte_page(paddr_t frame_pa, word_t level, word_t rights, word_t attrs,
                                  bool xn);

/* --- Reading entries back. Any context; pure computation, cannot fail. `level` is the level of
 * the table the entry was read from (0..3). --- */

/* Does the entry point to a next-level table? Only levels 0..2 hold table entries (at level 3 the
 * same bit pattern is a page), so this is false for every level-3 entry. */
static inline bool hal_pte_is_table(word_t pte, word_t level);
/* Does the entry map a frame (a 1 GiB block at level 1, 2 MiB block at level 2, 4 KiB page at
 * level 3)? False for invalid entries, tables and level-0 entries. */
static inline bool hal_pte_is_page(word_t pte, word_t level);
/* The physical address an entry names: the next table for a table entry, the frame's base for a
 * page or block entry (aligned to the frame's size). Meaningless for an invalid entry. */
static inline paddr_t hal_pte_address(word_t pte);
/* The user rights of a page or block entry as an enum vm_rights value (the inverse of
 * hal_pte_page's rights: VM_KERNEL_ONLY, VM_READ_ONLY or VM_READ_WRITE). */
static inline word_t hal_pte_rights(word_t pte);
/* The seL4_ARM_VMAttributes of a page or block entry: seL4_ARM_PageCacheable when it is Normal
 * write-back memory, seL4_ARM_ExecuteNever when EL0 may not execute it. (ParityEnabled is not
 * recorded: it is always clear in the result.) */
static inline word_t hal_pte_attrs(word_t pte);

/* --- Writing entries and TLB/cache maintenance. Kernel context, called by core's VSpace code
 * (core/object/) with interrupts masked. None can fail. --- */

/* Store pte into the table entry *slot (a word of a VSpace or page-table object, through its
 * kernel pointer) and make the store visible to the hardware table walker before the kernel
 * next returns to user mode. Replacing or removing a valid entry also needs a TLB invalidation
 * below, after the store. */
void hal_pte_store(word_t *slot, word_t pte);

/* Forget every cached translation tagged with this ASID (1..65535), after entries of that VSpace
 * were removed or replaced, or before the ASID is given to another VSpace. On return no CPU (and,
 * on hostsim, no shadow-MMU page) still translates through a removed entry of that ASID. */
void hal_tlb_invalidate_asid(word_t asid);
/* Forget cached translations of vaddr (any page size containing it) tagged with this ASID, after
 * the entry mapping it was removed or replaced. Same guarantee as above for that address. */
void hal_tlb_invalidate_va(word_t asid, word_t vaddr);

/* Data and instruction cache maintenance for user frames (Page_* and VSpace_* flush invocations).
 * The range [pa, pa + size) lies inside one user frame (size > 0); the port works on whole cache
 * lines covering it, through its own mapping of physical memory. A range outside RAM (a device
 * frame) has no kernel mapping and is left alone; on hostsim, where the host's caches are
 * coherent, these do nothing at all. clean: write dirty lines back to the point of coherency;
 * invalidate: discard lines (partial lines at either end are cleaned first, so bytes outside the
 * range are kept); clean_invalidate: both; unify_instruction: clean to the point of unification and
 * invalidate the instruction cache, so code written through the data side can be executed. */
void hal_cache_clean_data(paddr_t pa, word_t size);
void hal_cache_invalidate_data(paddr_t pa, word_t size);
void hal_cache_clean_invalidate_data(paddr_t pa, word_t size);
void hal_cache_unify_instruction(paddr_t pa, word_t size);

#include <hal_common/pte_codec.h>

#endif
