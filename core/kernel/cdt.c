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

/* A VSpace cap arrives in, moves between or leaves slots: one of them may be a TCB's VTable slot,
 * so what the port derived from those is stale (hal_vspace_bindings_changed). */
static inline void vspace_cap_moved(cap_t cap)
{
    if (cap_get_cap_type(cap) == cap_vspace_cap) {
        hal_vspace_bindings_changed();
    }
}

void cte_insert(cap_t new_cap, cte_t *src_slot, cte_t *dest_slot)
{
    vspace_cap_moved(new_cap);
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
    vspace_cap_moved(new_cap);

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
    vspace_cap_moved(cap1);
    vspace_cap_moved(cap2);
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

/* seL4's emptySlot: an empty slot is left alone. */
static void cte_empty(cte_t *slot)
{
    if (cap_get_cap_type(slot->cap) != cap_null_cap) {
        vspace_cap_moved(slot->cap);
        cte_unlink_and_clear(slot);
    }
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

/* ---- deriving caps for Copy, Mint, Mutate ---------------------------------------------------- */

exception_t cap_derive(cte_t *slot, cap_t cap, cap_t *out, struct syscall_error *err)
{
    *out = cap_null_cap_new();
    switch (cap_get_cap_type(cap)) {
    case cap_zombie_cap:
    case cap_irq_control_cap:
    case cap_reply_cap:
        return EXCEPTION_NONE; /* not copyable: the null cap makes the caller refuse */
    case cap_untyped_cap:
        /* A copy would share the free region with existing children. */
        if (cdt_has_children(slot)) {
            *err = (struct syscall_error){.type = seL4_RevokeFirst};
            return EXCEPTION_SYSCALL_ERROR;
        }
        *out = cap;
        return EXCEPTION_NONE;
    case cap_page_table_cap:
        if (!cap_page_table_cap_get_is_mapped(cap)) {
            *err = (struct syscall_error){.type = seL4_IllegalOperation};
            return EXCEPTION_SYSCALL_ERROR;
        }
        *out = cap;
        return EXCEPTION_NONE;
    case cap_vspace_cap:
        if (!cap_vspace_cap_get_is_mapped(cap)) {
            *err = (struct syscall_error){.type = seL4_IllegalOperation};
            return EXCEPTION_SYSCALL_ERROR;
        }
        *out = cap;
        return EXCEPTION_NONE;
    case cap_frame_cap:
        /* A copy of a frame cap starts unmapped. */
        cap = cap_frame_cap_set_mapped_asid(cap, 0);
        *out = cap_frame_cap_set_mapped_vaddr(cap, 0);
        return EXCEPTION_NONE;
    default:
        *out = cap;
        return EXCEPTION_NONE;
    }
}

cap_t cap_update_data(bool preserve, word_t data, cap_t cap)
{
    switch (cap_get_cap_type(cap)) {
    case cap_endpoint_cap:
        if (preserve || cap_endpoint_cap_get_badge(cap) != 0) {
            return cap_null_cap_new(); /* a badge is set once, and never by Mutate */
        }
        return cap_endpoint_cap_set_badge(cap, data);
    case cap_notification_cap:
        if (preserve || cap_notification_cap_get_badge(cap) != 0) {
            return cap_null_cap_new();
        }
        return cap_notification_cap_set_badge(cap, data);
    case cap_cnode_cap: {
        seL4_CNode_CapData_t w = {{data}};
        word_t guard_size = seL4_CNode_CapData_get_guardSize(w);
        if (guard_size + cap_cnode_cap_get_radix(cap) > seL4_WordBits) {
            return cap_null_cap_new();
        }
        word_t guard = seL4_CNode_CapData_get_guard(w) & MASK(guard_size);
        cap = cap_cnode_cap_set_guard(cap, guard);
        return cap_cnode_cap_set_guard_size(cap, guard_size);
    }
    default:
        return cap;
    }
}

/* Frame rights after masking (seL4's maskVMRights): write needs read; nothing else survives. */
static word_t mask_vm_rights(word_t vm_rights, seL4_CapRights_t mask)
{
    bool read = seL4_CapRights_get_capAllowRead(mask);
    if (vm_rights == VM_READ_ONLY && read) {
        return VM_READ_ONLY;
    }
    if (vm_rights == VM_READ_WRITE && read) {
        return seL4_CapRights_get_capAllowWrite(mask) ? VM_READ_WRITE : VM_READ_ONLY;
    }
    return VM_KERNEL_ONLY;
}

cap_t cap_mask_rights(word_t rights, cap_t cap)
{
    seL4_CapRights_t r = {{rights}};
    switch (cap_get_cap_type(cap)) {
    case cap_endpoint_cap:
        cap = cap_endpoint_cap_set_can_send(cap, cap_endpoint_cap_get_can_send(cap) & seL4_CapRights_get_capAllowWrite(r));
        cap = cap_endpoint_cap_set_can_receive(cap,
                                               cap_endpoint_cap_get_can_receive(cap) & seL4_CapRights_get_capAllowRead(r));
        cap = cap_endpoint_cap_set_can_grant(cap, cap_endpoint_cap_get_can_grant(cap) & seL4_CapRights_get_capAllowGrant(r));
        return cap_endpoint_cap_set_can_grant_reply(
            cap, cap_endpoint_cap_get_can_grant_reply(cap) & seL4_CapRights_get_capAllowGrantReply(r));
    case cap_notification_cap:
        cap = cap_notification_cap_set_can_send(cap,
                                                cap_notification_cap_get_can_send(cap) & seL4_CapRights_get_capAllowWrite(r));
        return cap_notification_cap_set_can_receive(
            cap, cap_notification_cap_get_can_receive(cap) & seL4_CapRights_get_capAllowRead(r));
    case cap_reply_cap:
        return cap_reply_cap_set_can_grant(cap, cap_reply_cap_get_can_grant(cap) & seL4_CapRights_get_capAllowGrant(r));
    case cap_frame_cap:
        return cap_frame_cap_set_vm_rights(cap, mask_vm_rights(cap_frame_cap_get_vm_rights(cap), r));
    default:
        return cap;
    }
}

/* ---- deletion and revocation (preemptible) ------------------------------------------------- */

/* Can the slot be emptied now that finalisation left `remainder` in it? A zombie can once it has
 * no slots left to clear, or when only its own first slot (the one it sits in) is left. */
static bool cap_removable(cap_t remainder, const cte_t *slot)
{
    switch (cap_get_cap_type(remainder)) {
    case cap_null_cap:
        return true;
    case cap_zombie_cap: {
        word_t n = cap_zombie_cap_get_number(remainder);
        return n == 0 || (n == 1 && cap_zombie_cap_get_ptr(remainder) == cte_paddr(slot));
    }
    default:
        kpanic("finalisation leaves only a zombie or the null cap");
    }
}

/* Is remainder a zombie that sits in the first slot of the object it is clearing? */
static bool cap_cyclic_zombie(cap_t remainder, const cte_t *slot)
{
    return cap_get_cap_type(remainder) == cap_zombie_cap && cap_zombie_cap_get_ptr(remainder) == cte_paddr(slot);
}

/* One step of clearing the zombie in slot. Exposed (the slot is the one being deleted): delete the
 * zombie's last slot and count it off. Not exposed (the zombie was found inside an object being
 * cleared): move the zombie into its own first slot, so it stops being reachable from outside
 * and its former neighbour gets finalised in this slot instead. */
static exception_t zombie_reduce(cte_t *slot, bool exposed)
{
    kassert(cap_get_cap_type(slot->cap) == cap_zombie_cap);
    paddr_t ptr = cap_zombie_cap_get_ptr(slot->cap);
    word_t n = cap_zombie_cap_get_number(slot->cap);
    word_t type = cap_zombie_cap_get_zombie_type(slot->cap);
    cte_t *first = PTOV(cte_t, ptr);
    kassert(n > 0); /* a zombie with nothing left is removable and never reduced */

    if (!exposed) {
        kassert(first != slot); /* cyclic zombies are not reduced from inside */
        if (first != slot) {
            cte_swap(first->cap, first, slot->cap, slot);
        }
        return EXCEPTION_NONE;
    }

    cte_t *end = &first[n - 1];
    exception_t status = cte_delete(end, false);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    switch (cap_get_cap_type(slot->cap)) {
    case cap_null_cap:
        break; /* the zombie moved into its own object and the slot was emptied on the way */
    case cap_zombie_cap:
        if (cap_zombie_cap_get_ptr(slot->cap) == ptr && cap_zombie_cap_get_number(slot->cap) == n &&
            cap_zombie_cap_get_zombie_type(slot->cap) == type) {
            kassert(cap_get_cap_type(end->cap) == cap_null_cap);
            cap_zombie_cap_ptr_set_number(&slot->cap, n - 1);
        } else {
            /* Another object's zombie was swapped into this slot: it is self-referential now. */
            kassert(cap_zombie_cap_get_ptr(slot->cap) == cte_paddr(slot) && first != slot);
        }
        break;
    default:
        kpanic("clearing a zombie's slot leaves a zombie or nothing");
    }
    return EXCEPTION_NONE;
}

/* Finalise the cap in slot until it can be removed (seL4's finaliseSlot). *removable says whether
 * the caller may empty the slot: false when a cyclic zombie is left for a later exposed delete. */
static exception_t cte_finalise_slot(cte_t *slot, bool exposed, bool *removable)
{
    *removable = true;
    while (cap_get_cap_type(slot->cap) != cap_null_cap) {
        bool final = cdt_is_final_cap(slot);
        cap_t remainder = object_finalise(slot->cap, final);
        if (cap_removable(remainder, slot)) {
            return EXCEPTION_NONE;
        }
        slot->cap = remainder;
        if (!exposed && cap_cyclic_zombie(remainder, slot)) {
            *removable = false;
            return EXCEPTION_NONE;
        }
        exception_t status = zombie_reduce(slot, exposed);
        if (status != EXCEPTION_NONE) {
            *removable = false;
            return status;
        }
        if (preemption_point() != EXCEPTION_NONE) {
            *removable = false;
            return EXCEPTION_PREEMPTED;
        }
    }
    return EXCEPTION_NONE;
}

exception_t cte_delete(cte_t *slot, bool exposed)
{
    bool removable;
    exception_t status = cte_finalise_slot(slot, exposed, &removable);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    if (exposed || removable) {
        cte_empty(slot);
    }
    return EXCEPTION_NONE;
}

exception_t cte_revoke(cte_t *slot)
{
    /* Children follow their parent in the list; each deletion unlinks one, so always look at the
     * current next slot. A preempted revoke restarts here and finds the rest. */
    for (cte_t *next = mdb_next(slot); next != NULL && cdt_is_parent_of(slot, next); next = mdb_next(slot)) {
        exception_t status = cte_delete(next, true);
        if (status != EXCEPTION_NONE) {
            return status;
        }
        if (preemption_point() != EXCEPTION_NONE) {
            return EXCEPTION_PREEMPTED;
        }
    }
    return EXCEPTION_NONE;
}
