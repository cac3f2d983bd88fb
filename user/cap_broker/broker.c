/* SPDX-License-Identifier: BSD-2-Clause */
/* The cap broker (kaal/broker.h): slots, RAM objects, device frames by address, IRQ handlers. */
#include <kaal/bootinfo.h>
#include <kaal/broker.h>
#include <kaal/sys.h>

#define PAGE_BITS 12

void kaal_broker_init(struct kaal_broker *b, const seL4_BootInfo *bi)
{
    b->bi = bi;
    b->n_pieces = 0;
    b->n_tables = 0;
    b->n_fresh = 0;
    kaal_slots_init_bootinfo(&b->slots, bi);
    kaal_untyped_init(&b->pool, &b->slots);
    kaal_untyped_add_bootinfo(&b->pool, bi, PAGE_BITS);
}

seL4_CPtr kaal_broker_slot(struct kaal_broker *b) { return kaal_slots_alloc(&b->slots); }

seL4_Error kaal_broker_alloc(struct kaal_broker *b, seL4_Word type, seL4_Word size_bits,
                             seL4_CPtr *cap)
{
    if (b->slots.next >= b->slots.end) {
        return seL4_NotEnoughMemory;
    }
    return kaal_untyped_alloc(&b->pool, type, size_bits, cap);
}

seL4_Error kaal_broker_copy(struct kaal_broker *b, seL4_CPtr cap, seL4_CPtr *copy)
{
    seL4_CPtr slot = kaal_broker_slot(b);
    if (slot == seL4_CapNull) {
        return seL4_NotEnoughMemory;
    }
    seL4_Error err = sys_cnode_copy(seL4_CapInitThreadCNode, slot, seL4_WordBits,
                                    seL4_CapInitThreadCNode, cap, seL4_WordBits, seL4_AllRights);
    *copy = slot;
    return err;
}

/* The usable piece containing [paddr, paddr + 4 KiB), smallest first; -1 if none. */
static int find_piece(const struct kaal_broker *b, seL4_Word paddr)
{
    int best = -1;
    for (unsigned i = 0; i < b->n_pieces; i++) {
        if (b->piece[i].used || paddr < b->piece[i].paddr ||
            paddr - b->piece[i].paddr >= ((seL4_Word)1 << b->piece[i].bits)) {
            continue;
        }
        if (best < 0 || b->piece[i].bits < b->piece[best].bits) {
            best = (int)i;
        }
    }
    return best;
}

static int add_piece(struct kaal_broker *b, seL4_CPtr cap, seL4_Word paddr, unsigned bits)
{
    if (b->n_pieces >= KAAL_BROKER_DEVICE_PIECES) {
        return -1;
    }
    b->piece[b->n_pieces].cap = cap;
    b->piece[b->n_pieces].paddr = paddr;
    b->piece[b->n_pieces].bits = (unsigned char)bits;
    b->piece[b->n_pieces].used = 0;
    return (int)b->n_pieces++;
}

/* The bootinfo device untyped holding paddr, as a piece (once: afterwards it is split). */
static int bootinfo_piece(struct kaal_broker *b, seL4_Word paddr)
{
    seL4_Word index;
    seL4_CPtr cap = kaal_bootinfo_find_untyped_by_paddr(b->bi, paddr, &index);
    if (cap == seL4_CapNull || !b->bi->untypedList[index].isDevice) {
        return -1;
    }
    for (unsigned i = 0; i < b->n_pieces; i++) {
        if (b->piece[i].cap == cap) {
            return -1; /* split before: its pieces were searched already */
        }
    }
    return add_piece(b, cap, b->bi->untypedList[index].paddr, b->bi->untypedList[index].sizeBits);
}

seL4_Error kaal_broker_device_frame(struct kaal_broker *b, seL4_Word paddr, seL4_CPtr *cap)
{
    if (paddr & (((seL4_Word)1 << PAGE_BITS) - 1)) {
        return seL4_AlignmentError;
    }
    int p = find_piece(b, paddr);
    if (p < 0) {
        p = bootinfo_piece(b, paddr);
    }
    if (p < 0) {
        return seL4_InvalidArgument;
    }
    /* Halve until the piece is the page. */
    while (b->piece[p].bits > PAGE_BITS) {
        unsigned bits = b->piece[p].bits - 1u;
        seL4_CPtr first = kaal_slots_alloc_range(&b->slots, 2);
        if (first == seL4_CapNull || b->n_pieces + 2 > KAAL_BROKER_DEVICE_PIECES) {
            return seL4_NotEnoughMemory;
        }
        seL4_Error err = sys_untyped_retype(b->piece[p].cap, seL4_UntypedObject, bits,
                                            seL4_CapInitThreadCNode, 0, 0, first, 2);
        if (err != seL4_NoError) {
            return err;
        }
        b->piece[p].used = 1;
        seL4_Word base = b->piece[p].paddr, half = (seL4_Word)1 << bits;
        int lo = add_piece(b, first, base, bits);
        int hi = add_piece(b, first + 1, base + half, bits);
        p = paddr < base + half ? lo : hi;
    }
    seL4_CPtr slot = kaal_broker_slot(b);
    if (slot == seL4_CapNull) {
        return seL4_NotEnoughMemory;
    }
    seL4_Error err = sys_untyped_retype(b->piece[p].cap, seL4_ARM_SmallPageObject, 0,
                                        seL4_CapInitThreadCNode, 0, 0, slot, 1);
    if (err == seL4_NoError) {
        b->piece[p].used = 1;
        *cap = slot;
    }
    return err;
}

seL4_Error kaal_broker_irq(struct kaal_broker *b, seL4_Word irq, seL4_CPtr *cap)
{
    seL4_CPtr slot = kaal_broker_slot(b);
    if (slot == seL4_CapNull) {
        return seL4_NotEnoughMemory;
    }
    seL4_Error err =
        sys_irq_control_get(seL4_CapIRQControl, irq, seL4_CapInitThreadCNode, slot, seL4_WordBits);
    if (err == seL4_NoError) {
        *cap = slot;
    }
    return err;
}

seL4_Error kaal_broker_vspace(struct kaal_broker *b, seL4_CPtr *vspace)
{
    seL4_Error err = kaal_broker_alloc(b, seL4_ARM_VSpaceObject, 0, vspace);
    if (err == seL4_NoError) {
        err = sys_arm_asid_pool_assign(seL4_CapInitThreadASIDPool, *vspace);
    }
    if (err == seL4_NoError && b->n_fresh < KAAL_BROKER_FRESH_VSPACES) {
        b->fresh[b->n_fresh++] = *vspace;
    }
    return err;
}

/* vaddr >> this: the prefix a level-n table (n = 1..3) is found by. */
static unsigned table_shift(unsigned level) { return 48u - 9u * level; }

static int table_known(const struct kaal_broker *b, seL4_CPtr vspace, unsigned level,
                       seL4_Word vaddr)
{
    for (unsigned i = 0; i < b->n_tables; i++) {
        if (b->table[i].vspace == vspace && b->table[i].level == level &&
            b->table[i].prefix == vaddr >> table_shift(level)) {
            return 1;
        }
    }
    return 0;
}

static void table_note(struct kaal_broker *b, seL4_CPtr vspace, unsigned level, seL4_Word vaddr)
{
    if (!table_known(b, vspace, level, vaddr) && b->n_tables < KAAL_BROKER_TABLES) {
        b->table[b->n_tables].vspace = vspace;
        b->table[b->n_tables].level = (unsigned char)level;
        b->table[b->n_tables].prefix = vaddr >> table_shift(level);
        b->n_tables++;
    }
}

static int vspace_fresh(const struct kaal_broker *b, seL4_CPtr vspace)
{
    for (unsigned i = 0; i < b->n_fresh; i++) {
        if (b->fresh[i] == vspace) {
            return 1;
        }
    }
    return 0;
}

static seL4_Error new_table(struct kaal_broker *b, seL4_CPtr vspace, unsigned level,
                            seL4_Word vaddr)
{
    seL4_CPtr pt;
    seL4_Error err = kaal_broker_alloc(b, seL4_ARM_PageTableObject, 0, &pt);
    if (err == seL4_NoError) {
        err = sys_arm_page_table_map(pt, vspace, vaddr, seL4_ARM_Default_VMAttributes);
    }
    if (err == seL4_NoError) {
        table_note(b, vspace, level, vaddr);
    }
    return err;
}

seL4_Error kaal_broker_map(struct kaal_broker *b, seL4_CPtr vspace, seL4_CPtr frame,
                           seL4_Word vaddr, seL4_CapRights_t rights, seL4_Word attr)
{
    if (vspace_fresh(b, vspace)) {
        /* Its tables are all known: make the missing ones top-down. */
        for (unsigned level = 1; level <= 3; level++) {
            if (!table_known(b, vspace, level, vaddr)) {
                seL4_Error err = new_table(b, vspace, level, vaddr);
                if (err != seL4_NoError) {
                    return err;
                }
            }
        }
        return sys_arm_page_map(frame, vspace, vaddr, rights, attr);
    }
    /* Otherwise each FailedLookup means one more level of table is missing (at most three). */
    for (int tries = 0; tries < 4; tries++) {
        seL4_Error err = sys_arm_page_map(frame, vspace, vaddr, rights, attr);
        if (err == seL4_NoError) {
            for (unsigned level = 1; level <= 3; level++) {
                table_note(b, vspace, level, vaddr);
            }
        }
        if (err != seL4_FailedLookup) {
            return err;
        }
        /* bits left 39: level 1 missing, 30: level 2, 21: level 3 (the error's word 0). */
        seL4_Word bits_left = sys_get_mr(0);
        unsigned level = bits_left >= 39 ? 1 : bits_left >= 30 ? 2 : 3;
        err = new_table(b, vspace, level, vaddr);
        if (err != seL4_NoError) {
            return err;
        }
    }
    return seL4_FailedLookup;
}
