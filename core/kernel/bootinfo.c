/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot: the root task's bootinfo frame (docs/abi.md#bootinfo, #extra-bootinfo) and the untyped caps
 * it lists. */
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/string.h>

#include "boot_internal.h"

int bootinfo_init(struct boot_state *b, const char **error)
{
    (void)error;
    const struct boot_params *p = b->params;
    seL4_BootInfo *bi = b->bi;

    bi->extraLen = b->extra_bi_size;
    bi->nodeID = 0;
    bi->numNodes = CONFIG_MAX_NUM_NODES;
    bi->numIOPTLevels = 0;
    bi->ipcBuffer = (seL4_IPCBuffer *)(uintptr_t)b->ipc_buf_vptr;
    bi->initThreadCNodeSizeBits = CONFIG_ROOT_CNODE_SIZE_BITS;
    bi->initThreadDomain = 0;

    /* The only extra chunk on ARM: the device tree, header {FDT, 16 + size} then the blob. */
    if (b->extra_bi_size != 0) {
        uint8_t *extra = PTOV(uint8_t, b->rs.extra_bi);
        seL4_BootInfoHeader header = {.id = SEL4_BOOTINFO_HEADER_FDT, .len = b->extra_bi_size};
        kmemcpy(extra, &header, sizeof(header));
        kmemcpy(extra + sizeof(header), p->dtb, p->dtb_size);
    }
    return 0;
}

/* Give the untyped [paddr, paddr + 2^bits) a cap and a bootinfo entry. Beyond the bootinfo list's
 * length the region gets no cap (seL4 warns and carries on). */
static int provide_untyped(struct boot_state *b, paddr_t paddr, word_t bits, bool device,
                           const char **error)
{
    word_t i = b->slot_pos_cur - b->bi->untyped.start;
    if (i >= CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS) {
        if (!b->untyped_overflow_warned) {
            kprintf("KaaL boot: too many untyped regions for bootinfo; the rest get no caps\n");
            b->untyped_overflow_warned = true;
        }
        return 0;
    }
    /* Boot untypeds start full (seL4's MAX_FREE_INDEX): memory the loader or firmware touched is
     * not known to be zero, so the first retype resets, and so clears, the untyped. */
    word_t full = BIT(bits - seL4_MinUntypedBits);
    if (!boot_provide_cap(b, cap_untyped_cap_new(paddr, bits, device, full))) {
        *error = "boot: root CNode too small for the untyped caps";
        return -1;
    }
    b->bi->untypedList[i] =
        (seL4_UntypedDesc){.paddr = paddr, .sizeBits = (uint8_t)bits, .isDevice = device};
    return 0;
}

/* Cover [start, end) with maximal naturally aligned power-of-two untypeds of 2^4 .. 2^47 bytes;
 * pieces smaller than 16 bytes (alignment slivers) are left out. */
static int untypeds_for_region(struct boot_state *b, bool device, paddr_t start, paddr_t end,
                               const char **error)
{
    while (start < end) {
        word_t bits = 63 - (word_t)__builtin_clzll(end - start);
        bits = MIN(bits, (word_t)seL4_MaxUntypedBits);
        if (start != 0) {
            bits = MIN(bits, (word_t)__builtin_ctzll(start));
        }
        if (bits >= seL4_MinUntypedBits && provide_untyped(b, start, bits, device, error) != 0) {
            return -1;
        }
        start += BIT(bits);
    }
    return 0;
}

int untypeds_init(struct boot_state *b, const char **error)
{
    const struct boot_params *p = b->params;
    b->bi->untyped.start = b->slot_pos_cur;

    /* Device memory: everything below CONFIG_PADDR_USER_DEVICE_TOP that is neither RAM nor a
     * device the kernel keeps for itself, from address 0 upward. */
    struct mem_region taken[MEM_MAP_MAX_RAM + 16];
    word_t n = 0;
    for (word_t i = 0; i < b->map.n_ram; i++) {
        taken[n++] = b->map.ram[i];
    }
    kassert(p->n_kernel_devices <=
            ARRAY_SIZE(taken) - MEM_MAP_MAX_RAM); /* a port keeps only a few */
    for (word_t i = 0; i < p->n_kernel_devices; i++) {
        taken[n++] = p->kernel_devices[i];
    }
    for (word_t i = 1; i < n; i++) { /* insertion sort by start */
        struct mem_region r = taken[i];
        word_t j = i;
        while (j > 0 && taken[j - 1].start > r.start) {
            taken[j] = taken[j - 1];
            j--;
        }
        taken[j] = r;
    }
    paddr_t cur = 0;
    for (word_t i = 0; i < n && cur < CONFIG_PADDR_USER_DEVICE_TOP; i++) {
        paddr_t gap_end = MIN(taken[i].start, (paddr_t)CONFIG_PADDR_USER_DEVICE_TOP);
        if (cur < gap_end && untypeds_for_region(b, true, cur, gap_end, error) != 0) {
            return -1;
        }
        cur = MAX(cur, taken[i].end);
    }
    if (cur < CONFIG_PADDR_USER_DEVICE_TOP &&
        untypeds_for_region(b, true, cur, CONFIG_PADDR_USER_DEVICE_TOP, error) != 0) {
        return -1;
    }

    /* seL4 next gives the kernel's boot-only code and data back as RAM; hostsim has none, and the
     * port reports none, so there is nothing to add here. */

    /* Free RAM, ascending. */
    for (word_t i = 0; i < b->n_freemem; i++) {
        if (untypeds_for_region(b, false, b->freemem[i].start, b->freemem[i].end, error) != 0) {
            return -1;
        }
    }
    b->bi->untyped.end = b->slot_pos_cur;
    return 0;
}

int bootinfo_finalise(struct boot_state *b, const char **error)
{
    (void)error;
    b->bi->empty.start = b->slot_pos_cur;
    b->bi->empty.end = BIT(CONFIG_ROOT_CNODE_SIZE_BITS);
    return 0;
}
