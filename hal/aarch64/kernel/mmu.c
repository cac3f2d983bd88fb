/* SPDX-License-Identifier: BSD-2-Clause */
/* User VSpaces on AArch64, the port's half of hal/include/hal/mmu.h: storing the entries core
 * builds (with the shared codec, <hal_common/pte_codec.h>), TLB and cache maintenance. */
#include <hal/hal.h>
#include <hal/mmu.h>

#include "internal.h"

/* The smallest data cache line of any cache level (CTR_EL0.DminLine: log2 of its words), in
 * bytes: the step of every by-VA loop below, so that none skips a line on any CPU. */
static word_t dcache_line(void)
{
    word_t ctr;
    __asm__("mrs %0, ctr_el0" : "=r"(ctr));
    return 4ul << ((ctr >> 16) & 0xf);
}

/* --- writing entries, TLB and caches --- */

void hal_pte_store(word_t *slot, word_t pte)
{
    /* Tables are Normal write-back memory and TCR_EL1 makes walks cacheable (IRGN/ORGN WBWA), so
     * the walker sees the store through the data cache; the entry's line is cleaned to the point
     * of unification as well, as seL4 does after every entry it writes (cleanByVA_PoU), so that
     * a walker that does not look in the data cache sees it too. Then a barrier before the next
     * walk: the eret on the way out is a context synchronisation event, so the dsb suffices. */
    *(volatile word_t *)slot = pte;
    __asm__ volatile("dc cvau, %0; dsb ish" ::"r"(slot) : "memory");
}

void hal_tlb_invalidate_asid(word_t asid)
{
    __asm__ volatile("dsb ishst; tlbi aside1is, %0; dsb ish; isb" ::"r"(asid << TTBR_ASID_SHIFT)
                     : "memory");
}

void hal_tlb_invalidate_va(word_t asid, word_t vaddr)
{
    /* TLBI VAE1IS takes VA[55:12] in bits 43:0 and the ASID in bits 63:48; it removes the entry of
     * any page size that holds vaddr. */
    word_t arg = (asid << TTBR_ASID_SHIFT) | ((vaddr >> 12) & MASK(44));
    __asm__ volatile("dsb ishst; tlbi vae1is, %0; dsb ish; isb" ::"r"(arg) : "memory");
}

/* Cache maintenance by VA through the physical window; device frames (no window mapping) are
 * left alone, as the contract says. */
#define CACHE_OP(name, insn)                                          \
    static void name(word_t start, word_t end)                        \
    {                                                                 \
        word_t line = dcache_line();                                  \
        for (word_t va = start & ~(line - 1); va < end; va += line) { \
            __asm__ volatile(insn ", %0" ::"r"(va) : "memory");       \
        }                                                             \
        __asm__ volatile("dsb ish" ::: "memory");                     \
    }
CACHE_OP(dc_cvac_range, "dc cvac")
CACHE_OP(dc_ivac_range, "dc ivac")
CACHE_OP(dc_civac_range, "dc civac")
CACHE_OP(dc_cvau_range, "dc cvau")

static bool window_range(paddr_t pa, word_t size, word_t *start, word_t *end)
{
    if (size == 0 || !hal_phys_is_ram(pa, size)) {
        return false;
    }
    *start = (word_t)hal_ptov(pa);
    *end = *start + size;
    return true;
}

COLD void hal_cache_clean_data(paddr_t pa, word_t size)
{
    word_t s, e;
    if (window_range(pa, size, &s, &e)) {
        dc_cvac_range(s, e);
    }
}

COLD void hal_cache_invalidate_data(paddr_t pa, word_t size)
{
    word_t s, e;
    if (!window_range(pa, size, &s, &e)) {
        return;
    }
    /* Partial lines at either end hold bytes outside the range: clean them before discarding. */
    word_t line = dcache_line();
    if (s & (line - 1)) {
        dc_civac_range(s, s + 1);
    }
    if (e & (line - 1)) {
        dc_civac_range(e - 1, e);
    }
    dc_ivac_range(s, e);
}

void hal_cache_clean_new_memory(paddr_t pa, word_t bytes)
{
    word_t s, e;
    if (window_range(pa, bytes, &s, &e)) {
        dc_cvac_range(s, e);
    }
}

COLD void hal_cache_clean_invalidate_data(paddr_t pa, word_t size)
{
    word_t s, e;
    if (window_range(pa, size, &s, &e)) {
        dc_civac_range(s, e);
    }
}

COLD void hal_cache_unify_instruction(paddr_t pa, word_t size)
{
    word_t s, e;
    if (!window_range(pa, size, &s, &e)) {
        return;
    }
    dc_cvau_range(s, e);
    /* The I-cache may be VIPT: by-VA invalidation through the kernel alias would miss user
     * aliases, so the whole I-cache goes (single core). */
    __asm__ volatile("ic iallu; dsb ish; isb" ::: "memory");
}
