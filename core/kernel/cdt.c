/* SPDX-License-Identifier: BSD-2-Clause */
/* The capability derivation tree (seL4's MDB): a doubly linked list of slots in tree pre-order,
 * with the parent relation computed from the revocable/first_badged bits and the objects caps name
 * (the per-cap-type questions go to the hub, core/object/objecttype.c). */
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
        return badge == 0 || (badge == cap_endpoint_cap_get_badge(child->cap) &&
                              !mdb_node_get_first_badged(child->mdb));
    case cap_notification_cap:
        badge = cap_notification_cap_get_badge(parent->cap);
        return badge == 0 || (badge == cap_notification_cap_get_badge(child->cap) &&
                              !mdb_node_get_first_badged(child->mdb));
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
    if (cap_get_cap_type(src_cap) == cap_untyped_cap &&
        cap_get_cap_type(new_cap) == cap_untyped_cap &&
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
    return cap_get_cap_type(remainder) == cap_zombie_cap &&
           cap_zombie_cap_get_ptr(remainder) == cte_paddr(slot);
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
    for (cte_t *next = mdb_next(slot); next != NULL && cdt_is_parent_of(slot, next);
         next = mdb_next(slot)) {
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
