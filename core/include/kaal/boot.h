/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot: the physical memory map from the device tree, and building the root task's world. */
#ifndef KAAL_BOOT_H
#define KAAL_BOOT_H

#include <kaal/types.h>

/* A physical range [start, end). */
struct mem_region {
    paddr_t start;
    paddr_t end;
};

#define MEM_MAP_MAX_RAM 16
#define MEM_MAP_MAX_RESERVED 32

/* What the device tree says about physical memory. */
struct mem_map {
    struct mem_region ram[MEM_MAP_MAX_RAM]; /* /memory nodes, sorted, merged */
    word_t n_ram;
    struct mem_region
        reserved[MEM_MAP_MAX_RESERVED]; /* /memreserve/ and /reserved-memory, sorted */
    word_t n_reserved;
    paddr_t initrd_start, initrd_end; /* /chosen linux,initrd-* (0 if absent) */
};

/* Parse the device tree blob at dtb (size bytes available, 8-byte aligned as libfdt requires)
 * into *map. Returns 0, or -1 with *error set to a readable reason (bad magic, truncated, no memory
 * node, too many regions, ...). Never reads outside [dtb, dtb + size). */
int dtb_parse_memory(const void *dtb, size_t size, struct mem_map *map, const char **error);

/* Everything the port hands to the kernel at boot (seL4's loader handoff,
 * docs/abi.md#loader-registers, plus what the port knows about itself). */
struct boot_params {
    const void *dtb; /* kernel-readable device tree, or NULL */
    size_t dtb_size;
    paddr_t dtb_paddr;  /* physical address of the DTB (it is reserved), 0 if none */
    paddr_t ui_p_start; /* root task image, physical [start, end) */
    paddr_t ui_p_end;
    word_t pv_offset;       /* ui_p_start - ui_v_start */
    word_t v_entry;         /* root task entry point (virtual) */
    paddr_t kernel_p_start; /* kernel image, reserved (may be empty on hostsim) */
    paddr_t kernel_p_end;
    const struct mem_region *kernel_devices; /* device ranges the kernel keeps (e.g. GIC) */
    word_t n_kernel_devices;
};

/* Boot the kernel: build the root CNode, root thread, its address space objects, bootinfo and the
 * untyped caps. Returns 0 or -1 with *error set (e.g. a malformed device tree, no memory for the
 * root task). After success ks.cur_thread is the root thread, ready to run. */
int kernel_boot(const struct boot_params *params, const char **error);

#endif
