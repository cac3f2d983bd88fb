/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal: reading the root task's bootinfo frame (docs/abi.md#boot). */
#ifndef KAAL_BOOTINFO_H
#define KAAL_BOOTINFO_H

#include <kaal/sys_types.h>

/* The bootinfo the root task was started with (set by the start-up code before main), or NULL. */
const seL4_BootInfo *kaal_bootinfo(void);
void kaal_set_bootinfo(const seL4_BootInfo *bi);

/* Number of slots in a region ([start, end); 0 if end <= start). */
static inline seL4_Word kaal_region_size(seL4_SlotRegion r)
{
    return r.end > r.start ? r.end - r.start : 0;
}

/* Number of entries of the untyped list (the untyped region's size, at most the list's length). */
seL4_Word kaal_bootinfo_untyped_count(const seL4_BootInfo *bi);

/* The untyped cap of exactly 2^size_bits bytes that is (device != 0) or is not device memory;
 * the first in slot order. Returns its CPtr, or seL4_CapNull; *index (if not NULL) gets its
 * position in untypedList. */
seL4_CPtr kaal_bootinfo_find_untyped(const seL4_BootInfo *bi, unsigned size_bits, int device,
                                     seL4_Word *index);
/* The smallest non-device untyped of at least 2^min_bits bytes (seL4_CapNull if none). */
seL4_CPtr kaal_bootinfo_find_untyped_at_least(const seL4_BootInfo *bi, unsigned min_bits,
                                              seL4_Word *index);
/* The (device) untyped whose range contains physical address paddr, or seL4_CapNull. */
seL4_CPtr kaal_bootinfo_find_untyped_by_paddr(const seL4_BootInfo *bi, seL4_Word paddr,
                                              seL4_Word *index);

/* Extra bootinfo chunks (docs/abi.md#extra-bootinfo): they follow the bootinfo frame (bi + 4 KiB),
 * extraLen bytes. */
/* The first chunk with this id (SEL4_BOOTINFO_HEADER_*), or NULL. */
const seL4_BootInfoHeader *kaal_bootinfo_find_chunk(const seL4_BootInfo *bi, seL4_Word id);
/* The device tree the loader passed (the FDT chunk's data), or NULL; *size gets its length. */
const void *kaal_bootinfo_fdt(const seL4_BootInfo *bi, seL4_Word *size);

#endif
