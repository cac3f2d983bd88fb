/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's own translation tables (TTBR1): its image, the physical window and the device
 * window (docs/abi.md#qemu-virt-addresses). Built at boot from .bss; the loader's tables are
 * dropped. */
#include <hal/hal.h>
#include <kaal/assert.h>
#include <kaal/string.h>

#include "internal.h"

typedef word_t pte_t;

#define GIB (UL(1) << PT_L1_SHIFT)
#define MIB2 (UL(1) << PT_L2_SHIFT)
#define L2_POOL_SIZE 8 /* L2 tables for window GiBs that are only partly RAM */

#define IMAGE_ATTRS (PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define WINDOW_ATTRS (PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN | PTE_PXN)
#define DEVICE_ATTRS (PTE_ATTR(MT_DEVICE_nGnRnE) | PTE_AF | PTE_UXN | PTE_PXN)

/* Translation tables, all in .bss (zeroed by _start). TTBR0 gets an empty table: there is no
 * user address space until a VSpace is activated. */
static pte_t ttbr1_l0[PT_ENTRIES] __attribute__((aligned(4096)));
static pte_t ttbr1_l1[PT_ENTRIES] __attribute__((aligned(4096)));  /* under L0[511] */
static pte_t image_l2[PT_ENTRIES] __attribute__((aligned(4096)));  /* under L1[511] */
static pte_t device_l3[PT_ENTRIES] __attribute__((aligned(4096))); /* under image_l2[511] */
static pte_t window_l2[L2_POOL_SIZE][PT_ENTRIES] __attribute__((aligned(4096)));
static word_t window_l2_used;
static pte_t ttbr0_empty[PT_ENTRIES] __attribute__((aligned(4096)));

/* RAM ranges mapped in the physical window (for hal_phys_is_ram). */
#define MAX_RAM_RANGES 16
static struct mem_region ram_ranges[MAX_RAM_RANGES];
static word_t n_ram_ranges;

bool aarch64_phys_is_ram(paddr_t pa, word_t bytes)
{
    for (word_t i = 0; i < n_ram_ranges; i++) {
        const struct mem_region *r = &ram_ranges[i];
        if (pa >= r->start && bytes <= r->end - r->start &&
            pa - r->start <= r->end - r->start - bytes) {
            return true;
        }
    }
    return false;
}

paddr_t kernel_image_vtop(const void *p) { return (word_t)p - KERNEL_ELF_BASE + KERNEL_PHYS_BASE; }

static pte_t table_desc(const pte_t *table)
{
    return (kernel_image_vtop(table) & PTE_ADDR_MASK) | PTE_TABLE;
}

static word_t l1_index(word_t va) { return (va >> PT_L1_SHIFT) & (PT_ENTRIES - 1); }
static word_t l2_index(word_t va) { return (va >> PT_L2_SHIFT) & (PT_ENTRIES - 1); }

BOOT_CODE int mmu_map_phys_window(paddr_t ram_start, paddr_t ram_end)
{
    paddr_t start = ROUND_DOWN(ram_start, PT_L2_SHIFT);
    paddr_t end = ROUND_UP(ram_end, PT_L2_SHIFT);
    if (end > PPTR_TOP - PPTR_BASE || start >= end) {
        return -1;
    }
    for (paddr_t pa = start; pa < end;) {
        word_t va = PPTR_BASE + pa;
        pte_t *l1e = &ttbr1_l1[l1_index(va)];
        if (IS_ALIGNED(pa, PT_L1_SHIFT) && end - pa >= GIB) {
            if (!(*l1e & PTE_VALID)) {
                *l1e = pa | WINDOW_ATTRS | PTE_BLOCK;
            }
            /* A GiB already mapped through an L2 table keeps it; fill its missing blocks. */
            if ((*l1e & PTE_TABLE) != PTE_TABLE) {
                pa += GIB;
                continue;
            }
        }
        if (!(*l1e & PTE_VALID)) {
            if (window_l2_used == L2_POOL_SIZE) {
                return -1;
            }
            *l1e = table_desc(window_l2[window_l2_used++]);
        }
        if ((*l1e & PTE_TABLE) != PTE_TABLE) {
            pa = ROUND_DOWN(pa, PT_L1_SHIFT) + GIB; /* whole GiB already a block */
            continue;
        }
        pte_t *l2 = (pte_t *)((*l1e & PTE_ADDR_MASK) - KERNEL_PHYS_BASE + KERNEL_ELF_BASE);
        paddr_t gib_end = MIN(end, ROUND_DOWN(pa, PT_L1_SHIFT) + GIB);
        for (; pa < gib_end; pa += MIB2) {
            pte_t *l2e = &l2[l2_index(PPTR_BASE + pa)];
            if (!(*l2e & PTE_VALID)) {
                *l2e = pa | WINDOW_ATTRS | PTE_BLOCK;
            }
        }
    }
    __asm__ volatile("dsb ishst" ::: "memory");
    if (n_ram_ranges < MAX_RAM_RANGES) {
        ram_ranges[n_ram_ranges++] = (struct mem_region){ram_start, ram_end};
    }
    return 0;
}

BOOT_CODE void mmu_map_device(word_t va, paddr_t pa, word_t size)
{
    kassert(va >= KDEV_BASE && IS_ALIGNED(va | pa | size, PT_L3_SHIFT));
    for (word_t off = 0; off < size; off += UL(1) << PT_L3_SHIFT) {
        device_l3[((va + off - KDEV_BASE) >> PT_L3_SHIFT) & (PT_ENTRIES - 1)] =
            (pa + off) | DEVICE_ATTRS | PTE_PAGE;
    }
    /* The entries were invalid, so no TLB holds them: a barrier before first use is enough. */
    __asm__ volatile("dsb ishst; isb" ::: "memory");
}

const void *mmu_empty_ttbr0(void) { return ttbr0_empty; }

static word_t tcr_value(void)
{
    word_t mmfr0;
    __asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
    word_t parange = mmfr0 & 0xf;
    if (parange > 5) {
        parange = 5; /* 48 bits: the most a 4 KiB granule without LPA2 can output */
    }
    return TCR_EL1_VALUE | (parange << TCR_IPS_SHIFT);
}

BOOT_CODE void mmu_init(paddr_t ram_start, paddr_t ram_end)
{
    /* Kernel image: KERNEL_ELF_BASE -> KERNEL_PHYS_BASE, 2 MiB blocks, RWX at EL1 (one
     * segment, as seL4's image). The last L2 slot is the device window. */
    word_t image_size = ROUND_UP((word_t)_kernel_end - KERNEL_ELF_BASE, PT_L2_SHIFT);
    for (word_t off = 0; off < image_size; off += MIB2) {
        image_l2[l2_index(KERNEL_ELF_BASE + off)] =
            (KERNEL_PHYS_BASE + off) | IMAGE_ATTRS | PTE_BLOCK;
    }
    /* Device window: 4 KiB pages at KDEV_BASE. The PL011 now; the GIC pages with its driver. */
    device_l3[0] = VIRT_UART_PADDR | DEVICE_ATTRS | PTE_PAGE;
    image_l2[l2_index(KDEV_BASE)] = table_desc(device_l3);
    ttbr1_l1[l1_index(KERNEL_ELF_BASE)] = table_desc(image_l2);
    ttbr1_l0[PT_ENTRIES - 1] = table_desc(ttbr1_l1);
    (void)mmu_map_phys_window(ram_start, ram_end);

    mmu_switch_tables(kernel_image_vtop(ttbr0_empty), kernel_image_vtop(ttbr1_l0), tcr_value());

    word_t sctlr;
    __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    /* Keep M, C, I; EL0 may read CTR_EL0 and do cache maintenance by VA
     * (docs/abi.md#tls-fpu-and-system-registers); unaligned accesses allowed (A = 0). */
    sctlr |= SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_UCT | SCTLR_UCI | SCTLR_SA;
    sctlr &= ~SCTLR_A;
    __asm__ volatile("msr sctlr_el1, %0; isb" ::"r"(sctlr) : "memory");
}
