/* SPDX-License-Identifier: BSD-2-Clause */
/* The cap broker: a root task's one source of kernel objects. It hands out root-CNode slots,
 * objects retyped from RAM untypeds, frames of device memory by physical address (carved from the
 * bootinfo's device untypeds) and IRQ handler caps. Every request answers with an seL4_Error;
 * exhaustion is seL4_NotEnoughMemory (no memory or no slot), never a crash. Not thread safe:
 * one thread (the root task) owns it. */
#ifndef KAAL_BROKER_H
#define KAAL_BROKER_H

#include <kaal/alloc.h>
#include <kaal/sys_types.h>

#define KAAL_BROKER_DEVICE_PIECES 64
#define KAAL_BROKER_TABLES 256
#define KAAL_BROKER_FRESH_VSPACES 32

struct kaal_broker {
    const seL4_BootInfo *bi;
    struct kaal_slots slots;
    struct kaal_untyped_pool pool;
    /* Device untyped pieces: a bootinfo device untyped is split in halves down to the page a
     * request names; the halves not taken stay here for later requests. */
    unsigned n_pieces;
    struct {
        seL4_CPtr cap;
        seL4_Word paddr;
        unsigned char bits;
        unsigned char used; /* retyped (split or made a frame): no longer usable */
    } piece[KAAL_BROKER_DEVICE_PIECES];
    /* Paging structures known to exist (made by the broker, or found by a mapping that worked):
     * level 1 tables by vaddr >> 39, level 2 by vaddr >> 30, level 3 by vaddr >> 21; and VSpaces
     * the broker made, which have no tables but those it records. So mappings need no
     * trial-and-error (whose failures a debug kernel prints). */
    unsigned n_tables, n_fresh;
    struct {
        seL4_CPtr vspace;
        unsigned char level;
        seL4_Word prefix;
    } table[KAAL_BROKER_TABLES];
    seL4_CPtr fresh[KAAL_BROKER_FRESH_VSPACES];
};

/* Take the root CNode's empty slots and every RAM untyped of at least 4 KiB from bi. */
void kaal_broker_init(struct kaal_broker *b, const seL4_BootInfo *bi);
/* An empty root-CNode slot, or seL4_CapNull when none is left. */
seL4_CPtr kaal_broker_slot(struct kaal_broker *b);
/* A new object (type, size_bits as Untyped_Retype takes them) in a new slot. */
seL4_Error kaal_broker_alloc(struct kaal_broker *b, seL4_Word type, seL4_Word size_bits,
                             seL4_CPtr *cap);
/* A 4 KiB frame cap for the device page at paddr (page aligned). seL4_InvalidArgument when no
 * device untyped covers it or that page was given out already. */
seL4_Error kaal_broker_device_frame(struct kaal_broker *b, seL4_Word paddr, seL4_CPtr *cap);
/* An IRQ handler cap for interrupt line irq (IRQControl_Get). */
seL4_Error kaal_broker_irq(struct kaal_broker *b, seL4_Word irq, seL4_CPtr *cap);
/* A new VSpace with an ASID from the initial pool (its tables are then tracked: see above). */
seL4_Error kaal_broker_vspace(struct kaal_broker *b, seL4_CPtr *vspace);
/* Map frame into vspace at vaddr, creating the page tables it needs from the broker. */
seL4_Error kaal_broker_map(struct kaal_broker *b, seL4_CPtr vspace, seL4_CPtr frame,
                           seL4_Word vaddr, seL4_CapRights_t rights, seL4_Word attr);
/* A copy of cap in a new slot (for mapping one frame a second time). */
seL4_Error kaal_broker_copy(struct kaal_broker *b, seL4_CPtr cap, seL4_CPtr *copy);

#endif
