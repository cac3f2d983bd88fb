/* SPDX-License-Identifier: BSD-2-Clause */
/* libkaal: a slot allocator over a range of free slots (for a root task: bootinfo's empty region)
 * and an untyped allocator that retypes objects out of a set of untyped caps. Both are plain
 * bookkeeping in the caller's memory; neither is thread safe. */
#ifndef KAAL_ALLOC_H
#define KAAL_ALLOC_H

#include <kaal/sys_types.h>

/* --- Slots: [next, end) of a CNode, allocated upwards; freeing is LIFO (kaal_slots_reset). --- */
struct kaal_slots {
    seL4_CPtr cnode; /* the CNode the slots are in, as a CPtr in the caller's CSpace */
    seL4_Word depth; /* depth to address its slots with (the root CNode: seL4_WordBits) */
    seL4_CPtr next, end;
};
/* Slots of the root CNode's empty region. */
void kaal_slots_init_bootinfo(struct kaal_slots *s, const seL4_BootInfo *bi);
void kaal_slots_init(struct kaal_slots *s, seL4_CPtr cnode, seL4_Word depth, seL4_CPtr first,
                     seL4_CPtr end);
/* One slot (seL4_CapNull when none is left). */
seL4_CPtr kaal_slots_alloc(struct kaal_slots *s);
/* n consecutive slots; returns the first (seL4_CapNull when fewer than n are left). */
seL4_CPtr kaal_slots_alloc_range(struct kaal_slots *s, seL4_Word n);
/* Give back everything allocated after mark (a value of s->next taken earlier). The slots must
 * be empty again: this does not delete their caps. */
void kaal_slots_reset(struct kaal_slots *s, seL4_CPtr mark);

/* --- Untyped memory: objects from a pool of untyped caps --- */
#define KAAL_UNTYPED_POOL_MAX 64
struct kaal_untyped_pool {
    struct kaal_slots *slots;
    unsigned count;
    struct {
        seL4_CPtr cap;
        unsigned char size_bits;
        unsigned char full; /* a retype found it out of room */
        seL4_Word used;     /* bytes allocated so far, as the kernel's free index moves */
    } ut[KAAL_UNTYPED_POOL_MAX];
};
/* An empty pool that takes its destination slots from slots. */
void kaal_untyped_init(struct kaal_untyped_pool *p, struct kaal_slots *slots);
/* Add an untyped cap (of 2^size_bits bytes, not device memory, no children yet). Returns 0, or
 * -1 when the pool is full. */
int kaal_untyped_add(struct kaal_untyped_pool *p, seL4_CPtr cap, unsigned size_bits);
/* Add every non-device untyped of the bootinfo of at least 2^min_bits bytes (largest first, up to
 * the pool's capacity). Returns how many were added. */
unsigned kaal_untyped_add_bootinfo(struct kaal_untyped_pool *p, const seL4_BootInfo *bi,
                                   unsigned min_bits);
/* Retype one object of this type (size_bits as Untyped_Retype takes it) into a new slot, from
 * the smallest untyped with room (best fit, so big untypeds stay whole for big requests; carve
 * one with kaal_untyped_split()). The pool mirrors each untyped's free index, so it knows where
 * the kernel will place the object; an untyped that answers NotEnoughMemory anyway is marked
 * full and the next one is tried. Returns the seL4_Error; *cap gets the new cap's slot. */
seL4_Error kaal_untyped_alloc(struct kaal_untyped_pool *p, seL4_Word type, seL4_Word size_bits,
                              seL4_CPtr *cap);
/* Retype a child untyped of 2^size_bits bytes and add it to the pool (splitting a big one). */
seL4_Error kaal_untyped_split(struct kaal_untyped_pool *p, unsigned size_bits, seL4_CPtr *cap);
/* Size in bytes (log2) of an object as Untyped_Retype allocates it (0 for an unknown type). */
unsigned kaal_object_size_bits(seL4_Word type, seL4_Word size_bits);

#endif
