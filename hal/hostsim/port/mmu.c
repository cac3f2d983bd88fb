/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim's half of hal/include/hal/mmu.h: storing the entries core builds (with the shared codec,
 * hal/common/pte.c, so the shadow MMU walks exactly the tables the aarch64 port would), and
 * TLB/cache maintenance: TLB invalidations are passed to the machine (its shadow MMU and emulated
 * EL0), cache maintenance does nothing (the host's caches are coherent). */
#include <hal/mmu.h>
#include <hostsim_if/machine.h>

/* The shadow MMU reads tables only when a user access misses, so a plain store is visible. */
void hal_pte_store(word_t *slot, word_t pte) { *slot = pte; }

void hal_tlb_invalidate_asid(word_t asid) { hostsim_tlb_invalidate_asid(asid); }

void hal_tlb_invalidate_va(word_t asid, word_t vaddr) { hostsim_tlb_invalidate_va(asid, vaddr); }

/* Caches: hostsim memory is coherent, so cache maintenance has no effect to observe. TLB
 * invalidation forgets what the shadow MMU materialised in the user window. */
void hal_cache_clean_data(paddr_t pa, word_t size) { (void)pa, (void)size; }
void hal_cache_invalidate_data(paddr_t pa, word_t size) { (void)pa, (void)size; }
void hal_cache_clean_invalidate_data(paddr_t pa, word_t size) { (void)pa, (void)size; }
void hal_cache_unify_instruction(paddr_t pa, word_t size) { (void)pa, (void)size; }
