/* SPDX-License-Identifier: BSD-2-Clause */
/* The capability derivation tree (seL4's MDB) and the slot operations built on it: insert, move,
 * swap, delete and revoke (preemptible), final-cap detection. What differs by cap type (derive,
 * same object, finalise, ...) is the hub's: <kaal/objecttype.h>. */
#ifndef KAAL_CDT_H
#define KAAL_CDT_H

#include <kaal/errors.h>
#include <kaal/structures.h>

/* Insert new_cap into the empty dest_slot as a child of src_slot (copy, mint, retype). */
void cte_insert(cap_t new_cap, cte_t *src_slot, cte_t *dest_slot);
/* Move the cap in src (replaced by new_cap, e.g. with new badge/guard) to the empty dest. */
void cte_move(cap_t new_cap, cte_t *src, cte_t *dest);
/* Swap two slots' caps (with replacements), keeping their tree positions' identities. */
void cte_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2);
/* Place a freshly created object cap in an empty slot as child of the untyped in parent. */
void cte_insert_new_object(cap_t new_cap, cte_t *parent, cte_t *dest_slot);

/* Is slot's cap the last cap to its object (no other cap in the tree names the same object)? */
bool cdt_is_final_cap(const cte_t *slot);
/* Does the cap in slot have children in the tree? */
bool cdt_has_children(const cte_t *slot);
/* Would `child` be a child of `parent` in the tree (seL4's isMDBParentOf)? */
bool cdt_is_parent_of(const cte_t *parent, const cte_t *child);

/* Delete the cap in slot (finalising the object if it was the final cap). Preemptible: returns
 * EXCEPTION_PREEMPTED with progress kept in zombie caps; calling again continues. */
exception_t cte_delete(cte_t *slot, bool exposed);
/* Delete every descendant of the cap in slot. Preemptible like cte_delete. */
exception_t cte_revoke(cte_t *slot);
/* Empty a slot whose cap needs no finalisation (used by boot and by perform paths). */
void cte_delete_one(cte_t *slot);

/* Unlink a slot that holds a cap from the tree and empty it (seL4's emptySlot). Its first_badged
 * mark passes to the next slot so a badged family keeps its boundary. Inline: the IPC fastpath
 * uses it to drop a one-shot reply cap. */
static inline void cte_unlink_and_clear(cte_t *slot)
{
    kassert(cap_get_cap_type(slot->cap) !=
            cap_null_cap); /* callers check: an empty slot is unlinked */
    mdb_node_t mdb = slot->mdb;
    cte_t *prev = cte_from_paddr(mdb_node_get_prev(mdb));
    cte_t *next = cte_from_paddr(mdb_node_get_next(mdb));
    if (prev != NULL) {
        mdb_node_ptr_set_next(&prev->mdb, cte_paddr(next));
    }
    if (next != NULL) {
        mdb_node_ptr_set_prev(&next->mdb, cte_paddr(prev));
        mdb_node_ptr_set_first_badged(&next->mdb, mdb_node_get_first_badged(next->mdb) |
                                                      mdb_node_get_first_badged(mdb));
    }
    slot->cap = cap_null_cap_new();
    slot->mdb = mdb_node_new(0, 0, 0, 0);
}

#endif
