/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal: bootinfo helpers (docs/abi.md#boot). */
#include <kaal/bootinfo.h>

static const seL4_BootInfo *root_bootinfo;

const seL4_BootInfo *kaal_bootinfo(void) { return root_bootinfo; }
void kaal_set_bootinfo(const seL4_BootInfo *bi) { root_bootinfo = bi; }

seL4_Word kaal_bootinfo_untyped_count(const seL4_BootInfo *bi)
{
    seL4_Word n = kaal_region_size(bi->untyped);
    return n > KAAL_BOOTINFO_UNTYPED_SLOTS ? KAAL_BOOTINFO_UNTYPED_SLOTS : n;
}

static seL4_CPtr found(const seL4_BootInfo *bi, seL4_Word i, seL4_Word *index)
{
    if (index) {
        *index = i;
    }
    return bi->untyped.start + i;
}

seL4_CPtr kaal_bootinfo_find_untyped(const seL4_BootInfo *bi, unsigned size_bits, int device,
                                     seL4_Word *index)
{
    seL4_Word n = kaal_bootinfo_untyped_count(bi);
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->sizeBits == size_bits && (u->isDevice != 0) == (device != 0)) {
            return found(bi, i, index);
        }
    }
    return seL4_CapNull;
}

seL4_CPtr kaal_bootinfo_find_untyped_at_least(const seL4_BootInfo *bi, unsigned min_bits,
                                              seL4_Word *index)
{
    seL4_Word n = kaal_bootinfo_untyped_count(bi), best = n;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice && u->sizeBits >= min_bits &&
            (best == n || u->sizeBits < bi->untypedList[best].sizeBits)) {
            best = i;
        }
    }
    return best == n ? seL4_CapNull : found(bi, best, index);
}

seL4_CPtr kaal_bootinfo_find_untyped_by_paddr(const seL4_BootInfo *bi, seL4_Word paddr,
                                              seL4_Word *index)
{
    seL4_Word n = kaal_bootinfo_untyped_count(bi);
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        seL4_Word size = u->sizeBits < 64 ? 1ull << u->sizeBits : 0;
        if (paddr >= u->paddr && paddr - u->paddr < size) {
            return found(bi, i, index);
        }
    }
    return seL4_CapNull;
}

const seL4_BootInfoHeader *kaal_bootinfo_find_chunk(const seL4_BootInfo *bi, seL4_Word id)
{
    const unsigned char *p = (const unsigned char *)bi + seL4_BootInfoFrameSize;
    seL4_Word left = bi->extraLen;
    while (left >= sizeof(seL4_BootInfoHeader)) {
        const seL4_BootInfoHeader *h = (const seL4_BootInfoHeader *)p;
        if (h->len < sizeof(seL4_BootInfoHeader) || h->len > left) {
            return 0; /* malformed: stop */
        }
        if (h->id == id) {
            return h;
        }
        p += h->len;
        left -= h->len;
    }
    return 0;
}

const void *kaal_bootinfo_fdt(const seL4_BootInfo *bi, seL4_Word *size)
{
    const seL4_BootInfoHeader *h = kaal_bootinfo_find_chunk(bi, SEL4_BOOTINFO_HEADER_FDT);
    if (h == 0) {
        return 0;
    }
    if (size) {
        *size = h->len - sizeof(*h);
    }
    return h + 1;
}
