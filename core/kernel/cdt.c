/* SPDX-License-Identifier: BSD-2-Clause */
/* The capability derivation tree (seL4's MDB): a doubly linked list of slots in tree pre-order, with
 * the parent relation computed from the revocable/first_badged bits and the objects caps name. */
#include <kaal/cdt.h>
#include <kaal/kernel.h>
#include <kaal/objects.h>

/* ---- slot links ---------------------------------------------------------------------------- */

static cte_t *mdb_next(const cte_t *slot) { return cte_from_paddr(mdb_node_get_next(slot->mdb)); }
static cte_t *mdb_prev(const cte_t *slot) { return cte_from_paddr(mdb_node_get_prev(slot->mdb)); }

static bool slot_is_empty(const cte_t *slot)
{
    return cap_get_cap_type(slot->cap) == cap_null_cap && mdb_node_get_next(slot->mdb) == 0 &&
           mdb_node_get_prev(slot->mdb) == 0;
}

/* ---- what a cap names ---------------------------------------------------------------------- */

static bool cap_is_arch(cap_t cap)
{
    switch (cap_get_cap_type(cap)) {
    case cap_frame_cap:
    case cap_page_table_cap:
    case cap_vspace_cap:
    case cap_asid_control_cap:
    case cap_asid_pool_cap:
    case cap_sgi_signal_cap:
        return true;
    default:
        return false;
    }
}

static word_t frame_size_bits(word_t size)
{
    switch (size) {
    case FRAME_SMALL:
        return seL4_PageBits;
    case FRAME_LARGE:
        return seL4_LargePageBits;
    default:
        return seL4_HugePageBits;
    }
}

/* A cap that names memory: its base and size (seL4's capIsPhysical / capPtr / capSizeBits). */
static bool cap_physical_region(cap_t cap, paddr_t *base, word_t *bits)
{
    switch (cap_get_cap_type(cap)) {
    case cap_untyped_cap:
        *base = cap_untyped_cap_get_ptr(cap);
        *bits = cap_untyped_cap_get_block_size(cap);
        return true;
    case cap_endpoint_cap:
        *base = cap_endpoint_cap_get_ptr(cap);
        *bits = seL4_EndpointBits;
        return true;
    case cap_notification_cap:
        *base = cap_notification_cap_get_ptr(cap);
        *bits = seL4_NotificationBits;
        return true;
    case cap_cnode_cap:
        *base = cap_cnode_cap_get_ptr(cap);
        *bits = cap_cnode_cap_get_radix(cap) + seL4_SlotBits;
        return true;
    case cap_thread_cap:
        *base = cap_thread_cap_get_tcb(cap);
        *bits = seL4_TCBBits;
        return true;
    case cap_zombie_cap: {
        word_t type = cap_zombie_cap_get_zombie_type(cap);
        *base = cap_zombie_cap_get_ptr(cap);
        *bits = type == ZOMBIE_TYPE_TCB ? seL4_TCBBits : type + seL4_SlotBits;
        return true;
    }
    case cap_frame_cap:
        *base = cap_frame_cap_get_base(cap);
        *bits = frame_size_bits(cap_frame_cap_get_size(cap));
        return true;
    case cap_page_table_cap:
        *base = cap_page_table_cap_get_ptr(cap);
        *bits = seL4_PageTableBits;
        return true;
    case cap_vspace_cap:
        *base = cap_vspace_cap_get_ptr(cap);
        *bits = seL4_VSpaceBits;
        return true;
    case cap_asid_pool_cap:
        *base = cap_asid_pool_cap_get_ptr(cap);
        *bits = seL4_ASIDPoolBits;
        return true;
    default:
        return false;
    }
}

/* seL4's Arch_sameRegionAs for the AArch64 caps. */
static bool arch_same_region_as(cap_t a, cap_t b)
{
    word_t type = cap_get_cap_type(a);
    if (type != cap_get_cap_type(b)) {
        return false;
    }
    switch (type) {
    case cap_frame_cap: {
        paddr_t bot_a = cap_frame_cap_get_base(a), bot_b = cap_frame_cap_get_base(b);
        paddr_t top_a = bot_a + MASK(frame_size_bits(cap_frame_cap_get_size(a)));
        paddr_t top_b = bot_b + MASK(frame_size_bits(cap_frame_cap_get_size(b)));
        return bot_a <= bot_b && top_a >= top_b && bot_b <= top_b;
    }
    case cap_page_table_cap:
        return cap_page_table_cap_get_ptr(a) == cap_page_table_cap_get_ptr(b);
    case cap_vspace_cap:
        return cap_vspace_cap_get_ptr(a) == cap_vspace_cap_get_ptr(b);
    case cap_asid_control_cap:
        return true;
    case cap_asid_pool_cap:
        return cap_asid_pool_cap_get_ptr(a) == cap_asid_pool_cap_get_ptr(b);
    case cap_sgi_signal_cap:
        return cap_sgi_signal_cap_get_irq(a) == cap_sgi_signal_cap_get_irq(b) &&
               cap_sgi_signal_cap_get_target(a) == cap_sgi_signal_cap_get_target(b);
    default:
        return false;
    }
}

/* seL4's sameRegionAs: does b name (part of) what a names? An untyped covers its whole region. */
static bool cap_same_region_as(cap_t a, cap_t b)
{
    word_t tb = cap_get_cap_type(b);
    switch (cap_get_cap_type(a)) {
    case cap_untyped_cap: {
        paddr_t b_base;
        word_t b_bits;
        if (!cap_physical_region(b, &b_base, &b_bits)) {
            return false;
        }
        paddr_t a_base = cap_untyped_cap_get_ptr(a);
        paddr_t a_top = a_base + MASK(cap_untyped_cap_get_block_size(a));
        paddr_t b_top = b_base + MASK(b_bits);
        return a_base <= b_base && b_top <= a_top && b_base <= b_top;
    }
    case cap_endpoint_cap:
        return tb == cap_endpoint_cap && cap_endpoint_cap_get_ptr(a) == cap_endpoint_cap_get_ptr(b);
    case cap_notification_cap:
        return tb == cap_notification_cap && cap_notification_cap_get_ptr(a) == cap_notification_cap_get_ptr(b);
    case cap_cnode_cap:
        return tb == cap_cnode_cap && cap_cnode_cap_get_ptr(a) == cap_cnode_cap_get_ptr(b) &&
               cap_cnode_cap_get_radix(a) == cap_cnode_cap_get_radix(b);
    case cap_thread_cap:
        return tb == cap_thread_cap && cap_thread_cap_get_tcb(a) == cap_thread_cap_get_tcb(b);
    case cap_reply_cap:
        return tb == cap_reply_cap && cap_reply_cap_get_tcb(a) == cap_reply_cap_get_tcb(b);
    case cap_domain_cap:
        return tb == cap_domain_cap;
    case cap_irq_control_cap:
        return tb == cap_irq_control_cap || tb == cap_irq_handler_cap;
    case cap_irq_handler_cap:
        return tb == cap_irq_handler_cap && cap_irq_handler_cap_get_irq(a) == cap_irq_handler_cap_get_irq(b);
    default:
        return cap_is_arch(a) && cap_is_arch(b) && arch_same_region_as(a, b);
    }
}

bool cap_same_object_as(cap_t a, cap_t b)
{
    word_t ta = cap_get_cap_type(a), tb = cap_get_cap_type(b);
    if (ta == cap_untyped_cap) {
        return false; /* untyped caps are never "the same object": each is its own region owner */
    }
    if (ta == cap_irq_control_cap && tb == cap_irq_handler_cap) {
        return false;
    }
    if (ta == cap_frame_cap && tb == cap_frame_cap) {
        return cap_frame_cap_get_base(a) == cap_frame_cap_get_base(b) &&
               cap_frame_cap_get_size(a) == cap_frame_cap_get_size(b) &&
               cap_frame_cap_get_is_device(a) == cap_frame_cap_get_is_device(b);
    }
    return cap_same_region_as(a, b);
}

/* ---- tree queries -------------------------------------------------------------------------- */

bool cdt_is_parent_of(const cte_t *parent, const cte_t *child)
{
    if (!mdb_node_get_revocable(parent->mdb) || !cap_same_region_as(parent->cap, child->cap)) {
        return false;
    }
    word_t badge;
    switch (cap_get_cap_type(parent->cap)) {
    case cap_endpoint_cap:
        badge = cap_endpoint_cap_get_badge(parent->cap);
        /* An unbadged endpoint cap parents everything to its object; a badged one only the caps
         * copied from it with the same badge (the next "first badged" cap starts a new family). */
        return badge == 0 ||
               (badge == cap_endpoint_cap_get_badge(child->cap) && !mdb_node_get_first_badged(child->mdb));
    case cap_notification_cap:
        badge = cap_notification_cap_get_badge(parent->cap);
        return badge == 0 ||
               (badge == cap_notification_cap_get_badge(child->cap) && !mdb_node_get_first_badged(child->mdb));
    default:
        return true;
    }
}

bool cdt_has_children(const cte_t *slot)
{
    const cte_t *next = mdb_next(slot);
    return next != NULL && cdt_is_parent_of(slot, next);
}

bool cdt_is_final_cap(const cte_t *slot)
{
    const cte_t *prev = mdb_prev(slot);
    const cte_t *next = mdb_next(slot);
    /* Caps to one object are adjacent in the list, so looking at both neighbours suffices. */
    if (prev != NULL && cap_same_object_as(prev->cap, slot->cap)) {
        return false;
    }
    return next == NULL || !cap_same_object_as(slot->cap, next->cap);
}

/* ---- slot operations ----------------------------------------------------------------------- */

/* seL4's isCapRevocable: may the derived cap have children of its own? */
static bool cap_is_revocable(cap_t derived, cap_t src)
{
    switch (cap_get_cap_type(derived)) {
    case cap_endpoint_cap:
        return cap_endpoint_cap_get_badge(derived) != cap_endpoint_cap_get_badge(src);
    case cap_notification_cap:
        return cap_notification_cap_get_badge(derived) != cap_notification_cap_get_badge(src);
    case cap_irq_handler_cap:
    case cap_sgi_signal_cap:
        return cap_get_cap_type(src) == cap_irq_control_cap;
    case cap_untyped_cap:
        return true;
    default:
        return false;
    }
}

void cte_insert(cap_t new_cap, cte_t *src_slot, cte_t *dest_slot)
{
    /* Decoders check the destination is empty (DeleteFirst) before inserting. */
    kassert(slot_is_empty(dest_slot));
    kassert(cap_get_cap_type(src_slot->cap) != cap_null_cap);

    cap_t src_cap = src_slot->cap;
    bool revocable = cap_is_revocable(new_cap, src_cap);

    /* A copy of an untyped takes over its free region: the source can no longer allocate from it
     * (seL4's setUntypedCapAsFull). */
    if (cap_get_cap_type(src_cap) == cap_untyped_cap && cap_get_cap_type(new_cap) == cap_untyped_cap &&
        cap_untyped_cap_get_ptr(src_cap) == cap_untyped_cap_get_ptr(new_cap) &&
        cap_untyped_cap_get_block_size(src_cap) == cap_untyped_cap_get_block_size(new_cap)) {
        word_t block = cap_untyped_cap_get_block_size(src_cap);
        cap_untyped_cap_ptr_set_free_index(&src_slot->cap, BIT(block) >> 4);
    }

    cte_t *next = mdb_next(src_slot);
    dest_slot->cap = new_cap;
    dest_slot->mdb = mdb_node_new(cte_paddr(next), revocable, revocable, cte_paddr(src_slot));
    if (next != NULL) {
        mdb_node_ptr_set_prev(&next->mdb, cte_paddr(dest_slot));
    }
    mdb_node_ptr_set_next(&src_slot->mdb, cte_paddr(dest_slot));
}

void cte_insert_new_object(cap_t new_cap, cte_t *parent, cte_t *dest_slot)
{
    kassert(slot_is_empty(dest_slot));
    kassert(cap_get_cap_type(parent->cap) == cap_untyped_cap);

    cte_t *next = mdb_next(parent);
    dest_slot->cap = new_cap;
    dest_slot->mdb = mdb_node_new(cte_paddr(next), 1, 1, cte_paddr(parent));
    if (next != NULL) {
        mdb_node_ptr_set_prev(&next->mdb, cte_paddr(dest_slot));
    }
    mdb_node_ptr_set_next(&parent->mdb, cte_paddr(dest_slot));
}

void cte_move(cap_t new_cap, cte_t *src, cte_t *dest)
{
    kassert(slot_is_empty(dest));
    kassert(src != dest);

    mdb_node_t mdb = src->mdb;
    dest->cap = new_cap;
    dest->mdb = mdb;
    src->cap = cap_null_cap_new();
    src->mdb = mdb_node_new(0, 0, 0, 0);

    cte_t *prev = cte_from_paddr(mdb_node_get_prev(mdb));
    cte_t *next = cte_from_paddr(mdb_node_get_next(mdb));
    if (prev != NULL) {
        mdb_node_ptr_set_next(&prev->mdb, cte_paddr(dest));
    }
    if (next != NULL) {
        mdb_node_ptr_set_prev(&next->mdb, cte_paddr(dest));
    }
}

void cte_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2)
{
    kassert(slot1 != slot2);
    slot1->cap = cap2;
    slot2->cap = cap1;

    /* Re-point slot1's neighbours at slot2 first, then read slot2's links: when the two slots are
     * neighbours this order makes the result come out right. */
    mdb_node_t mdb1 = slot1->mdb;
    cte_t *prev1 = cte_from_paddr(mdb_node_get_prev(mdb1));
    cte_t *next1 = cte_from_paddr(mdb_node_get_next(mdb1));
    if (prev1 != NULL) {
        mdb_node_ptr_set_next(&prev1->mdb, cte_paddr(slot2));
    }
    if (next1 != NULL) {
        mdb_node_ptr_set_prev(&next1->mdb, cte_paddr(slot2));
    }

    mdb_node_t mdb2 = slot2->mdb;
    slot1->mdb = mdb2;
    slot2->mdb = mdb1;

    cte_t *prev2 = cte_from_paddr(mdb_node_get_prev(mdb2));
    cte_t *next2 = cte_from_paddr(mdb_node_get_next(mdb2));
    if (prev2 != NULL) {
        mdb_node_ptr_set_next(&prev2->mdb, cte_paddr(slot1));
    }
    if (next2 != NULL) {
        mdb_node_ptr_set_prev(&next2->mdb, cte_paddr(slot1));
    }
}

/* Unlink a slot from the tree and empty it (seL4's emptySlot). Its first_badged mark passes to
 * the next slot so a badged family keeps its boundary. */
static void cte_empty(cte_t *slot)
{
    if (cap_get_cap_type(slot->cap) == cap_null_cap) {
        return;
    }
    mdb_node_t mdb = slot->mdb;
    cte_t *prev = cte_from_paddr(mdb_node_get_prev(mdb));
    cte_t *next = cte_from_paddr(mdb_node_get_next(mdb));
    if (prev != NULL) {
        mdb_node_ptr_set_next(&prev->mdb, cte_paddr(next));
    }
    if (next != NULL) {
        mdb_node_ptr_set_prev(&next->mdb, cte_paddr(prev));
        mdb_node_ptr_set_first_badged(&next->mdb,
                                      mdb_node_get_first_badged(next->mdb) | mdb_node_get_first_badged(mdb));
    }
    slot->cap = cap_null_cap_new();
    slot->mdb = mdb_node_new(0, 0, 0, 0);
}

void cte_delete_one(cte_t *slot)
{
    if (cap_get_cap_type(slot->cap) == cap_null_cap) {
        return;
    }
    bool final = cdt_is_final_cap(slot);
    cap_t remainder = object_finalise(slot->cap, final);
    /* Only caps that finalise at once (no zombie) may be deleted this way. */
    kassert(cap_get_cap_type(remainder) == cap_null_cap);
    (void)remainder;
    cte_empty(slot);
}
