/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot on AArch64: take seL4's loader handoff, build the kernel's own page tables, bring up the
 * console, read the memory map from the device tree, find the GIC, run core's kernel_boot(),
 * start the timer and leave for the root task through the one exit path. */
#include <hal/hal.h>
#include <kaal/boot.h>
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <libfdt.h>

#include "internal.h"

/* Device pages the kernel keeps for itself: the GIC's, as seL4 reserves them (GICv2: one page of
 * the distributor and of the CPU interface, so the untyped list matches seL4's,
 * docs/abi.md#initial-caps). The UART stays available to user space. Filled by gic_probe. */
static struct mem_region kernel_devices[2];

static struct mem_map boot_mem_map;

static void print_mem_map(const struct mem_map *map)
{
    for (word_t i = 0; i < map->n_ram; i++) {
        kprintf("  RAM      [%016lx, %016lx)\n", (unsigned long)map->ram[i].start,
                (unsigned long)map->ram[i].end);
    }
    for (word_t i = 0; i < map->n_reserved; i++) {
        kprintf("  reserved [%016lx, %016lx)\n", (unsigned long)map->reserved[i].start,
                (unsigned long)map->reserved[i].end);
    }
}

/* The loader's TTBR1 maps the 1 GiB from KERNEL_PHYS_BASE (docs/abi.md#loader-mmu-state): that much
 * is known to be RAM before the device tree is read, so the physical window starts with it. */
#define BOOT_RAM_SIZE (UL(1) << PT_L1_SHIFT)

/* The loader's device tree, if it is one the kernel can read: NULL and *why otherwise. */
static const void *handoff_dtb(word_t dtb_paddr, word_t dtb_size, const char **why)
{
    if (dtb_paddr == 0 || dtb_size == 0) {
        *why = "the loader passed none";
        return NULL;
    }
    if (dtb_paddr < KERNEL_PHYS_BASE || dtb_paddr + dtb_size > KERNEL_PHYS_BASE + BOOT_RAM_SIZE) {
        *why = "it lies outside the RAM the loader vouched for";
        return NULL;
    }
    const void *dtb = hal_ptov(dtb_paddr);
    if (fdt_check_header(dtb) != 0 || fdt_totalsize(dtb) > dtb_size) {
        *why = "it is not a valid device tree";
        return NULL;
    }
    return dtb;
}

void aarch64_boot(word_t ui_p_start, word_t ui_p_end, word_t pv_offset, word_t v_entry,
                  word_t dtb_paddr, word_t dtb_size)
{
    mmu_init(KERNEL_PHYS_BASE, KERNEL_PHYS_BASE + BOOT_RAM_SIZE);
    console_init();
    /* PSCI first, so that even an early panic powers the machine off. */
    const char *why = NULL;
    const void *dtb = handoff_dtb(dtb_paddr, dtb_size, &why);
    psci_init(dtb);
    kprintf("\nKaaL kernel (AArch64, EL1) booting\n");
    kprintf("  handoff: user image [%lx, %lx) pv_offset %lx entry %lx, dtb %lx size %lx\n",
            (unsigned long)ui_p_start, (unsigned long)ui_p_end, (unsigned long)pv_offset,
            (unsigned long)v_entry, (unsigned long)dtb_paddr, (unsigned long)dtb_size);
    kprintf("  kernel image [%lx, %lx) at %p, own page tables active\n",
            (unsigned long)kernel_image_vtop(_kernel_start),
            (unsigned long)kernel_image_vtop(_kernel_end), (void *)_kernel_start);
    if (dtb == NULL) {
        kprintf("KaaL: no usable device tree (%s): nothing to boot from\n", why);
        hal_halt();
    }

    const char *error = NULL;
    if (dtb_parse_memory(dtb, dtb_size, &boot_mem_map, &error) != 0) {
        kprintf("KaaL: reading the memory map from the device tree failed: %s\n", error);
    } else {
        kprintf("KaaL: memory map from the device tree:\n");
        print_mem_map(&boot_mem_map);
        for (word_t i = 0; i < boot_mem_map.n_ram; i++) {
            if (mmu_map_phys_window(boot_mem_map.ram[i].start, boot_mem_map.ram[i].end) != 0) {
                kprintf("KaaL: RAM [%lx, %lx) does not fit the physical window\n",
                        (unsigned long)boot_mem_map.ram[i].start,
                        (unsigned long)boot_mem_map.ram[i].end);
            }
        }
    }

    if (gic_probe(dtb, kernel_devices, &error) != 0) {
        kprintf("KaaL: interrupt controller: %s\n", error);
        hal_halt();
    }
    aarch64_cpu_init();
    gic_init();
    kprintf("KaaL: GICv%d: distributor %lx, %s %lx\n", gic_version(),
            (unsigned long)kernel_devices[0].start,
            gic_version() == 3 ? "redistributor" : "CPU interface",
            (unsigned long)kernel_devices[1].start);

    struct boot_params params = {
        .dtb = dtb,
        .dtb_size = dtb_size,
        .dtb_paddr = dtb_paddr,
        .ui_p_start = ui_p_start,
        .ui_p_end = ui_p_end,
        .pv_offset = pv_offset,
        .v_entry = v_entry,
        .kernel_p_start = kernel_image_vtop(_kernel_start),
        .kernel_p_end = kernel_image_vtop(_kernel_end),
        .kernel_devices = kernel_devices,
        .n_kernel_devices = ARRAY_SIZE(kernel_devices),
    };
    if (kernel_boot(&params, &error) != 0) {
        kprintf("KaaL: kernel_boot failed: %s\n", error ? error : "(no reason given)");
        kprintf("KaaL: halting (PSCI SYSTEM_OFF)\n");
        hal_halt();
    }
    const seL4_BootInfo *bi = ks.bootinfo;
    if (bi != NULL) {
        kprintf("KaaL: kernel_boot done: %lu untyped caps in slots [%lu, %lu), empty [%lu, %lu)\n",
                (unsigned long)(bi->untyped.end - bi->untyped.start),
                (unsigned long)bi->untyped.start, (unsigned long)bi->untyped.end,
                (unsigned long)bi->empty.start, (unsigned long)bi->empty.end);
    } else {
        kprintf("KaaL: kernel_boot done\n");
    }
    timer_init();
    aarch64_pmu_init();
#ifdef CONFIG_KERNEL_MCS
    kprintf("KaaL: timer: EL1 virtual timer, PPI %lu, %lu Hz counter, tickless (one-shot "
            "deadlines); entering the root task at %lx\n",
            (unsigned long)HAL_TIMER_IRQ, (unsigned long)timer_frequency(), (unsigned long)v_entry);
#else
    kprintf("KaaL: timer: EL1 virtual timer, PPI %lu, %lu Hz counter, tick %u ms; entering the "
            "root task at %lx\n",
            (unsigned long)HAL_TIMER_IRQ, (unsigned long)timer_frequency(),
            (unsigned)CONFIG_TIMER_TICK_MS, (unsigned long)v_entry);
#endif
    /* Boot is over: from here on the kernel runs only on entries from user mode or the idle loop,
     * each ending in aarch64_exit. libfdt (SIMD) is not called again. */
    aarch64_exit();
}
