/* SPDX-License-Identifier: BSD-2-Clause */
/* What hostsim's MMU functions (mmu.c) tell the shadow MMU: translations that must be forgotten.
 * The shadow MMU materialises user pages in the host's user window on first touch (walking the
 * current VSpace with vspace_lookup); when the kernel removes or replaces an entry it calls these,
 * and the shadow MMU must unmap every host page it made from that translation before returning.
 * Until the shadow MMU exists they are no-ops defined in mmu.c; its author moves the definitions. */
#ifndef HOSTSIM_MMU_HOOKS_H
#define HOSTSIM_MMU_HOOKS_H

#include <kaal/types.h>

/* Every translation tagged with asid (hal_tlb_invalidate_asid). Kernel context. */
void hostsim_mmu_invalidate_asid(word_t asid);
/* The translation of vaddr (whatever page size holds it) tagged with asid (hal_tlb_invalidate_va).
 * Kernel context. */
void hostsim_mmu_invalidate_va(word_t asid, word_t vaddr);

#endif
