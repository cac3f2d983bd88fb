/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal: slot and untyped allocators for root tasks. */
#include <kaal/alloc.h>

#include <kaal/bootinfo.h>
#include <kaal/sys.h>

void kaal_slots_init(struct kaal_slots *s, seL4_CPtr cnode, seL4_Word depth, seL4_CPtr first,
                     seL4_CPtr end)
{
    s->cnode = cnode;
    s->depth = depth;
    s->next = first;
    s->end = end;
}

void kaal_slots_init_bootinfo(struct kaal_slots *s, const seL4_BootInfo *bi)
{
    kaal_slots_init(s, seL4_CapInitThreadCNode, seL4_WordBits, bi->empty.start, bi->empty.end);
}

seL4_CPtr kaal_slots_alloc(struct kaal_slots *s) { return kaal_slots_alloc_range(s, 1); }

seL4_CPtr kaal_slots_alloc_range(struct kaal_slots *s, seL4_Word n)
{
    if (n == 0 || s->next >= s->end || s->end - s->next < n) {
        return seL4_CapNull;
    }
    seL4_CPtr first = s->next;
    s->next += n;
    return first;
}

void kaal_slots_reset(struct kaal_slots *s, seL4_CPtr mark)
{
    if (mark <= s->next) {
        s->next = mark;
    }
}

unsigned kaal_object_size_bits(seL4_Word type, seL4_Word size_bits)
{
    switch (type) {
    case seL4_UntypedObject:
        return (unsigned)size_bits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return (unsigned)(seL4_SlotBits + size_bits);
    case seL4_ARM_HugePageObject:
        return seL4_HugePageBits;
    case seL4_ARM_VSpaceObject:
        return seL4_VSpaceBits;
    case seL4_ARM_SmallPageObject:
        return seL4_PageBits;
    case seL4_ARM_LargePageObject:
        return seL4_LargePageBits;
    case seL4_ARM_PageTableObject:
        return seL4_PageTableBits;
#ifdef CONFIG_KERNEL_MCS
    case seL4_SchedContextObject:
        return (unsigned)size_bits;
    case seL4_ReplyObject:
        return seL4_ReplyBits;
#endif
    default:
        return 0;
    }
}

void kaal_untyped_init(struct kaal_untyped_pool *p, struct kaal_slots *slots)
{
    p->slots = slots;
    p->count = 0;
}

int kaal_untyped_add(struct kaal_untyped_pool *p, seL4_CPtr cap, unsigned size_bits)
{
    if (p->count >= KAAL_UNTYPED_POOL_MAX) {
        return -1;
    }
    p->ut[p->count].cap = cap;
    p->ut[p->count].size_bits = (unsigned char)size_bits;
    p->ut[p->count].full = 0;
    p->ut[p->count].used = 0;
    p->count++;
    return 0;
}

unsigned kaal_untyped_add_bootinfo(struct kaal_untyped_pool *p, const seL4_BootInfo *bi,
                                   unsigned min_bits)
{
    seL4_Word n = kaal_bootinfo_untyped_count(bi);
    unsigned added = 0;
    /* Largest first: one pass per size, from the top. */
    for (int bits = 63; bits >= (int)min_bits && p->count < KAAL_UNTYPED_POOL_MAX; bits--) {
        for (seL4_Word i = 0; i < n && p->count < KAAL_UNTYPED_POOL_MAX; i++) {
            const seL4_UntypedDesc *u = &bi->untypedList[i];
            if (!u->isDevice && u->sizeBits == bits) {
                kaal_untyped_add(p, bi->untyped.start + i, (unsigned)bits);
                added++;
            }
        }
    }
    return added;
}

static seL4_Word align_up(seL4_Word v, unsigned bits)
{
    return (v + (1ull << bits) - 1) & ~((1ull << bits) - 1);
}

/* Room for 2^obj bytes in untyped i, as the kernel will place it: at the free index aligned up. */
static int fits(const struct kaal_untyped_pool *p, unsigned i, unsigned obj)
{
    if (p->ut[i].full || obj > p->ut[i].size_bits) {
        return 0;
    }
    seL4_Word at = align_up(p->ut[i].used, obj);
    return at + (1ull << obj) <= (1ull << p->ut[i].size_bits) && at >= p->ut[i].used;
}

seL4_Error kaal_untyped_alloc(struct kaal_untyped_pool *p, seL4_Word type, seL4_Word size_bits,
                              seL4_CPtr *cap)
{
    unsigned obj = kaal_object_size_bits(type, size_bits);
    if (obj == 0 && type != seL4_UntypedObject) {
        return seL4_InvalidArgument;
    }
    for (;;) {
        /* Best fit: the smallest untyped with room; big ones only if nothing smaller fits. */
        unsigned best = p->count;
        for (unsigned i = 0; i < p->count; i++) {
            if (fits(p, i, obj) &&
                (best == p->count || p->ut[i].size_bits < p->ut[best].size_bits)) {
                best = i;
            }
        }
        if (best == p->count) {
            return seL4_NotEnoughMemory;
        }
        seL4_CPtr slot = kaal_slots_alloc(p->slots);
        if (slot == seL4_CapNull) {
            return seL4_RangeError;
        }
        seL4_Error err =
            sys_untyped_retype(p->ut[best].cap, type, size_bits, p->slots->cnode, 0, 0, slot, 1);
        if (err == seL4_NotEnoughMemory) {
            /* Someone else used it (or our bookkeeping is behind): never again, try the next. */
            p->ut[best].full = 1;
            kaal_slots_reset(p->slots, slot);
            continue;
        }
        if (err != seL4_NoError) {
            kaal_slots_reset(p->slots, slot);
            return err;
        }
        p->ut[best].used = align_up(p->ut[best].used, obj) + (1ull << obj);
        *cap = slot;
        return seL4_NoError;
    }
}

seL4_Error kaal_untyped_split(struct kaal_untyped_pool *p, unsigned size_bits, seL4_CPtr *cap)
{
    seL4_CPtr c;
    seL4_Error err = kaal_untyped_alloc(p, seL4_UntypedObject, size_bits, &c);
    if (err != seL4_NoError) {
        return err;
    }
    if (kaal_untyped_add(p, c, size_bits) != 0) {
        return seL4_RangeError;
    }
    /* The parent's room for this child is already counted; the child itself is fresh. */
    *cap = c;
    return seL4_NoError;
}
